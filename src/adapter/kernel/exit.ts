/**
 * Guest exit. The guest never ends the host: proc_exit and wasi:cli/exit throw an
 * ExitSignal that unwinds the guest and is caught by whoever started it, which gets the
 * code. With exit denied, a successful exit still ends the guest normally (WASI-Virt
 * traps even then); any other code becomes a trap naming the rule.
 */
import type { Toggle } from '../../policy/types.js';
import { PolicyTrap } from './traps.js';

export class ExitSignal extends Error {
  constructor(readonly code: number) {
    super(`guest exited with code ${code}`);
    this.name = 'ExitSignal';
  }
}

/** Call a command's entry point: its exit code (0 when it returns), its output delivered either way. */
export function runEntry(entry: () => void, flush: () => void): number {
  try {
    entry();
    return 0;
  } catch (err) {
    if (err instanceof ExitSignal) return err.code;
    throw err;
  } finally {
    flush();
  }
}

export function exitWith(policy: Toggle | undefined, code: number): never {
  if (policy === 'deny' && code !== 0) {
    throw new PolicyTrap(`denied by policy: exit = "deny" (the guest tried to exit with code ${code})`);
  }
  throw new ExitSignal(code);
}
