/**
 * State of one preview1 instance: the virtual host it translates to, the guest's
 * memory, and the fd table. Subsystem modules (args.ts, fd.ts, path.ts, ...) each take
 * the context and return their slice of the import object.
 */
import { ExitSignal, GuestTrap, type Kernel } from '../kernel/index.js';
import { fail, toErrno, WasiError, type ErrorCode } from '../../virtual-fs/errors.js';
import type { FileType } from '../../virtual-fs/handle.js';
import { ALL_RIGHTS, RIGHTS, type Version } from './abi.js';
import { FdTable, type FdEntry } from './fd-table.js';
import { GuestMemory } from './memory.js';

/** Rights of a directory fd (a preopen and what path_open gives for a directory). */
export const DIR_RIGHTS = ALL_RIGHTS & ~(RIGHTS.FD_READ | RIGHTS.FD_WRITE | RIGHTS.FD_SEEK | RIGHTS.FD_TELL
  | RIGHTS.FD_ALLOCATE | RIGHTS.FD_FILESTAT_SET_SIZE | RIGHTS.FD_ADVISE | RIGHTS.SOCK_SHUTDOWN | RIGHTS.SOCK_ACCEPT);
/** Rights any regular file fd may hold. */
export const FILE_RIGHTS = RIGHTS.FD_DATASYNC | RIGHTS.FD_READ | RIGHTS.FD_SEEK | RIGHTS.FD_FDSTAT_SET_FLAGS
  | RIGHTS.FD_SYNC | RIGHTS.FD_TELL | RIGHTS.FD_WRITE | RIGHTS.FD_ADVISE | RIGHTS.FD_ALLOCATE
  | RIGHTS.FD_FILESTAT_GET | RIGHTS.FD_FILESTAT_SET_SIZE | RIGHTS.FD_FILESTAT_SET_TIMES | RIGHTS.POLL_FD_READWRITE;
/** Rights a stream (stdio, or a pipe or device opened by path) may hold: nothing positional. */
export const STREAM_RIGHTS = FILE_RIGHTS & ~(RIGHTS.FD_SEEK | RIGHTS.FD_TELL | RIGHTS.FD_ADVISE
  | RIGHTS.FD_ALLOCATE | RIGHTS.FD_FILESTAT_SET_SIZE);
/** Rights that act on a directory's children (or its listing): meaningless on anything else. */
const DIRECTORY_ONLY = DIR_RIGHTS & ~FILE_RIGHTS;

/** The most an fd of this type can hold; path_open masks the new fd's rights with it. */
export function typeRights(type: FileType): bigint {
  if (type === 'directory') return DIR_RIGHTS;
  if (type === 'character-device' || type === 'fifo' || type === 'socket') return STREAM_RIGHTS;
  return FILE_RIGHTS;
}

/**
 * Why an fd lacks `missing`. A right its type could hold but the fd does not (never asked
 * for, or dropped with fd_fdstat_set_rights) is notcapable; a right no object of its type
 * can hold fails as POSIX fails the call on that object: read on a directory is isdir,
 * seek on a stream spipe, readdir on a file notdir.
 */
export function rightsError(type: FileType, missing: bigint): ErrorCode {
  if ((typeRights(type) & missing) === missing) return 'notcapable';
  if (missing & DIRECTORY_ONLY) return 'notdir';
  if (type === 'directory') return 'isdir';
  if (missing & RIGHTS.FD_FILESTAT_SET_SIZE) return 'inval';
  return 'spipe';
}

/** Rights of the stdio fds. */
export const STDIO_RIGHTS = RIGHTS.FD_READ | RIGHTS.FD_WRITE | RIGHTS.FD_FDSTAT_SET_FLAGS | RIGHTS.FD_SYNC
  | RIGHTS.FD_DATASYNC | RIGHTS.FD_FILESTAT_GET | RIGHTS.POLL_FD_READWRITE;

/**
 * A WASI call before the guest's memory was bound (before start(), initialize() or
 * finalizeBindings(), e.g. from a start section, which runs while the module is still
 * being instantiated). node:wasi's error, code and message, so the drop-in throws alike.
 */
export class NotStartedError extends Error {
  readonly code = 'ERR_WASI_NOT_STARTED';
  constructor() {
    super('wasi.start() has not been called');
  }
}

export class Preview1Context {
  readonly mem = new GuestMemory();
  readonly fds = new FdTable();
  /** Set once the memory is bound; every call checks it (a field read) before doing anything. */
  started = false;

  constructor(
    readonly kernel: Kernel,
    readonly version: Version,
  ) {
    this.fds.insert({ handle: kernel.stdin, rightsBase: STDIO_RIGHTS, rightsInheriting: 0n });
    this.fds.insert({ handle: kernel.stdout, rightsBase: STDIO_RIGHTS, rightsInheriting: 0n });
    this.fds.insert({ handle: kernel.stderr, rightsBase: STDIO_RIGHTS, rightsInheriting: 0n });
    for (const [name, dir] of kernel.fs.preopens) {
      this.fds.insert({ handle: dir, rightsBase: DIR_RIGHTS, rightsInheriting: DIR_RIGHTS | FILE_RIGHTS, preopen: name });
    }
    // Files the guest left open hold host descriptors: close them with the host.
    kernel.onDispose(() => this.closeAll());
  }

  bind(memory: WebAssembly.Memory): void {
    this.mem.bind(memory);
    this.started = true;
  }

  /** Close every fd (pinned handles, stdio and mount roots, stay open for the host). */
  closeAll(): void {
    for (const [fd] of [...this.fds.open()]) this.fds.remove(fd).handle.close();
  }

  /** The entry for `fd` (badf when not open), which must hold every right in `rights`. */
  need(fd: number, rights: bigint): FdEntry {
    const e = this.fds.get(fd);
    // One BigInt operation on the common path (each allocates); the missing set only on failure.
    if ((e.rightsBase & rights) !== rights) {
      fail(rightsError(e.handle.fileType, rights & ~e.rightsBase), `fd ${fd} lacks the rights for this call`);
    }
    return e;
  }

  /**
   * The kernel failure a call threw. Exit and policy traps unwind the guest; a RangeError
   * from a typed-array access is a bad guest pointer. Anything else is a bug in the host
   * and traps.
   */
  failure(err: unknown): WasiError {
    if (err instanceof WasiError) return err;
    if (err instanceof ExitSignal || err instanceof GuestTrap) throw err;
    if (err instanceof RangeError) return new WasiError('fault', err.message);
    throw err;
  }

  /** The errno for what a call threw (see `failure`). */
  errno(err: unknown): number {
    return toErrno(this.failure(err).code);
  }
}

/** The import functions a subsystem module contributes. */
export type Imports = Record<string, (...args: never[]) => number | void>;

type Body = (...args: never[]) => void;

/**
 * The throwing body behind each errno-returning import: the trace calls it and converts
 * the failure itself, so its line can name the WasiError's reason.
 */
const BODIES = new WeakMap<object, Body>();

/** Record `body` as what `wrapped` runs before turning failures into errnos. */
export function withBody<F extends object>(body: Body, wrapped: F): F {
  BODIES.set(wrapped, body);
  return wrapped;
}

/** The body `wrapped` converts (undefined for an import that returns no errno). */
export function bodyOf(wrapped: object): ((...args: unknown[]) => void) | undefined {
  return BODIES.get(wrapped) as ((...args: unknown[]) => void) | undefined;
}

/**
 * Wrap a call body so a thrown WasiError becomes its errno and success is 0. The wrapper
 * has the body's arity, not rest parameters: every guest call goes through one, and
 * collecting and spreading an arguments array costs as much as a small read.
 */
export function syscall<A extends unknown[]>(ctx: Preview1Context, body: (...args: A) => void): (...args: A) => number {
  const f = body as (...a: unknown[]) => void;
  const fail = (err: unknown): number => ctx.errno(err);
  let wrapped: (...a: unknown[]) => number;
  switch (body.length) {
    case 0: wrapped = () => { try { if (!ctx.started) throw new NotStartedError(); f(); return 0; } catch (e) { return fail(e); } }; break;
    case 1: wrapped = (a) => { try { if (!ctx.started) throw new NotStartedError(); f(a); return 0; } catch (e) { return fail(e); } }; break;
    case 2: wrapped = (a, b) => { try { if (!ctx.started) throw new NotStartedError(); f(a, b); return 0; } catch (e) { return fail(e); } }; break;
    case 3: wrapped = (a, b, c) => { try { if (!ctx.started) throw new NotStartedError(); f(a, b, c); return 0; } catch (e) { return fail(e); } }; break;
    case 4: wrapped = (a, b, c, d) => { try { if (!ctx.started) throw new NotStartedError(); f(a, b, c, d); return 0; } catch (e) { return fail(e); } }; break;
    case 5: wrapped = (a, b, c, d, e5) => { try { if (!ctx.started) throw new NotStartedError(); f(a, b, c, d, e5); return 0; } catch (e) { return fail(e); } }; break;
    case 6: wrapped = (a, b, c, d, e5, f6) => { try { if (!ctx.started) throw new NotStartedError(); f(a, b, c, d, e5, f6); return 0; } catch (e) { return fail(e); } }; break;
    default: wrapped = (...args) => { try { if (!ctx.started) throw new NotStartedError(); f(...args); return 0; } catch (e) { return fail(e); } };
  }
  return withBody(f, wrapped as (...args: A) => number);
}
