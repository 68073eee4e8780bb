/**
 * How a guest run ends, in one place for `wasi-virt run` and for composed bundles: the
 * guest's exit code; a trap is one stderr line naming it (and the innermost wasm
 * function) with status 134, wasmtime's 128 + SIGABRT; a run that cannot start is one
 * line `wasi-virt: error: ...` with status 2. Lines are written synchronously to fd 2,
 * after everything the guest wrote. Node-only, but free of the CLI, so bundles carry it.
 */
import { PolicyTrap } from '../kernel/exit.js';
import { FsSetupError } from '../kernel/fs.js';
import { writeAll } from './stdio.js';

export const TRAP_EXIT = 134;
export const USAGE_EXIT = 2;

/** A message folded onto one line. */
export function oneLine(message: string): string {
  return message.split('\n').map((s) => s.trim()).filter(Boolean).join(' ');
}

export function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String((err as { message?: unknown } | null)?.message ?? err);
}

/** One `wasi-virt: ...` line on stderr. */
export function say(line: string): void {
  writeAll(2, new TextEncoder().encode(`wasi-virt: ${oneLine(line)}\n`));
}

/** The innermost wasm function of a trap's stack, when the engine recorded one. */
export function trapFunction(err: unknown): string | undefined {
  const stack = err instanceof Error ? err.stack ?? '' : '';
  for (const line of stack.split('\n')) {
    const named = /^\s*at (\S+) \(wasm:\/\/[^)]*:wasm-function\[(\d+)\]/.exec(line);
    if (named) return named[1];
    const bare = /^\s*at wasm:\/\/\S*:wasm-function\[(\d+)\]/.exec(line);
    if (bare) return `wasm-function[${bare[1]}]`;
  }
  return undefined;
}

/** Report a trap in one line; returns the exit status. */
export function reportTrap(err: unknown, debug: boolean): number {
  // A PolicyTrap is raised by the host on the guest's behalf: where in the guest says nothing more.
  const policy = err instanceof PolicyTrap;
  const where = policy ? undefined : trapFunction(err);
  const message = policy ? messageOf(err) : (messageOf(err).split('\n')[0] ?? '').replace(/^wasm trap: /, '');
  // With --debug the whole stack first, so the one-line summary stays the last line. A
  // policy trap's stack is the host's own JS frames: the trace lines already name the call.
  if (debug && !policy && err instanceof Error && err.stack) writeAll(2, new TextEncoder().encode(`${err.stack}\n`));
  say(`trap: ${message}${where ? ` (in ${where})` : ''}`);
  return TRAP_EXIT;
}

function isTrap(err: unknown): boolean {
  return err instanceof WebAssembly.RuntimeError || err instanceof PolicyTrap
    || (err instanceof Error && err.name === 'GuestTrap') || trapFunction(err) !== undefined
    || !(err instanceof Error);
}

/**
 * Why a run of `name` stopped, when it did not end by exit or return: bad input that
 * kept it from starting (a mount that cannot be set up, a link error, anything marked
 * user-facing) is a refusal; anything else the guest caused is a trap.
 */
export function reportFailure(err: unknown, name: string, debug: boolean): number {
  const setup = err instanceof FsSetupError || err instanceof WebAssembly.LinkError || err instanceof WebAssembly.CompileError
    || (err instanceof Error && ((err as { userFacing?: unknown }).userFacing === true || err.name === 'UnresolvedImportError'));
  if (setup || !isTrap(err)) {
    if (debug && err instanceof Error && err.stack) writeAll(2, new TextEncoder().encode(`${err.stack}\n`));
    say(`error: cannot run ${name}: ${messageOf(err).replace(/^WebAssembly\.\w+\(\): /, '')}`);
    return USAGE_EXIT;
  }
  return reportTrap(err, debug);
}
