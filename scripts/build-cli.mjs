#!/usr/bin/env node
// After tsc: dist/cli/program.cjs, the CLI (dist/cli/program.js and everything it imports,
// yargs and the parsers included) as one CommonJS script, which src/cli/load-program.ts
// compiles with V8's code cache. Node 20 has no compile cache for ES modules, and compiling
// ~100 modules was most of a `wasi-virt run` (BENCHMARKS.md).
//
// Two things a module can say that one script cannot, rewritten here per file:
//  - `import.meta.url` (and a package's `import.meta.resolve`): each of our files keeps its own URL (the path it has in dist/),
//    computed from the script's location at run time, so `new URL('../x', import.meta.url)`
//    resolves as it did; a package's file gets the script's own URL.
//  - a dynamic import of a package or a generated file (util/import-module.ts): the script
//    is handed the loader's own `import` (a vm.Script has no module loader on Node 20).
// Our own lazy imports (`import('./run.js')`) are bundled and become function calls.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, transform } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const cliDir = join(dist, 'cli');

// Packages whose module bodies are costly and which only laying out help text needs:
// string-width builds a \p{RGI_Emoji} set at load (~12 ms of a start, CPU profile). Each is
// put behind a stand-in that evaluates it on the first call.
const DEFERRED = { 'string-width': 'stringWidth' };
const deferred = {
  name: 'deferred-packages',
  setup(b) {
    const filter = new RegExp(`^(${Object.keys(DEFERRED).join('|')})$`);
    b.onResolve({ filter }, (args) => (args.pluginData === 'real' ? undefined : { path: args.path, namespace: 'deferred', pluginData: args.resolveDir }));
    b.onLoad({ filter: /.*/, namespace: 'deferred' }, async (args) => {
      const real = await b.resolve(args.path, { kind: 'require-call', resolveDir: args.pluginData, pluginData: 'real' });
      if (real.errors.length) return { errors: real.errors };
      const name = DEFERRED[args.path];
      return {
        contents: `let real;\nexport default function ${name}(...args) {\n  real ??= require(${JSON.stringify(real.path)}).default;\n  return real(...args);\n}\n`,
        loader: 'js',
        resolveDir: args.pluginData,
      };
    });
  },
};

// Node modules only some commands use, whose loading is costly (node:crypto is ~25 internal
// modules; the snapshot builder imports it, and a run without a mount never hashes): each
// is a stand-in whose members load the real module on first access.
const LAZY_BUILTINS = ['crypto', 'assert'];
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(b) {
    const filter = new RegExp(`^(node:)?(${LAZY_BUILTINS.join('|')})$`);
    b.onResolve({ filter }, (args) => {
      if (args.namespace === 'lazy-builtin') return { path: args.path, external: true };
      return { path: `node:${args.path.replace(/^node:/, '')}`, namespace: 'lazy-builtin' };
    });
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, async (args) => {
      const names = Object.keys(await import(args.path)).filter((n) => n !== 'default');
      const props = names.map((n) => `  ${JSON.stringify(n)}: { get: () => load()[${JSON.stringify(n)}], enumerable: true },`);
      return {
        contents: `let real;\nconst load = () => (real ??= require(${JSON.stringify(args.path)}));\nmodule.exports = Object.defineProperties({}, {\n${props.join('\n')}\n});\n`,
        loader: 'js',
      };
    });
  },
};

const perFile = {
  name: 'module-semantics',
  setup(b) {
    b.onLoad({ filter: /\.(m?js)$/ }, async (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (args.path === join(dist, 'util', 'import-module.js')) {
        return { contents: 'export function importModule(specifier) { return __wasiVirtImport(specifier); }\n', loader: 'js' };
      }
      if (!source.includes('import.meta')) return undefined;
      const ours = args.path.startsWith(dist + sep);
      const rel = relative(cliDir, args.path).split(sep).join('/');
      const url = ours ? `__wasiVirtUrl(${JSON.stringify(rel)})` : '__wasiVirtUrl("program.cjs")';
      const { code } = await transform(source, {
        loader: 'js',
        format: 'esm',
        define: { 'import.meta.url': '__wasiVirtMeta.url', 'import.meta.resolve': '__wasiVirtMeta.resolve' },
        sourcefile: args.path,
      });
      if (/\bimport\.meta\b/.test(code.replace(/(["'`])(?:\\.|(?!\1)[^\\])*\1/g, ''))) {
        throw new Error(`${args.path} uses import.meta beyond import.meta.url, which scripts/build-cli.mjs cannot carry into one script`);
      }
      // Computed when read, not when the module loads (most modules never read it).
      const meta = `const __wasiVirtMeta = { get url() { return ${url}; }, resolve: (s) => require("node:url").pathToFileURL(require.resolve(s)).href };`;
      return { contents: `${meta}\n${code}`, loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

await build({
  entryPoints: [join(cliDir, 'program.js')],
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // jsonc-parser's `main` is UMD, whose requires esbuild cannot see; its `module` is ESM.
  mainFields: ['module', 'main'],
  // Loaded at run time from node_modules, only by the commands that need them.
  external: ['@bytecodealliance/*', 'wabt', 'fast-glob'],
  // Identifiers stay as written (error and class names appear in messages); whitespace
  // and syntax are minified: less source for V8 to read and hash at every start.
  minifyWhitespace: !process.env.WV_NOMIN,
  minifySyntax: !process.env.WV_NOMIN,
  legalComments: 'eof',
  banner: {
    js: 'const __wasiVirtUrl = (rel) => require("node:url").pathToFileURL(require("node:path").join(__wasiVirtDir, rel)).href;',
  },
  plugins: [deferred, lazyBuiltins, perFile],
  outfile: join(cliDir, 'program.cjs'),
  logLevel: 'error',
});
// Its hash on the first line keys the code cache, so the loader need not hash (or load
// node:crypto) at every start.
const out = join(cliDir, 'program.cjs');
const body = readFileSync(out, 'utf8');
writeFileSync(out, `// wasi-virt-cli ${createHash('sha256').update(body).digest('hex').slice(0, 32)}\n${body}`);
console.log('built dist/cli/program.cjs');
