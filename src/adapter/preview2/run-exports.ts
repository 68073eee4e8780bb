/**
 * Running a command component's `wasi:cli/run` export to an exit code. Kept apart from
 * the transpile and instantiate code so a bundle, which carries a component transpiled
 * at compose time, can use it without bringing jco along.
 */
import { ExitSignal } from '../kernel/exit.js';

export type ComponentExports = Record<string, unknown>;

export class NotACommandError extends Error {
  readonly userFacing = true;
  override name = 'NotACommandError';
}

/** The `run` function of a command component's `wasi:cli/run` export. */
export function runExport(exports: ComponentExports): () => void {
  const candidates = [exports['run'], ...Object.entries(exports).filter(([k]) => k.startsWith('wasi:cli/run@')).map(([, v]) => v)];
  for (const c of candidates) {
    const run = (c as { run?: unknown } | undefined)?.run;
    if (typeof run === 'function') return run as () => void;
  }
  throw new NotACommandError('the component does not export wasi:cli/run (it is not a command)');
}

/**
 * `run` returned `err`. jco throws its own ComponentError, one class per generated module
 * and never exported, so it is known by what it carries: an own `payload`. Our traps and
 * the engine's are RuntimeErrors, which never do.
 */
export function isRunError(e: unknown): boolean {
  return e instanceof Error && !(e instanceof WebAssembly.RuntimeError) && Object.hasOwn(e, 'payload');
}

/** Call `run` and map how it ended to an exit code (0 ok, 1 err, an exit call's code); traps propagate. */
export function runToCompletion(exports: ComponentExports): number {
  const run = runExport(exports);
  try {
    run();
    return 0;
  } catch (e) {
    if (e instanceof ExitSignal) return e.code;
    if (isRunError(e)) return 1;
    throw e;
  }
}
