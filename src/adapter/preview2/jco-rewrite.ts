/**
 * Rewrites of jco's generated bindings (platform-neutral text edits), applied by the
 * transpile cache (transpile.ts) before an entry is stored. Each rewrite applies only
 * when jco's output has exactly the expected shape; tests/preview2/transpile.test.ts
 * fails when a jco upgrade changes it.
 */

/**
 * The exact statement jco 1.35 / jco-transpile 0.15 puts in `_debugLog`, which every
 * host call runs several times. A test transpiles a component and fails if this is no
 * longer found, so a jco upgrade cannot silently lose the rewrite.
 */
export const JCO_DEBUG_DEFINITION =
  'const _debugLog = (...args) => {\n    if (!globalThis?.process?.env?.JCO_DEBUG) { return; }';

/** Where each host-import trampoline sets up its (p3) task, up to entering it. */
const TASK_SETUP = /const hostProvided = true;\n[\s\S]*?const started = task\.enterSync\(\);/g;
// jco indents the bind by its nesting depth, which differs between components.
const LOWER_BIND = /_lowerImportBackwardsCompat\.bind\(\n[ \t]*null,\n/g;

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
      // Deno throws on reading a variable it was given no permission for: no debugging then.
      'let _jcoDebug = false;\n  try { _jcoDebug = !!globalThis?.process?.env?.JCO_DEBUG; } catch {}\n  ' +
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
  if (sane && !anyAsync && js.search(LOWER_BIND) >= 0 && js.includes('function _lowerImportBackwardsCompat(')
    && js.includes('function _checkMayLeave(')) {
    js = js.replace(TASK_SETUP,
      'const hostProvided = true; let parentTask; let subtask; const task = _SYNC_TASK; const started = true;');
    js = js.replace(LOWER_BIND, '_lowerSyncFast(\n');
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
  js = rewritePromising(js);
  return { js, patched, fastPath };
}

/**
 * 3. Each instantiation calls `WebAssembly.promising(...)` in a try block, expecting it to
 *    throw where there is no JSPI (Node 20). V8 builds that TypeError's message by
 *    re-parsing the enclosing function, which is the whole ~3,500-line instantiation
 *    generator: ~2 ms of each ~2.5 ms instantiation of an adapter-made component (CPU
 *    profile). The call goes through a helper that throws a ready-made error instead;
 *    with JSPI it calls the real one, so the catch runs exactly when it ran before.
 */
export const PROMISING_CALL = 'WebAssembly.promising(';
export function rewritePromising(js: string): string {
  if (!js.includes(PROMISING_CALL)) return js;
  const helper =
    'const _wvNoJspi = new TypeError("WebAssembly.promising is not available");\n' +
    'const _wvPromising = typeof WebAssembly.promising === "function" ? (f) => WebAssembly.promising(f) : () => { throw _wvNoJspi; };\n';
  return helper + js.split(PROMISING_CALL).join('_wvPromising(');
}
