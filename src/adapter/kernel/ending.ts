/**
 * How a guest run ended, decided in one place for `wasi-virt run`, composed bundles and
 * embedders (who may call `runEnding` on whatever a run threw):
 *
 * - exit: the guest exited (an ExitSignal that escaped its runner) with this code;
 * - trap: the guest trapped: any `WebAssembly.RuntimeError`, ours included (GuestTrap,
 *   PolicyTrap, LimitTrap), a stack overflow in wasm code (V8 throws a RangeError there),
 *   or a thrown value that is not an Error;
 * - refused: the run could not start because of its input (a mount or preopen that
 *   cannot be set up, a malformed or unlinkable module, an import nobody provides): every
 *   such error is a LinkError / CompileError or carries `userFacing = true`;
 * - failed: any other Error is wasi-virt's own failure (or an embedder's sink or
 *   source failing), whichever ABI, path or depth of stack it came from.
 *
 * Exit statuses follow wasmtime and sysexits: the code, 134 (128 + SIGABRT), 2, 70.
 */
import { ExitSignal } from './exit.js';
import { GuestTrap, LimitTrap, PolicyTrap } from './traps.js';

export const TRAP_EXIT = 134;
export const USAGE_EXIT = 2;
export const INTERNAL_EXIT = 70;

export type RunEnding =
  | { how: 'exit'; code: number }
  /** `where` names the innermost wasm function, when the trap came from guest code. */
  | { how: 'trap'; message: string; where?: string; error: unknown }
  | { how: 'refused'; message: string; error: unknown }
  | { how: 'failed'; message: string; error: unknown };

export function runEnding(err: unknown): RunEnding {
  if (err instanceof ExitSignal) return { how: 'exit', code: err.code };
  if (err instanceof WebAssembly.LinkError || err instanceof WebAssembly.CompileError) {
    return { how: 'refused', message: messageOf(err).replace(/^WebAssembly\.\w+\(\): /, ''), error: err };
  }
  if (isUserFacing(err) || isSystemError(err)) return { how: 'refused', message: messageOf(err), error: err };
  const where = trapFunction(err);
  if (err instanceof WebAssembly.RuntimeError || (err instanceof RangeError && where !== undefined) || !(err instanceof Error)) {
    // A trap the host raised on the guest's behalf (a policy, a limit) says all there is;
    // where in the guest it happened adds nothing.
    const raisedByPolicy = err instanceof PolicyTrap || err instanceof LimitTrap;
    const message = err instanceof GuestTrap ? err.message : (messageOf(err).split('\n')[0] ?? '').replace(/^wasm trap: /, '');
    return raisedByPolicy || where === undefined ? { how: 'trap', message, error: err } : { how: 'trap', message, where, error: err };
  }
  return { how: 'failed', message: messageOf(err), error: err };
}

/** The process exit status for an ending. */
export function exitStatus(ending: RunEnding): number {
  switch (ending.how) {
    case 'exit': return ending.code;
    case 'trap': return TRAP_EXIT;
    case 'refused': return USAGE_EXIT;
    case 'failed': return INTERNAL_EXIT;
  }
}

export function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String((err as { message?: unknown } | null)?.message ?? err);
}

/** Errors a person caused and can fix carry `userFacing = true` (a marker, so no room imports another's classes). */
export function isUserFacing(e: unknown): e is Error {
  return e instanceof Error && (e as { userFacing?: unknown }).userFacing === true;
}

/** A system call on a path the embedder or policy named failed (`EACCES`, `ENOENT`, ...). */
function isSystemError(err: unknown): boolean {
  const code = err instanceof Error ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code);
}

/** The innermost wasm function of an error's stack, when the engine recorded one. */
function trapFunction(err: unknown): string | undefined {
  const stack = err instanceof Error ? err.stack ?? '' : '';
  for (const line of stack.split('\n')) {
    const named = /^\s*at (\S+) \(wasm:\/\/[^)]*:wasm-function\[(\d+)\]/.exec(line);
    if (named) return named[1];
    const bare = /^\s*at wasm:\/\/\S*:wasm-function\[(\d+)\]/.exec(line);
    if (bare) return `wasm-function[${bare[1]}]`;
  }
  return undefined;
}
