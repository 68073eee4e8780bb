/**
 * State of one preview1 instance: the virtual host it translates to, the guest's
 * memory, and the fd table. Subsystem modules (args.ts, fd.ts, path.ts, ...) each take
 * the context and return their slice of the import object.
 */
import { ExitSignal, PolicyTrap, type VirtualHost } from '../host/index.js';
import { toErrno, WasiError } from '../../virtual-fs/errors.js';
import { ALL_RIGHTS, RIGHTS, type Version } from './abi.js';
import { FdTable } from './fd-table.js';
import { GuestMemory } from './memory.js';

/** Rights of a directory fd (a preopen and what path_open gives for a directory). */
export const DIR_RIGHTS = ALL_RIGHTS & ~(RIGHTS.FD_READ | RIGHTS.FD_WRITE | RIGHTS.FD_SEEK | RIGHTS.FD_TELL
  | RIGHTS.FD_ALLOCATE | RIGHTS.FD_FILESTAT_SET_SIZE | RIGHTS.FD_ADVISE | RIGHTS.SOCK_SHUTDOWN | RIGHTS.SOCK_ACCEPT);
/** Rights any regular file fd may hold. */
export const FILE_RIGHTS = RIGHTS.FD_DATASYNC | RIGHTS.FD_READ | RIGHTS.FD_SEEK | RIGHTS.FD_FDSTAT_SET_FLAGS
  | RIGHTS.FD_SYNC | RIGHTS.FD_TELL | RIGHTS.FD_WRITE | RIGHTS.FD_ADVISE | RIGHTS.FD_ALLOCATE
  | RIGHTS.FD_FILESTAT_GET | RIGHTS.FD_FILESTAT_SET_SIZE | RIGHTS.FD_FILESTAT_SET_TIMES | RIGHTS.POLL_FD_READWRITE;
/** Rights of the stdio fds. */
export const STDIO_RIGHTS = RIGHTS.FD_READ | RIGHTS.FD_WRITE | RIGHTS.FD_FDSTAT_SET_FLAGS | RIGHTS.FD_SYNC
  | RIGHTS.FD_DATASYNC | RIGHTS.FD_FILESTAT_GET | RIGHTS.POLL_FD_READWRITE;

export class Preview1Context {
  readonly mem = new GuestMemory();
  readonly fds = new FdTable();

  constructor(
    readonly host: VirtualHost,
    readonly version: Version,
  ) {
    this.fds.insert({ handle: host.stdin, rightsBase: STDIO_RIGHTS, rightsInheriting: 0n });
    this.fds.insert({ handle: host.stdout, rightsBase: STDIO_RIGHTS, rightsInheriting: 0n });
    this.fds.insert({ handle: host.stderr, rightsBase: STDIO_RIGHTS, rightsInheriting: 0n });
    for (const [name, dir] of host.fs.preopens) {
      this.fds.insert({ handle: dir, rightsBase: DIR_RIGHTS, rightsInheriting: DIR_RIGHTS | FILE_RIGHTS, preopen: name });
    }
  }

  /**
   * The errno for what a call threw. Exit and policy traps unwind the guest; a WasiError
   * becomes its errno (and is remembered for the trace); a RangeError from a typed-array
   * access is a bad guest pointer. Anything else is a bug in the host and traps.
   */
  errno(err: unknown): number {
    if (err instanceof WasiError) {
      this.host.lastError = err;
      return toErrno(err.code);
    }
    if (err instanceof ExitSignal || err instanceof PolicyTrap) throw err;
    if (err instanceof RangeError) {
      this.host.lastError = new WasiError('fault', err.message);
      return toErrno('fault');
    }
    throw err;
  }
}

/** The import functions a subsystem module contributes. */
export type Imports = Record<string, (...args: never[]) => number | void>;

/** Wrap a call body so a thrown WasiError becomes its errno and success is 0. */
export function syscall<A extends unknown[]>(ctx: Preview1Context, body: (...args: A) => void): (...args: A) => number {
  return (...args: A): number => {
    try {
      body(...args);
      return 0;
    } catch (err) {
      return ctx.errno(err);
    }
  };
}
