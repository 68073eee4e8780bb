/**
 * How `node out/<name>.js` ends, with the conventions of `wasi-virt run`: the guest's
 * exit code; a trap is one line on stderr and status 134 (128 + SIGABRT, as wasmtime);
 * a bundle that cannot start (a runtime directory missing on this host, a damaged
 * bundle) is one line and status 2. The guest's own output is delivered first.
 */
import { writeSync } from 'node:fs';
import { PolicyTrap } from '../host/exit.js';
import { FsSetupError } from '../host/fs.js';

export const TRAP_EXIT = 134;
export const USAGE_EXIT = 2;

function say(line: string): void {
  write(`wasi-virt: ${line}\n`);
}

function write(text: string): void {
  const bytes = new TextEncoder().encode(text);
  let at = 0;
  while (at < bytes.byteLength) {
    try {
      at += writeSync(2, bytes, at);
    } catch (e) {
      if ((e as { code?: string }).code !== 'EAGAIN') return;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }
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

function firstLine(err: unknown): string {
  const m = err instanceof Error ? err.message : String((err as { message?: unknown } | null)?.message ?? err);
  return m.split('\n')[0] ?? '';
}

function message(err: unknown): string {
  const m = err instanceof Error ? err.message : String((err as { message?: unknown } | null)?.message ?? err);
  return m.split('\n').map((s) => s.trim()).filter(Boolean).join(' ');
}

function isTrap(err: unknown): boolean {
  return err instanceof WebAssembly.RuntimeError || err instanceof PolicyTrap
    || (err instanceof Error && err.name === 'GuestTrap') || trapFunction(err) !== undefined
    || !(err instanceof Error);
}

/**
 * Print why the bundle `name` stopped and give the process exit status, in the words of
 * `wasi-virt run`: a refusal is `wasi-virt: error: cannot run <name>: ...`; a trap names
 * the innermost wasm function (not for a policy trap, which the host raised on the
 * guest's behalf) without the engine's "wasm trap: " prefix, its --debug stack first.
 */
export function reportFailure(err: unknown, name: string, debug: boolean): number {
  const setup = err instanceof FsSetupError || err instanceof WebAssembly.LinkError || err instanceof WebAssembly.CompileError
    || (err instanceof Error && ((err as { userFacing?: unknown }).userFacing === true || err.name === 'UnresolvedImportError'));
  if (debug && err instanceof Error && err.stack) write(`${err.stack}\n`);
  if (setup || !isTrap(err)) {
    say(`error: cannot run ${name}: ${message(err).replace(/^WebAssembly\.\w+\(\): /, '')}`);
    return USAGE_EXIT;
  }
  const policy = err instanceof PolicyTrap;
  const where = policy ? undefined : trapFunction(err);
  const text = policy ? message(err) : firstLine(err).replace(/^wasm trap: /, '');
  say(`trap: ${text}${where ? ` (in ${where})` : ''}`);
  return TRAP_EXIT;
}
