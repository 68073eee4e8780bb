/**
 * Compose: write a self-contained bundle (app + policy + snapshots + the wasi-virt
 * runtime) or, without an app, the reusable virtual adapter. Layouts in docs/compose.md.
 *
 * Everything that can fail on bad input (the app, imports nothing can serve, mounts,
 * transpiling) runs before the output directory is touched, so a failed compose leaves
 * no half-written bundle behind.
 */
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, writeFileSync, writeSync, type Dirent } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import type { Policy } from '../policy/types.js';
import { validatePolicy } from '../policy/validate.js';
import { networkNeeds } from '../adapter/preview2/component.js';
import { BUNDLE_FORMAT, type BundleManifest, type ComponentApp, type CoreApp } from '../adapter/bundle/manifest.js';
import { appBinary } from '../util/app.js';
import { readComponent } from '../inspect/component-binary.js';
import { inspectApp, type InspectReport } from '../inspect/report.js';
import { entryModule, entryTypes, facesOf, runtimeKind, RUNTIME_DIR, RUNTIME_MODULE } from './entry.js';
import { MARKER, prepareOutDir } from './out-dir.js';
import { distRoot, runtimeFiles } from './runtime-files.js';
import { buildMounts, packSnapshots, type BuiltMount, type SnapshotBuilder } from './snapshots.js';

/** Bad input to compose: one line, exit 2. */
export class ComposeError extends Error {
  readonly userFacing = true;
  override name = 'ComposeError';
}

export interface ComposeOptions {
  /** The app: its file name (for messages and argv[0]) and contents (.wasm module or component, or .wat text). */
  app?: { file: string; bytes: Uint8Array };
  policy: Policy;
  out: string;
  /** `out/<name>.js`; default the app's file name without extension, or `virt`. */
  name?: string;
  /** Bake call tracing into the bundle (policy.debug). */
  debug?: boolean;
  /** Prebuilt snapshots by mount key (else built from the policy's host paths). */
  snapshots?: Record<string, Uint8Array>;
  buildSnapshot?: SnapshotBuilder;
  /** Compiled wasi-virt to copy the runtime from (default: the one running). */
  distRoot?: string;
  /** Cache directory for transpiled components (default: the preview2 face's). */
  cacheDir?: string;
  /** One self-contained ES module: the app, snapshots and runtime inside `<name>.js` (base64 for the binaries). */
  inline?: boolean;
}

export interface WrittenFile {
  path: string;
  bytes: number;
}

export interface ComposeResult {
  dir: string;
  entry: string;
  kind: 'module' | 'component' | 'adapter';
  files: WrittenFile[];
  totalBytes: number;
  mounts: BuiltMount['summary'][];
  /** preview2-shim (or, for a 0.3 component, preview3-shim) was copied into out/node_modules (sockets / http). */
  shim: boolean;
  report?: InspectReport;
}

interface PendingFile {
  path: string;
  write(target: string): number;
  /** The contents, for --inline. */
  bytes(): Uint8Array;
}

const data = (path: string, bytes: Uint8Array | string): PendingFile => ({
  path,
  write(target) {
    writeFileSync(target, bytes);
    return typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.byteLength;
  },
  bytes: () => (typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes),
});

const copy = (path: string, from: string): PendingFile => ({
  path,
  write(target) {
    copyFileSync(from, target);
    return statSync(target).size;
  },
  bytes: () => readFileSync(from),
});

function version(root: string): string {
  for (const p of [join(root, '..', 'package.json'), join(root, 'package.json')]) {
    try {
      const pkg = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'wasi-virt' && pkg.version) return pkg.version;
    } catch {
      // next
    }
  }
  return 'unknown';
}

function defaultName(file: string | undefined): string {
  if (!file) return 'virt';
  const base = basename(file).replace(/\.(wasm|wat|wast)$/i, '');
  return base === '' || base.startsWith('.') ? 'app' : base;
}

export async function composeBundle(options: ComposeOptions): Promise<ComposeResult> {
  const root = options.distRoot ?? distRoot();
  const name = options.name ?? defaultName(options.app?.file);
  if (!/^[^/\\\0]+$/.test(name) || name === '.' || name === '..') throw new ComposeError(`bundle name "${name}" is not a file name`);
  const given = validatePolicy(options.policy);
  const policy: Policy = options.debug ? { ...given, debug: true } : given;
  const pending: PendingFile[] = [];
  let app: CoreApp | ComponentApp | undefined;
  let report: InspectReport | undefined;

  // 1. The app: checked, and for a component transpiled, before anything is written.
  if (options.app) {
    const file = options.app.file;
    const bin = await appBinary(options.app.bytes, basename(file));
    if (bin.kind === 'module') {
      let module: WebAssembly.Module;
      try {
        module = await WebAssembly.compile(bin.bytes as Uint8Array<ArrayBuffer>);
      } catch (e) {
        throw new ComposeError(`${file} is malformed: ${String((e as Error).message).replace(/^WebAssembly\.compile\(\): /, '')}`);
      }
      report = await inspectApp({ file, kind: 'module', bytes: bin.bytes, policy, module });
      if (!WebAssembly.Module.exports(module).some((e) => e.name === '_start' && e.kind === 'function')) {
        throw new ComposeError(`${file} exports no _start, so it is not a command a bundle can run; compose without the app for the adapter (preview1Imports)`);
      }
      app = { kind: 'module', file: `${name}.wasm` };
      pending.push(data(app.file, bin.bytes));
    } else {
      report = await inspectApp({ file, kind: 'component', bytes: bin.bytes, policy });
      if (!readComponent(bin.bytes).exports.some((e) => /^wasi:cli\/run(@|$)/.test(e.name))) {
        throw new ComposeError(`${file} does not export wasi:cli/run, so it is not a command a bundle can run; compose without the app for the adapter (preview2Imports)`);
      }
    }
    const missing = report.imports.filter((i) => i.effect === 'unprovided');
    if (missing.length > 0) {
      const first = missing[0]!;
      throw new ComposeError(`${file} imports ${first.name}${missing.length > 1 ? ` (and ${missing.length - 1} more)` : ''}, which a bundle cannot provide: ${first.detail}`);
    }
    if (bin.kind === 'component') {
      const p3 = report.abi === 'preview3';
      const { transpileComponent } = await import('../adapter/preview2/transpile.js');
      let t;
      try {
        // A WASI 0.3 command is transpiled for async instantiation (JSPI), as `run` does.
        t = await transpileComponent(bin.bytes, { ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}), ...(p3 ? { instantiation: 'async' as const } : {}) });
      } catch (e) {
        throw new ComposeError(`${file}: ${(e as Error).message}`);
      }
      const dir = `${name}.component`;
      app = { kind: 'component', dir, js: 'component.mjs', core: t.coreFiles, imports: t.imports, ...(p3 ? { abi: 'preview3' as const } : {}) };
      pending.push(copy(`${dir}/component.mjs`, t.jsFile));
      for (const f of t.coreFiles) pending.push(copy(`${dir}/${f}`, join(t.dir, f)));
    }
  }

  // 2. Mounts.
  const mounts = buildMounts(policy, { prebuilt: options.snapshots, build: options.buildSnapshot, leaveOut: options.out });
  const packed = packSnapshots(mounts);
  const snapshotFile = `${name}.snapshots`;
  if (mounts.length > 0) {
    pending.push({
      path: snapshotFile,
      write(target) {
        const fd = openSync(target, 'w');
        try {
          for (const piece of packed.pieces) {
            for (let at = 0; at < piece.byteLength;) at += writeSync(fd, piece, at);
          }
        } finally {
          closeSync(fd);
        }
        return packed.size;
      },
      bytes() {
        const all = new Uint8Array(packed.size);
        let at = 0;
        for (const piece of packed.pieces) {
          all.set(piece, at);
          at += piece.byteLength;
        }
        return all;
      },
    });
  }

  // 3. The runtime, and preview2-shim where sockets or http will need it (an --inline
  // bundle finds the shim, if it needs it, where the runtime can import it from).
  const kind = runtimeKind(app);
  const runtimeModule = join(root, 'runtime', `${kind}.js`);
  if (!options.inline) {
    if (!existsSync(runtimeModule)) throw new Error(`the bundle runtime (runtime/${kind}.js) is missing from ${root}; build wasi-virt first (npm run build)`);
    pending.push(copy(`${RUNTIME_DIR}/${RUNTIME_MODULE}`, runtimeModule));
  }
  // Types for TypeScript users: the declarations of what runtime.js was built from.
  const types = options.inline ? [] : runtimeFiles(facesOf(app), root).files.filter((f) => f.endsWith('.d.ts'));
  for (const f of types) pending.push(copy(`${RUNTIME_DIR}/${f}`, join(root, f)));
  const shims = options.inline ? [] : shimsNeeded(policy, app);
  for (const pkg of shims) pending.push(...shimFiles(pkg));

  // 4. The entry and the marker.
  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    wasiVirt: version(root),
    name,
    program: options.app ? basename(options.app.file) : 'main.wasm',
    ...(app ? { app } : {}),
    policy,
    ...(mounts.length > 0 ? { snapshots: { file: snapshotFile, entries: packed.entries } } : {}),
  };
  if (options.inline) {
    manifest.embedded = Object.fromEntries(pending.splice(0).map((p) => [p.path, toBase64(p.bytes())]));
    pending.push(data(`${name}.js`, inlineEntry(manifest, root)));
  } else {
    pending.push(data(`${name}.js`, entryModule(manifest)));
  }
  if (types.length > 0) pending.push(data(`${name}.d.ts`, entryTypes(manifest)));
  const files = [MARKER, ...pending.map((p) => p.path)];
  const marker = {
    name: `${name}-bundle`,
    private: true,
    type: 'module',
    main: `./${name}.js`,
    exports: { '.': { ...(pending.some((p) => p.path === `${name}.d.ts`) ? { types: `./${name}.d.ts` } : {}), default: `./${name}.js` } },
    'wasi-virt': { bundle: BUNDLE_FORMAT, name, files },
  };

  // 5. Write: the marker first, so an interrupted compose can be redone over what it left.
  prepareOutDir(options.out);
  const written: WrittenFile[] = [];
  const markerText = `${JSON.stringify(marker, null, 2)}\n`;
  writeFileSync(join(options.out, MARKER), markerText);
  written.push({ path: MARKER, bytes: Buffer.byteLength(markerText) });
  const made = new Set<string>();
  for (const p of pending) {
    const target = join(options.out, p.path);
    const dir = dirname(target);
    if (!made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    written.push({ path: p.path, bytes: p.write(target) });
  }
  return {
    dir: options.out,
    entry: join(options.out, `${name}.js`),
    kind: app ? app.kind : 'adapter',
    files: written,
    totalBytes: written.reduce((n, f) => n + f.bytes, 0),
    mounts: mounts.map((m) => m.summary),
    shim: shims.length > 0,
    report,
  };
}

function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** The --inline entry: the prebuilt one-file runtime for this kind of bundle (scripts/build-web.mjs), with the manifest filled in. */
function inlineEntry(manifest: BundleManifest, root: string): string {
  const kind = runtimeKind(manifest.app);
  let template: string;
  try {
    template = readFileSync(join(root, 'inline', `${kind}.js`), 'utf8');
  } catch {
    throw new Error(`the one-file runtime (inline/${kind}.js) is missing from ${root}; build wasi-virt first (npm run build)`);
  }
  const head = [
    `// ${manifest.name}.js, written by wasi-virt ${manifest.wasiVirt} --inline (docs/compose.md): the app, its snapshots and`,
    '// the wasi-virt runtime in one ES module. Run it with node, deno run or bun, or import { run } from it.',
  ];
  return `${head.join('\n')}\n${template.replace('__WASI_VIRT_MANIFEST__', () => JSON.stringify(manifest))}`;
}

type Shim = '@bytecodealliance/preview2-shim' | '@bytecodealliance/preview3-shim';

/**
 * The shims needed at run time: preview2-shim by a component that needs the network
 * (networkNeeds); for a WASI 0.3 component preview3-shim instead, and preview2-shim too
 * when it may open the 0.2 sockets such components can also import. A core module never
 * uses them; an adapter carries preview2-shim when its policy allows either, for loadNetwork.
 */
function shimsNeeded(policy: Policy, app: CoreApp | ComponentApp | undefined): Shim[] {
  if (!app) return policy.sockets !== 'deny' || policy.http !== 'deny' ? ['@bytecodealliance/preview2-shim'] : [];
  if (app.kind === 'module') return [];
  const want = networkNeeds(app.imports, policy.sockets !== 'deny');
  if (!want.sockets && !want.http) return [];
  if (app.abi !== 'preview3') return ['@bytecodealliance/preview2-shim'];
  const sockets2 = want.sockets && app.imports.some((i) => /^wasi:sockets\/(tcp|udp|network|instance-network)/.test(i));
  return ['@bytecodealliance/preview3-shim', ...(sockets2 ? ['@bytecodealliance/preview2-shim' as const] : [])];
}

/** A shim's package.json and its Node JavaScript (no types, no sources, no browser build), as out/node_modules/… */
function shimFiles(pkgName: Shim): PendingFile[] {
  const require = createRequire(import.meta.url);
  let dir = dirname(require.resolve(pkgName));
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === pkgName) break;
    } catch {
      // keep climbing
    }
    dir = dirname(dir);
  }
  const base = `node_modules/${pkgName}`;
  const out: PendingFile[] = [copy(`${base}/package.json`, join(dir, 'package.json'))];
  const visit = (rel: string): void => {
    for (const e of readdirSyncSafe(join(dir, rel))) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) visit(r);
      else if (e.name.endsWith('.js')) out.push(copy(`${base}/${r}`, join(dir, r)));
    }
  };
  // preview3-shim's sockets and http (all a bundle imports of it) are under dist/nodejs.
  visit(pkgName === '@bytecodealliance/preview3-shim' ? 'dist/nodejs' : 'dist');
  for (const license of ['LICENSE', 'LICENSE.md']) {
    try {
      statSync(join(dir, license));
      out.push(copy(`${base}/${license}`, join(dir, license)));
    } catch {
      // not shipped
    }
  }
  return out;
}

function readdirSyncSafe(p: string): Dirent[] {
  try {
    return readdirSync(p, { withFileTypes: true });
  } catch {
    return [];
  }
}
