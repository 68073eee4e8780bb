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
 * Cache directory: `$WASI_VIRT_CACHE`, else `$XDG_CACHE_HOME/wasi-virt`, else
 * `~/.cache/wasi-virt`, else the OS temp dir.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Bumped whenever the options or the rewrite below change what a cache entry holds. */
const FORMAT = 3;

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
  /** The per-call JCO_DEBUG check was hoisted (see `rewriteGenerated`). */
  patched: boolean;
  /** Host calls skip jco's async task bookkeeping (see `rewriteGenerated`). */
  fastPath: boolean;
}

/** Counters a test can read to see what the cache did. */
export const transpileStats = { transpiled: 0, diskHits: 0, memoryHits: 0 };

export function cacheDir(): string {
  const env = process.env;
  if (env['WASI_VIRT_CACHE']) return env['WASI_VIRT_CACHE'];
  if (env['XDG_CACHE_HOME']) return join(env['XDG_CACHE_HOME'], 'wasi-virt');
  try {
    const home = homedir();
    if (home) return join(home, '.cache', 'wasi-virt');
  } catch {
    // no home directory (some containers): the temp dir below
  }
  return join(tmpdir(), 'wasi-virt-cache');
}

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

function optionsFor(instantiation: Instantiation) {
  return instantiation === 'sync' ? TRANSPILE_OPTIONS : { ...TRANSPILE_OPTIONS, instantiation };
}

export function componentKey(bytes: Uint8Array, instantiation: Instantiation = 'sync'): string {
  const content = createHash('sha256').update(bytes).digest('hex');
  const setup = createHash('sha256')
    .update(JSON.stringify([FORMAT, versionOfTranspiler(), optionsFor(instantiation)]))
    .digest('hex')
    .slice(0, 12);
  return `${content}-${setup}`;
}

/**
 * The exact statement jco 1.35 / jco-transpile 0.15 puts in `_debugLog`, which every
 * host call runs several times. A test transpiles a component and fails if this is no
 * longer found, so a jco upgrade cannot silently lose the rewrite.
 */
export const JCO_DEBUG_DEFINITION =
  'const _debugLog = (...args) => {\n    if (!globalThis?.process?.env?.JCO_DEBUG) { return; }';

/** Where each host-import trampoline sets up its (p3) task, up to entering it. */
const TASK_SETUP = /const hostProvided = true;\n[\s\S]*?const started = task\.enterSync\(\);/g;
const LOWER_BIND = '_lowerImportBackwardsCompat.bind(\n  null,\n';

export interface Rewritten {
  js: string;
  /** JCO_DEBUG is read once per instance and log arguments are built only when it is set. */
  patched: boolean;
  /** Synchronous host imports skip jco's async task bookkeeping. */
  fastPath: boolean;
}

/**
 * Two rewrites of jco's generated bindings, each applied only when its pattern is found
 * exactly as expected (tests/preview2/transpile.test.ts fails when jco changes them):
 *
 * 1. `_debugLog` read `process.env.JCO_DEBUG` on every call and its ~170 call sites built
 *    their argument objects regardless; now the variable is read once per instance and
 *    call sites are `_jcoDebug && _debugLog(...)`.
 * 2. Every host call went through `_lowerImportBackwardsCompat` and a task/subtask pair
 *    (the component-model async machinery, several objects and map updates per call)
 *    although a preview2 guest only makes synchronous calls. Sync-lowered sync imports
 *    now call their trampoline directly (after the may-leave check, which traps a guest
    calling out from inside cabi_realloc or post-return), and trampolines use one inert
    task object.
 *    Skipped for any component with async lowering or async exports, which need the real
 *    machinery. Measured here: ~10 µs → ~0.7 µs per host call.
 */
export function rewriteGenerated(js: string): Rewritten {
  let patched = false;
  let fastPath = false;
  const at = js.indexOf(JCO_DEBUG_DEFINITION);
  if (at >= 0 && js.indexOf(JCO_DEBUG_DEFINITION, at + 1) < 0) {
    const hoisted =
      'const _jcoDebug = !!globalThis?.process?.env?.JCO_DEBUG;\n  ' +
      'const _debugLog = (...args) => {\n    if (!_jcoDebug) { return; }';
    js = js.slice(0, at) + hoisted + js.slice(at + JCO_DEBUG_DEFINITION.length);
    js = js.replace(/(^|[^.\w$])_debugLog\(/g, '$1_jcoDebug && _debugLog(');
    patched = true;
  }
  const setups = js.match(TASK_SETUP) ?? [];
  const hosts = js.split('const hostProvided = true;').length - 1;
  const sane = setups.length > 0 && setups.length === hosts
    && setups.every((m) => m.split('taskCreation: {').length === 2 && !m.includes('const _trampoline'));
  const anyAsync = /\b(isAsync|funcTypeIsAsync|isManualAsync): true\b/.test(js);
  if (sane && !anyAsync && js.includes(LOWER_BIND) && js.includes('function _lowerImportBackwardsCompat(')
    && js.includes('function _checkMayLeave(')) {
    js = js.replace(TASK_SETUP,
      'const hostProvided = true; let parentTask; let subtask; const task = _SYNC_TASK; const started = true;');
    js = js.split(LOWER_BIND).join('_lowerSyncFast(\n');
    const helpers =
      'const _SYNC_TASK = { componentIdx() { return 0; }, id() { return 0; }, resolve() {}, exit() {}, ' +
      'setErrored() {}, reject() {}, getParentSubtask() {}, setParentSubtask() {} };\n  ' +
      'const _lowerSyncFast = (args) => {\n' +
      '    if (args.isAsync || args.isManualAsync || args.funcTypeIsAsync) return _lowerImportBackwardsCompat.bind(null, args);\n' +
      '    const fn = args.importFn, idx = args.componentIdx;\n' +
      '    return function (...params) { _checkMayLeave(idx); return fn.apply(this, params); };\n' +
      '  };\n  ';
    const instantiateAt = js.indexOf('export function instantiate(');
    const bodyAt = instantiateAt < 0 ? -1 : js.indexOf('{\n', instantiateAt);
    if (bodyAt >= 0) {
      js = js.slice(0, bodyAt + 2) + '  ' + helpers + js.slice(bodyAt + 2);
      fastPath = true;
    }
  }
  return { js, patched, fastPath };
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

/**
 * The transpiled form of a component: from this process's memory, the disk cache, or
 * jco-transpile (then stored in both).
 */
export function transpileComponent(
  bytes: Uint8Array,
  options: { cacheDir?: string; instantiation?: Instantiation } = {},
): Promise<TranspiledComponent> {
  const root = options.cacheDir ?? cacheDir();
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

async function load(bytes: Uint8Array, root: string, key: string, instantiation: Instantiation): Promise<TranspiledComponent> {
  const dir = join(root, key);
  const cached = readEntry(dir, key);
  if (cached) {
    transpileStats.diskHits++;
    return cached;
  }
  const { transpileBytes } = await import('@bytecodealliance/jco-transpile');
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
  override name = 'ComponentLoadError';
}

function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n').find((l) => l.trim() !== '')?.trim() ?? 'unknown error';
}
