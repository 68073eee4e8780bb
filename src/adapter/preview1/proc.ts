/**
 * proc_exit, proc_raise and sched_yield. None of them reaches the host process:
 *
 * - proc_exit(code) asks the kernel to end the guest (`host.exit`): the code goes back to
 *   whoever started it (never `process.exit`), or, with exit denied, a non-zero code traps.
 *   A POSIX exit status is 8 bits; a larger code would be truncated by the OS (256 would
 *   read as success), so, like wasmtime (which stops at 126), it traps instead.
 * - proc_raise(sig) never signals the host (uvwasi's `raise()` does). A signal whose
 *   default action is to ignore it (CHLD, CONT, URG, WINCH) and signal 0 do nothing; the
 *   stop signals have no meaning here (notsup); every other signal would end a POSIX
 *   process abnormally, so it traps, naming the signal (wasmtime traps on every signal).
 *   wasi-libc never calls proc_raise (its emulated `raise` runs handlers in the guest).
 * - sched_yield: single-threaded, so there is no one to yield to; it delivers buffered
 *   output, so a guest that yields while waiting has its output seen.
 */
import { fail } from '../../virtual-fs/errors.js';
import { GuestTrap } from '../kernel/traps.js';
import { syscall, type Imports, type Preview1Context } from './context.js';

/** witx `signal` names, by number. */
export const SIGNALS = [
  'none', 'hup', 'int', 'quit', 'ill', 'trap', 'abrt', 'bus', 'fpe', 'kill', 'usr1', 'segv', 'usr2',
  'pipe', 'alrm', 'term', 'chld', 'cont', 'stop', 'tstp', 'ttin', 'ttou', 'urg', 'xcpu', 'xfsz',
  'vtalrm', 'prof', 'winch', 'poll', 'pwr', 'sys',
] as const;

const IGNORED = new Set(['none', 'chld', 'cont', 'urg', 'winch']);
const STOPS = new Set(['stop', 'tstp', 'ttin', 'ttou']);

export default function procImports(ctx: Preview1Context): Imports {
  const { kernel } = ctx;
  return {
    proc_exit: (rawCode: number): void => {
      const code = rawCode >>> 0;
      if (code > 255) {
        kernel.flush();
        throw new GuestTrap(`exit with invalid exit status ${code} outside of [0..256)`);
      }
      kernel.exit(code);
    },
    proc_raise: syscall(ctx, (sig: number) => {
      const name = SIGNALS[sig];
      if (name === undefined) fail('inval', `signal ${sig} does not exist`);
      if (IGNORED.has(name)) return;
      if (STOPS.has(name)) fail('notsup', `SIG${name.toUpperCase()} cannot stop a guest`);
      kernel.flush();
      throw new GuestTrap(`proc_raise(SIG${name.toUpperCase()}): the guest raised a fatal signal`);
    }),
    sched_yield: syscall(ctx, () => {
      kernel.flush();
    }),
  };
}
