#!/usr/bin/env node
// After tsc: the files of dist/ that are built with esbuild, not copied from tsc's output.
//  - dist/browser.js: the neutral entry (dist/index.js) and its packages (the TOML and JSONC
//    parsers) as one ES module with no bare specifiers, so a page can import it by URL.
//  - dist/runtime/{module,component,component3,adapter}.js: a bundle's runtime (src/adapter/bundle and
//    what it imports, with the faces that kind of bundle needs) as one module, which compose
//    copies to out/wasi-virt/runtime.js; beside each, the list of sources it holds (.meta.json).
//  - dist/inline/{module,component,component3,adapter}.js: the same with the entry inside, the manifest
//    left as the placeholder __WASI_VIRT_MANIFEST__; `compose --inline` fills it in.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const { entryModule, RUNTIME_DIR, RUNTIME_MODULE } = await import(join(dist, 'compose', 'entry.js'));
const { FACE_ENTRIES, RUNTIME_ENTRY } = await import(join(dist, 'compose', 'runtime-files.js'));

const browser = await build({
  entryPoints: [join(dist, 'index.js')],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  legalComments: 'eof',
  outfile: join(dist, 'browser.js'),
  metafile: true,
  logLevel: 'error',
});
checkSpecifiers('browser.js', browser, []);

// The node: modules the host code may import statically. In one file that must also load in a
// browser they cannot stay static imports: each becomes a module reading the builtin with
// process.getBuiltinModule (Node >= 20.16, Deno 2, Bun), evaluated only when the Node host is
// (it is reached by a dynamic import behind a runtime check, src/adapter/bundle/host.ts).
const NODE_MODULES = ['node:fs', 'node:path', 'node:tty', 'node:url', 'node:worker_threads'];

const nodeShim = {
  name: 'node-builtins',
  setup(b) {
    b.onResolve({ filter: /^(node:)?[a-z_/]+$/ }, (args) => {
      const spec = args.path.startsWith('node:') ? args.path : `node:${args.path}`;
      if (!builtinModules.includes(spec.slice(5))) return undefined;
      if (args.kind === 'dynamic-import') return { path: args.path, external: true };
      if (!NODE_MODULES.includes(spec)) throw new Error(`${args.importer} imports ${spec}, which scripts/build-web.mjs does not expect`);
      return { path: spec, namespace: 'wasi-virt-node' };
    });
    b.onLoad({ filter: /.*/, namespace: 'wasi-virt-node' }, async (args) => {
      const names = Object.keys(await import(args.path)).filter((n) => n !== 'default' && /^[A-Za-z_$][\w$]*$/.test(n));
      const m = `globalThis.process?.getBuiltinModule?.(${JSON.stringify(args.path)})`;
      return { contents: `const m = ${m};\nexport default m;\n${names.map((n) => `export const ${n} = m?.${n};`).join('\n')}\n`, loader: 'js' };
    });
  },
};

const KINDS = {
  module: { faces: ['preview1'], app: { kind: 'module', file: 'x.wasm' } },
  component: { faces: ['preview2'], app: { kind: 'component', dir: 'x.component', js: 'component.mjs', core: [], imports: [] } },
  component3: { faces: ['preview3'], app: { kind: 'component', dir: 'x.component', js: 'component.mjs', core: [], imports: [], abi: 'preview3' } },
  adapter: { faces: ['preview1', 'preview2'], app: undefined },
};

/** The runtime module an entry imports (`./wasi-virt/runtime.js`): openBundle, the faces and the classes the entry re-exports. */
function runtimeSource(faces) {
  return [
    `export { openBundle, ExitSignal, GuestTrap, LimitTrap, PolicyTrap, CaptureSink, BufferSource } from './${RUNTIME_ENTRY}';`,
    ...faces.map((f) => `import * as ${f} from './${FACE_ENTRIES[f]}';`),
    `export const faces = { ${faces.join(', ')} };`,
    '',
  ].join('\n');
}

const common = {
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  // Identifiers stay as written: class and function names appear in traces and messages
  // (src/adapter/preview2/trace.ts, handle.ts), and keepNames would cost a call per function
  // at start-up. Whitespace and syntax are minified.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'eof',
  external: ['@bytecodealliance/preview2-shim', '@bytecodealliance/preview2-shim/*', '@bytecodealliance/preview3-shim/*'],
  metafile: true,
  logLevel: 'error',
};
const allowed = ['@bytecodealliance/preview2-shim', '@bytecodealliance/preview3-shim', ...NODE_MODULES];

for (const dir of ['runtime', 'inline']) mkdirSync(join(dist, dir), { recursive: true });
for (const [kind, { faces, app }] of Object.entries(KINDS)) {
  // For a directory bundle: the runtime alone, beside the entry.
  const runtime = await build({
    ...common,
    stdin: { contents: runtimeSource(faces), resolveDir: dist, sourcefile: `runtime-${kind}.js`, loader: 'js' },
    plugins: [nodeShim],
    outfile: join(dist, 'runtime', `${kind}.js`),
  });
  checkSpecifiers(`runtime/${kind}.js`, runtime, allowed);
  writeFileSync(join(dist, 'runtime', `${kind}.meta.json`), `${JSON.stringify(Object.keys(runtime.metafile.inputs).sort(), null, 2)}\n`);

  // For --inline: the entry, written by the same code as a directory bundle's, with the runtime inside it.
  const manifest = { format: 1, wasiVirt: '', name: 'x', program: 'x.wasm', policy: {}, ...(app ? { app } : {}) };
  const inline = await build({
    ...common,
    stdin: { contents: entryModule(manifest, '__WASI_VIRT_MANIFEST__'), resolveDir: dist, sourcefile: `inline-${kind}.js`, loader: 'js' },
    plugins: [nodeShim, {
      name: 'runtime-module',
      setup(b) {
        b.onResolve({ filter: new RegExp(`^\\./${RUNTIME_DIR}/${RUNTIME_MODULE.replace('.', '\\.')}$`) }, () => ({ path: kind, namespace: 'wasi-virt-runtime' }));
        b.onLoad({ filter: /.*/, namespace: 'wasi-virt-runtime' }, () => ({ contents: runtimeSource(faces), resolveDir: dist, loader: 'js' }));
      },
    }],
    outfile: join(dist, 'inline', `${kind}.js`),
  });
  checkSpecifiers(`inline/${kind}.js`, inline, allowed);
  const text = readFileSync(join(dist, 'inline', `${kind}.js`), 'utf8');
  if (text.split('__WASI_VIRT_MANIFEST__').length !== 2) throw new Error(`inline/${kind}.js must hold the manifest placeholder exactly once`);
}

/** Only dynamic imports of the allowed packages may stay outside the file. */
function checkSpecifiers(name, result, allowedDynamic) {
  for (const out of Object.values(result.metafile.outputs)) {
    for (const imp of out.imports ?? []) {
      const allowed = imp.kind === 'dynamic-import' && allowedDynamic.some((p) => imp.path === p || imp.path.startsWith(`${p}/`));
      if (!allowed) throw new Error(`${name} imports ${imp.path} (${imp.kind}); it must be self-contained`);
    }
  }
}
console.log('built dist/browser.js, dist/runtime/*.js, dist/inline/*.js');
