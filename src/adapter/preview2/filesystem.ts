/**
 * wasi:filesystem (types, preopens): `Descriptor`s over the kernel's handles. Every path
 * goes through the one resolver from the descriptor's directory handle; the handles
 * decide what is allowed (read-only mounts and preopens answer `read-only`), this module
 * only translates flags, times and errors. Preopen roots work like any other directory
 * (read-directory and stat included).
 */
import { WasiError, fail, toPreview2 } from '../../virtual-fs/errors.js';
import {
  DirHandle, type Advice, type DirEntry, type Handle, type OpenRequest, type Stat, type TimeChange,
} from '../../virtual-fs/handle.js';
import {
  linkPath, mkdirPath, openPath, readlinkPath, renamePath, rmdirPath, setTimesPath, statPath, symlinkPath, unlinkPath,
} from '../../virtual-fs/path-ops.js';
import { clampLen, errorCode, fromDatetime, toDatetime, type Ctx, type Datetime, type Namespace } from './context.js';
import { FileReader, FileWriter, IoError, type InputStream, type OutputStream } from './io.js';

export interface PathFlags { symlinkFollow?: boolean }
export interface OpenFlags { create?: boolean; directory?: boolean; exclusive?: boolean; truncate?: boolean }
export interface DescriptorFlags {
  read?: boolean;
  write?: boolean;
  fileIntegritySync?: boolean;
  dataIntegritySync?: boolean;
  requestedWriteSync?: boolean;
  mutateDirectory?: boolean;
}
export type NewTimestamp = { tag: 'no-change' } | { tag: 'now' } | { tag: 'timestamp'; val: Datetime };

export interface DescriptorStat {
  type: string;
  linkCount: bigint;
  size: bigint;
  dataAccessTimestamp: Datetime;
  dataModificationTimestamp: Datetime;
  statusChangeTimestamp: Datetime;
}

const ADVICE_OF: Record<string, Advice> = {
  normal: 'normal', sequential: 'sequential', random: 'random',
  'will-need': 'willneed', 'dont-need': 'dontneed', 'no-reuse': 'noreuse',
};

function descriptorStat(s: Stat): DescriptorStat {
  return {
    type: s.type,
    linkCount: s.nlink,
    size: s.size,
    dataAccessTimestamp: toDatetime(s.atim),
    dataModificationTimestamp: toDatetime(s.mtim),
    statusChangeTimestamp: toDatetime(s.ctim),
  };
}

function toTime(t: NewTimestamp): TimeChange {
  return t.tag === 'no-change' ? undefined : t.tag === 'now' ? 'now' : fromDatetime(t.val);
}

function joinLabel(base: string, path: string): string {
  return base.endsWith('/') ? base + path : `${base}/${path}`;
}

/**
 * Lists on the first read, not when the stream is made: jco's preview1 adapter keeps an
 * unread stream cached for a later fd_readdir at cookie 0, which must then see the
 * directory as it is by that time (entries created in between included).
 */
export class DirectoryEntryStream {
  private at = 0;
  private entries: DirEntry[] | undefined;
  constructor(private readonly list: () => DirEntry[]) {}
  readDirectoryEntry(): { type: string; name: string } | undefined {
    this.entries ??= this.list();
    const e = this.entries[this.at];
    if (!e) return undefined;
    this.at++;
    return { type: e.type, name: e.name };
  }
}

export class Descriptor {
  constructor(
    readonly ctx: Ctx,
    readonly handle: Handle,
    /** Guest path it was opened by (traces and debugging only). */
    readonly label: string,
    /** Preopen roots are shared: dropping one of their descriptors must not close them. */
    private readonly owned: boolean,
  ) {}

  // #private: every prototype method of a resource class is traced as a WIT method.
  #dir(): DirHandle {
    if (!(this.handle instanceof DirHandle)) fail('notdir', `"${this.label}" is not a directory`);
    return this.handle;
  }

  #fail(e: unknown): never {
    throw errorCode(this.ctx, e);
  }

  readViaStream(offset: bigint): InputStream {
    try {
      this.handle.requireReadable(`"${this.label}"`);
      return new this.ctx.cls.InputStream(new FileReader(this.ctx, this.label, this.handle, offset));
    } catch (e) { return this.#fail(e); }
  }

  writeViaStream(offset: bigint): OutputStream {
    try {
      this.handle.requireWritable(`"${this.label}"`);
      return new this.ctx.cls.OutputStream(new FileWriter(this.ctx, this.label, this.handle, offset));
    } catch (e) { return this.#fail(e); }
  }

  appendViaStream(): OutputStream {
    try {
      this.handle.requireWritable(`"${this.label}"`);
      return new this.ctx.cls.OutputStream(new FileWriter(this.ctx, this.label, this.handle, 'append'));
    } catch (e) { return this.#fail(e); }
  }

  advise(offset: bigint, length: bigint, advice: string): void {
    try { this.handle.advise(offset, length, ADVICE_OF[advice] ?? 'normal'); } catch (e) { this.#fail(e); }
  }

  syncData(): void {
    try { this.handle.sync(true); } catch (e) { this.#fail(e); }
  }

  sync(): void {
    try { this.handle.sync(false); } catch (e) { this.#fail(e); }
  }

  getFlags(): DescriptorFlags {
    const h = this.handle;
    const isDir = h instanceof DirHandle;
    return {
      read: h.readable || isDir,
      write: h.writable,
      fileIntegritySync: h.flags.sync,
      dataIntegritySync: h.flags.dsync,
      requestedWriteSync: h.flags.rsync,
      mutateDirectory: isDir && !h.readonly,
    };
  }

  getType(): string {
    return this.handle.fileType;
  }

  setSize(size: bigint): void {
    try {
      this.handle.requireWritable(`"${this.label}"`);
      this.handle.setSize(size);
    } catch (e) { this.#fail(e); }
  }

  setTimes(atime: NewTimestamp, mtime: NewTimestamp): void {
    try { this.handle.setTimes(toTime(atime), toTime(mtime)); } catch (e) { this.#fail(e); }
  }

  read(length: bigint, offset: bigint): [Uint8Array, boolean] {
    try {
      this.handle.requireReadable(`"${this.label}"`);
      const max = clampLen(length);
      if (max === 0) return [new Uint8Array(0), false];
      const buf = new Uint8Array(max);
      const n = this.handle.read(buf, offset);
      return [n === max ? buf : buf.subarray(0, n), n < max];
    } catch (e) { return this.#fail(e); }
  }

  write(buffer: Uint8Array, offset: bigint): bigint {
    try {
      this.handle.requireWritable(`"${this.label}"`);
      return BigInt(this.handle.write(buffer, offset));
    } catch (e) { return this.#fail(e); }
  }

  readDirectory(): DirectoryEntryStream {
    try {
      const dir = this.#dir();
      const ctx = this.ctx;
      return new ctx.cls.DirectoryEntryStream(() => {
        try {
          return dir.readdir();
        } catch (e) {
          throw errorCode(ctx, e);
        }
      });
    } catch (e) { return this.#fail(e); }
  }

  stat(): DescriptorStat {
    try { return descriptorStat(this.handle.stat()); } catch (e) { return this.#fail(e); }
  }

  /** Run a path operation from this directory, its failures thrown as error codes. */
  #path<T>(op: (dir: DirHandle) => T): T {
    try {
      return op(this.#dir());
    } catch (e) { return this.#fail(e); }
  }

  statAt(pathFlags: PathFlags, path: string): DescriptorStat {
    return descriptorStat(this.#path((d) => statPath(d, path, !!pathFlags.symlinkFollow)));
  }

  setTimesAt(pathFlags: PathFlags, path: string, atime: NewTimestamp, mtime: NewTimestamp): void {
    this.#path((d) => setTimesPath(d, path, !!pathFlags.symlinkFollow, toTime(atime), toTime(mtime)));
  }

  openAt(pathFlags: PathFlags, path: string, openFlags: OpenFlags, flags: DescriptorFlags): Descriptor {
    const req: OpenRequest = {
      create: !!openFlags.create,
      exclusive: !!openFlags.exclusive,
      truncate: !!openFlags.truncate,
      directory: !!openFlags.directory,
      read: !!flags.read,
      write: !!flags.write,
      mutateDirectory: !!flags.mutateDirectory,
    };
    const handle = this.#path((d) => this.ctx.kernel.limits.openFile(() => openPath(d, path, !!pathFlags.symlinkFollow, req)));
    if (flags.fileIntegritySync || flags.dataIntegritySync || flags.requestedWriteSync) {
      handle.setFlags({ sync: !!flags.fileIntegritySync, dsync: !!flags.dataIntegritySync, rsync: !!flags.requestedWriteSync });
    }
    return new this.ctx.cls.Descriptor(this.ctx, handle, joinLabel(this.label, path), true);
  }

  readlinkAt(path: string): string {
    return this.#path((d) => readlinkPath(d, path));
  }

  createDirectoryAt(path: string): void {
    this.#path((d) => mkdirPath(d, path));
  }

  removeDirectoryAt(path: string): void {
    this.#path((d) => rmdirPath(d, path));
  }

  unlinkFileAt(path: string): void {
    this.#path((d) => unlinkPath(d, path));
  }

  symlinkAt(oldPath: string, newPath: string): void {
    this.#path((d) => symlinkPath(oldPath, d, newPath));
  }

  renameAt(oldPath: string, newDescriptor: Descriptor, newPath: string): void {
    this.#path((d) => renamePath(d, oldPath, newDescriptor.#dir(), newPath));
  }

  linkAt(oldPathFlags: PathFlags, oldPath: string, newDescriptor: Descriptor, newPath: string): void {
    this.#path((d) => linkPath(d, oldPath, !!oldPathFlags.symlinkFollow, newDescriptor.#dir(), newPath));
  }

  isSameObject(other: Descriptor): boolean {
    if (other.handle === this.handle) return true;
    try {
      const a = this.handle.stat();
      const b = other.handle.stat();
      return a.dev === b.dev && a.ino === b.ino;
    } catch {
      return false;
    }
  }

  /**
   * Device and inode as the two halves: the preview1 adapter reports `lower` as d_ino and
   * st_ino, so a guest sees the kernel's real inode numbers through the adapter.
   */
  metadataHash(): { upper: bigint; lower: bigint } {
    try {
      const s = this.handle.stat();
      return { upper: s.dev, lower: s.ino };
    } catch (e) { return this.#fail(e); }
  }

  metadataHashAt(pathFlags: PathFlags, path: string): { upper: bigint; lower: bigint } {
    const s = this.#path((d) => statPath(d, path, !!pathFlags.symlinkFollow));
    return { upper: s.dev, lower: s.ino };
  }

  [Symbol.dispose](): void {
    if (this.owned) this.handle.close();
  }
}

export function createFilesystem(ctx: Ctx): Record<string, Namespace> {
  const { kernel, cls } = ctx;
  return {
    'wasi:filesystem/types': {
      Descriptor: cls.Descriptor,
      DirectoryEntryStream: cls.DirectoryEntryStream,
      filesystemErrorCode: (err: IoError): string | undefined =>
        err instanceof IoError && err.wasi instanceof WasiError ? toPreview2(err.wasi.code) : undefined,
    },
    'wasi:filesystem/preopens': {
      // Fresh, unowned descriptors each call: the adapter asks twice and drops one.
      getDirectories: (): [Descriptor, string][] =>
        kernel.fs.preopens.map(([name, dir]) => [new cls.Descriptor(ctx, dir, name, false), name]),
    },
  };
}
