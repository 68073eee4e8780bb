/**
 * Telling the person at the terminal how a run ended, for `wasi-virt run` and composed
 * bundles alike (the decision itself is kernel/ending.ts): the guest's exit code; a trap
 * is one stderr line naming it (and the innermost wasm function) with status 134,
 * wasmtime's 128 + SIGABRT; a run that cannot start is one line `wasi-virt: error: ...`
 * with status 2; wasi-virt's own failure is `wasi-virt: internal error: ...` with 70.
 * Lines are written synchronously to fd 2, after everything the guest wrote. Node-only,
 * but free of the CLI, so bundles carry it.
 */
import { exitStatus, messageOf, runEnding, type RunEnding } from '../kernel/ending.js';
import { LimitTrap, PolicyTrap } from '../kernel/traps.js';
import { writeAll } from './stdio.js';

export { messageOf };

/** A message folded onto one line. */
export function oneLine(message: string): string {
  return message.split('\n').map((s) => s.trim()).filter(Boolean).join(' ');
}

/** One `wasi-virt: ...` line on stderr. */
export function say(line: string): void {
  writeAll(2, new TextEncoder().encode(`wasi-virt: ${oneLine(line)}\n`));
}

/** Say how a run of `name` ended (nothing for an exit); returns the exit status. */
function reportEnding(ending: RunEnding, name: string, debug: boolean): number {
  if (ending.how !== 'exit') {
    // With --debug the whole stack first, so the one-line summary stays the last line. A
    // policy or limit trap's stack is the host's own JS frames: the trace names the call.
    const { error } = ending;
    const hostRaised = error instanceof PolicyTrap || error instanceof LimitTrap;
    if (debug && !hostRaised && error instanceof Error && error.stack) writeAll(2, new TextEncoder().encode(`${error.stack}\n`));
    if (ending.how === 'trap') say(`trap: ${ending.message}${ending.where ? ` (in ${ending.where})` : ''}`);
    else if (ending.how === 'refused') say(`error: cannot run ${name}: ${ending.message}`);
    else say(`internal error: ${ending.message}`);
  }
  return exitStatus(ending);
}

/** Whatever a run of `name` threw, reported; returns the exit status. */
export function reportFailure(err: unknown, name: string, debug: boolean): number {
  return reportEnding(runEnding(err), name, debug);
}
