/**
 * Component → JS with jco-transpile, cached by content hash (Node only).
 *
 * Transpiling costs 50-150 ms warm and ~0.5 s for the first call in a process, so each
 * result is kept twice: in memory for the process (with its core modules compiled once),
 * and on disk under the cache directory, so a second run of the same component skips
 * transpilation. A cache entry is a directory named by the key holding `component.mjs`,
 * the core `.wasm` files and `meta.json`; it is written under a temporary name and
 * renamed into place, so readers never see a half-written entry.
 *
 * Cache directory: util/cache-dir.ts (`$WASI_VIRT_CACHE`, `$XDG_CACHE_HOME/wasi-virt`,
 * `~/.cache/wasi-virt`, else the OS temp dir).
 */
import { importModule } from '../../util/import-module.js';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { cacheDir, privateDir } from '../../util/cache-dir.js';
import { rewriteGenerated } from './jco-rewrite.js';

/** Bumped whenever the options or the rewrite (jco-rewrite.ts) change what a cache entry holds. */
const FORMAT = 5;

const TRANSPILE_OPTIONS = {
  name: 'component',
  instantiation: 'sync',
  emitTypescriptDeclarations: false,
  // `optimized` / `direct-optimized` emit duplicate `trampolineN` declarations for
  // adapter-made components in jco-transpile 0.15 (checked again for this module), and
  // `hybrid` is no faster: plain `js` bindings.
  importBindings: 'js',
  // A `run` returning err throws a ComponentError instead of a bare `undefined`.
  noComponentErrorWrapping: false,
} as const;

export interface TranspiledComponent {
  /** Cache key: sha256 of the component, plus the transpiler version and options. */
  key: string;
  /** The cache entry: `component.mjs` plus the core modules. */
  dir: string;
  jsFile: string;
  /** Core module file names (relative to `dir`), as the generated code asks for them. */
  coreFiles: string[];
  /** Interfaces the instance reads from the import object (unversioned keys). */
  imports: string[];
  exports: [string, string][];
  /** The per-call JCO_DEBUG check was hoisted (see jco-rewrite.ts). */
  patched: boolean;
  /** Host calls skip jco's async task bookkeeping (see jco-rewrite.ts). */
  fastPath: boolean;
}

/** Counters a test can read to see what the cache did. */
export const transpileStats = { transpiled: 0, diskHits: 0, memoryHits: 0 };


let transpilerVersion: string | undefined;
function versionOfTranspiler(): string {
  if (transpilerVersion) return transpilerVersion;
  const require = createRequire(import.meta.url);
  let dir = dirname(require.resolve('@bytecodealliance/jco-transpile'));
  for (let i = 0; i < 4 && !existsSync(join(dir, 'package.json')); i++) dir = dirname(dir);
  try {
    transpilerVersion = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    transpilerVersion = 'unknown';
  }
  return transpilerVersion;
}

/**
 * `sync` binds a preview2 component for synchronous instantiation; `async` binds a WASI
 * 0.3 component, whose async exports and imports need JSPI and async instantiation.
 */
export type Instantiation = 'sync' | 'async';

/**
 * WASI 0.3 functions the 0.3 face answers with a promise. Components declare them `async`
 * (jco's WIT, wasm32-wasip3 programs) or, built against wasmtime 47's WIT of the same
 * version (componentize-qjs 0.4.5 checks a guest against it), as plain functions, which
 * jco would lower synchronously and hand our promise to the guest as the result. Named
 * here, a sync-typed one is called through JSPI and awaited; an async-typed one is
 * unaffected (checked on the wasi-testsuite programs).
 */
const P3 = '0.3.0-rc-2026-03-15';
const ASYNC_HOST_IMPORTS = [
  ...['advise', 'sync-data', 'get-flags', 'get-type', 'set-size', 'set-times', 'sync', 'create-directory-at',
    'stat', 'stat-at', 'set-times-at', 'link-at', 'open-at', 'readlink-at', 'remove-directory-at', 'rename-at',
    'symlink-at', 'unlink-file-at', 'is-same-object', 'metadata-hash', 'metadata-hash-at']
    .map((m) => `wasi:filesystem/types@${P3}#[method]descriptor.${m}`),
  `wasi:clocks/monotonic-clock@${P3}#wait-until`,
  `wasi:clocks/monotonic-clock@${P3}#wait-for`,
];

function optionsFor(instantiation: Instantiation) {
  return instantiation === 'sync'
    ? TRANSPILE_OPTIONS
    : { ...TRANSPILE_OPTIONS, instantiation, asyncMode: 'jspi' as const, asyncImports: ASYNC_HOST_IMPORTS };
}

export function componentKey(bytes: Uint8Array, instantiation: Instantiation = 'sync'): string {
  const content = createHash('sha256').update(bytes).digest('hex');
  const setup = createHash('sha256')
    .update(JSON.stringify([FORMAT, versionOfTranspiler(), optionsFor(instantiation)]))
    .digest('hex')
    .slice(0, 12);
  return `${content}-${setup}`;
}

interface Meta {
  coreFiles: string[];
  imports: string[];
  exports: [string, string][];
  patched: boolean;
  fastPath: boolean;
}

function readEntry(dir: string, key: string): TranspiledComponent | undefined {
  const metaFile = join(dir, 'meta.json');
  if (!existsSync(metaFile)) return undefined;
  try {
    const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as Meta;
    return { key, dir, jsFile: join(dir, 'component.mjs'), ...meta };
  } catch {
    return undefined;
  }
}

const pending = new Map<string, Promise<TranspiledComponent>>();

export interface TranspileOptions {
  /** Cache directory for transpiled output (default: cacheDir()). */
  cacheDir?: string;
  /** `async` for WASI 0.3 components (see Instantiation); default `sync`. */
  instantiation?: Instantiation;
}

/**
 * The transpiled form of a component: from this process's memory, the disk cache, or
 * jco-transpile (then stored in both).
 */
export function transpileComponent(bytes: Uint8Array, options: TranspileOptions = {}): Promise<TranspiledComponent> {
  const root = trustedRoot(options.cacheDir ?? cacheDir());
  const instantiation = options.instantiation ?? 'sync';
  const key = componentKey(bytes, instantiation);
  const memKey = `${root}\0${key}`;
  const hit = pending.get(memKey);
  if (hit) {
    transpileStats.memoryHits++;
    return hit;
  }
  const p = load(bytes, root, key, instantiation);
  pending.set(memKey, p);
  p.catch(() => pending.delete(memKey));
  return p;
}

let processRoot: string | undefined;

/**
 * `root` when only this user can write it, else a directory of this process's own: an
 * entry's component.mjs is imported, so a cache another user could write (a shared temp
 * dir) would run their code.
 */
function trustedRoot(root: string): string {
  if (privateDir(root)) return root;
  processRoot ??= mkdtempSync(join(tmpdir(), 'wasi-virt-transpile-'));
  return processRoot;
}

async function load(bytes: Uint8Array, root: string, key: string, instantiation: Instantiation): Promise<TranspiledComponent> {
  const dir = join(root, key);
  const cached = readEntry(dir, key);
  if (cached) {
    transpileStats.diskHits++;
    return cached;
  }
  const { transpileBytes } = await importModule<typeof import('@bytecodealliance/jco-transpile')>('@bytecodealliance/jco-transpile');
  let result;
  try {
    result = await transpileBytes(bytes, { ...optionsFor(instantiation) });
  } catch (e) {
    throw new ComponentLoadError(`not a runnable component: ${firstLine(e)}`);
  }
  transpileStats.transpiled++;
  const coreFiles: string[] = [];
  let js: string | undefined;
  const files: [string, Uint8Array][] = [];
  for (const [name, data] of Object.entries(result.files)) {
    if (name.endsWith('.js')) js = new TextDecoder().decode(data);
    else if (name.endsWith('.wasm')) {
      coreFiles.push(name);
      files.push([name, data]);
    }
  }
  if (js === undefined) throw new ComponentLoadError('jco-transpile produced no JavaScript');
  const rewritten = rewriteGenerated(js);
  const meta: Meta = {
    coreFiles,
    imports: result.imports,
    exports: result.exports as [string, string][],
    patched: rewritten.patched,
    fastPath: rewritten.fastPath,
  };
  const tmp = join(root, `.${key}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  mkdirSync(tmp, { recursive: true });
  try {
    for (const [name, data] of files) writeFileSync(join(tmp, name), data);
    writeFileSync(join(tmp, 'component.mjs'), rewritten.js);
    writeFileSync(join(tmp, 'meta.json'), JSON.stringify(meta));
    try {
      renameSync(tmp, dir);
    } catch (e) {
      // Another process finished the same entry first: theirs is as good as ours.
      if (!readEntry(dir, key)) throw e;
      rmSync(tmp, { recursive: true, force: true });
    }
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  return { key, dir, jsFile: join(dir, 'component.mjs'), ...meta };
}

/** Forget this process's transpiled components (the disk cache stays). For tests. */
export function clearMemoryCache(): void {
  pending.clear();
}

/** Bytes that are not a component (or not one jco can bind): one line, no stack. */
export class ComponentLoadError extends Error {
  readonly userFacing = true;
  override name = 'ComponentLoadError';
}

function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n').find((l) => l.trim() !== '')?.trim() ?? 'unknown error';
}
