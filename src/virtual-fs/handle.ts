/**
 * Handles: the open objects of the virtual host (an "open file description").
 *
 * Both ABI faces dispatch every call to a handle and never ask what kind it is. The base
 * class answers each operation with the code POSIX gives when an object does not support
 * it; snapshot files, memory files, host files, directories and stdio streams override
 * what they support. A writable in-memory layer is one more pair of subclasses.
 */
import { fail, type ErrorCode } from './errors.js';
import { refuseReadOnly } from './read-only.js';

export type FileType =
  | 'unknown' | 'block-device' | 'character-device' | 'directory' | 'fifo'
  | 'symbolic-link' | 'regular-file' | 'socket';

/** Metadata, in nanoseconds since the epoch for the times. */
export interface Stat {
  dev: bigint;
  ino: bigint;
  type: FileType;
  nlink: bigint;
  size: bigint;
  atim: bigint;
  mtim: bigint;
  ctim: bigint;
}

/** A time to set: nanoseconds since the epoch, the current time, or (undefined) leave it. */
export type TimeChange = bigint | 'now' | undefined;

export interface DirEntry {
  name: string;
  type: FileType;
  /** 0n when the backend cannot tell cheaply; faces may stat lazily. */
  ino: bigint;
}

/** What a guest asks of an open: the union of preview1's oflags/rights/fdflags and preview2's flags. */
export interface OpenRequest {
  create?: boolean;
  exclusive?: boolean;
  truncate?: boolean;
  /** Fail with notdir unless the object is a directory. */
  directory?: boolean;
  read?: boolean;
  write?: boolean;
  append?: boolean;
  /** preview2 mutate-directory: the returned directory handle may change its children. */
  mutateDirectory?: boolean;
}

export type Whence = 'set' | 'cur' | 'end';

/** Per-handle flags visible through fd_fdstat_get / get-flags. */
export interface HandleFlags {
  append: boolean;
  nonblock: boolean;
  sync: boolean;
  dsync: boolean;
  rsync: boolean;
}

export type Advice = 'normal' | 'sequential' | 'random' | 'willneed' | 'dontneed' | 'noreuse';

export abstract class Handle {
  abstract readonly fileType: FileType;
  /** Opened for reading / writing. A face checks these before calling read/write. */
  readable = false;
  writable = false;
  flags: HandleFlags = { append: false, nonblock: false, sync: false, dsync: false, rsync: false };
  /**
   * A pinned handle is shared (a mount root, a stdio stream): `close()` leaves it open;
   * only `destroy()` (the host's teardown) ends it.
   */
  pinned = false;
  closed = false;

  protected unsupported(code: ErrorCode = 'badf'): never {
    fail(code, `${this.constructor.name} does not support this operation`);
  }

  stat(): Stat { return this.unsupported(); }

  /** Read into `dst` at the cursor (advancing it) or at `offset`. Returns the count; 0 at EOF. */
  read(_dst: Uint8Array, _offset?: bigint): number { return this.unsupported(); }
  /** Write `src` at the cursor (advancing it; at the end in append mode) or at `offset`. */
  write(_src: Uint8Array, _offset?: bigint): number { return this.unsupported(); }
  seek(_offset: bigint, _whence: Whence): bigint { return this.unsupported('spipe'); }
  setSize(_size: bigint): void { this.unsupported(); }
  allocate(_offset: bigint, _len: bigint): void { this.unsupported(); }
  setTimes(_atim: TimeChange, _mtim: TimeChange): void { this.unsupported(); }
  sync(_dataOnly: boolean): void { /* nothing buffered by default */ }
  advise(_offset: bigint, _len: bigint, _advice: Advice): void { /* advice may be ignored */ }
  setFlags(flags: Partial<HandleFlags>): void { Object.assign(this.flags, flags); }

  /** Entries of a directory, without `.` and `..`, in a stable order. */
  readdir(): DirEntry[] { return this.unsupported('notdir'); }

  /** The one readable / writable check, for every face and backend: badf when not opened so. */
  requireReadable(what = 'file'): void {
    if (!this.readable) fail('badf', `${what} is not open for reading`);
  }
  requireWritable(what = 'file'): void {
    if (!this.writable) fail('badf', `${what} is not open for writing`);
  }

  /** Readiness for poll: true when a read (write) would not block. */
  readReady(): boolean { return true; }
  writeReady(): boolean { return true; }

  /** Terminal? (isatty, preview2 terminal-*). */
  isTerminal(): boolean { return false; }

  close(): void {
    if (this.pinned || this.closed) return;
    this.closed = true;
    this.onClose();
  }
  /** Ends even a pinned handle; for the host's teardown. */
  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
  }
  protected onClose(): void {}
}

/** What walking one path component from a directory found. */
export type Walk = { dir: DirHandle } | { symlink: string };

/**
 * A directory. Besides the handle operations it answers "leaf" operations on one child
 * name; the resolver (resolver.ts) walks paths one component at a time with `walk` and
 * `leafLink` and never lets a backend see a path with a slash in it.
 */
export abstract class DirHandle extends Handle {
  readonly fileType: FileType = 'directory';
  /** Refuses every write path under this directory. */
  readonly = true;

  override read(): number { return this.unsupported('isdir'); }
  override write(): number { return this.unsupported('isdir'); }

  /**
   * Step into child `name` (never `.` or `..`, never containing `/`): a directory handle
   * the caller must `release()`, or the target of a symlink for the resolver to follow.
   * A missing child is noent; a non-directory is notdir.
   */
  abstract walk(name: string): Walk;
  /** The symlink target when `name` is a symlink, else undefined (also when it does not exist). */
  abstract leafLink(name: string): string | undefined;

  /** Done with a handle obtained from `walk`. */
  release(): void { this.close(); }

  /** Open child `name` without following a symlink there (the resolver follows first). */
  openAt(_name: string, _req: OpenRequest): Handle { return this.unsupported('notsup'); }
  /** lstat of child `name`; `.` is the directory itself. */
  statAt(_name: string): Stat { return this.unsupported('notsup'); }
  setTimesAt(_name: string, _atim: TimeChange, _mtim: TimeChange): void { this.refuseWrite(); }
  mkdirAt(_name: string): void { this.refuseWrite(); }
  rmdirAt(_name: string): void { this.refuseWrite(); }
  unlinkAt(_name: string): void { this.refuseWrite(); }
  symlinkAt(_target: string, _name: string): void { this.refuseWrite(); }
  readlinkAt(_name: string): string { return this.unsupported('inval'); }
  renameAt(_name: string, _dst: DirHandle, _dstName: string): void { this.refuseWrite(); }
  linkAt(_name: string, _dst: DirHandle, _dstName: string): void { this.refuseWrite(); }

  /** The same answer, from every backend, for a write where writing is not allowed. */
  protected refuseWrite(): never {
    return refuseReadOnly();
  }

  /**
   * Backends that can rename or link between two of their directories return true for
   * each other; a rename across backends is xdev.
   */
  sameDevice(other: DirHandle): boolean {
    return other === this;
  }
}
