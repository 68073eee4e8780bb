/**
 * An open host file (or FIFO, socket, device) behind a confined preopen.
 *
 * Node has no lseek and no fcntl, so the handle keeps its own cursor and always passes an
 * explicit position to readSync/writeSync (the kernel's file offset is never used), and
 * append mode is emulated: each append write goes at the current size (fstat), which is
 * exact for the guest's own writes and racy only against another process appending to
 * the same file at the same moment. Objects without positions (FIFOs, sockets, terminals)
 * are read and written at "the current position", which the kernel keeps.
 */
import fs from 'node:fs';
import { fail } from '../errors.js';
import { Handle, type FileType, type Stat, type TimeChange, type Whence } from '../handle.js';
import { refuseReadOnly } from '../read-only.js';
import { hostFail, syncFd, type HostContext } from './confine.js';
import { CONFINERS } from './confiners.js';
import { toStat, typeOfMode } from './stat.js';
import { applyTimes, type TimesTarget } from './times.js';

/** Largest offset a 64-bit off_t holds. */
const MAX_OFFSET = (1n << 63n) - 1n;

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function writePosition(at: bigint): number {
  if (at > MAX_SAFE) fail('fbig', 'write offset past 2^53');
  return Number(at);
}

export interface HostFileOptions {
  readable: boolean;
  writable: boolean;
  append: boolean;
  /** Known from an fstat at open; undefined when the open itself proved it is not a directory. */
  type: FileType | undefined;
  /** The host path, in the path fallback only (touch(1) needs a name there). */
  path?: string;
  /** Identity of the file, in the path fallback only, to check `path` before using it. */
  ident?: { dev: bigint; ino: bigint };
  /** For error details: the guest-side name it was opened by. */
  name: string;
}

export class HostFile extends Handle {
  private kind: FileType | undefined;
  /** Reads and writes take explicit offsets (false for FIFOs, sockets, terminals). */
  private positional: boolean;
  /**
   * The cursor as a number while it is below 2^53 (every real file: ext4 ends at 2^44),
   * so a sequential read does no BigInt arithmetic; -1 once a seek put it past that, and
   * then `farCursor` holds it (readSync takes a bigint position there).
   */
  private cursor = 0;
  private farCursor = 0n;

  constructor(
    private fd: number,
    private readonly ctx: HostContext,
    private readonly opts: HostFileOptions,
  ) {
    super();
    this.readable = opts.readable;
    this.writable = opts.writable;
    this.flags.append = opts.append;
    this.kind = opts.type;
    this.positional = opts.type === undefined || opts.type === 'regular-file' || opts.type === 'block-device';
  }

  get fileType(): FileType {
    if (this.kind === undefined) {
      try {
        this.kind = typeOfMode(fs.fstatSync(this.live()).mode);
      } catch (e) {
        return this.failHost(e, 'stat');
      }
    }
    return this.kind;
  }

  /** The fd, unless closed: a closed fd number may already name some other host file. */
  private live(): number {
    if (this.closed) fail('badf', 'file is closed');
    return this.fd;
  }

  private failHost(err: unknown, op: string): never {
    return hostFail(err, op, this.opts.name);
  }

  override stat(): Stat {
    try {
      return toStat(fs.fstatSync(this.live(), { bigint: true }));
    } catch (e) {
      return this.failHost(e, 'stat');
    }
  }

  override read(dst: Uint8Array, offset?: bigint): number {
    const fd = this.live();
    if (offset === undefined && this.positional && this.cursor >= 0) {
      // The sequential read: number arithmetic only (see `cursor`).
      let n: number;
      try {
        n = fs.readSync(fd, dst, 0, dst.length, this.cursor);
      } catch (e) {
        if (!this.nowUnpositioned(e)) return this.failHost(e, 'read');
        return this.read(dst);
      }
      this.advance(n);
      return n;
    }
    if (offset !== undefined) {
      if (!this.positional) fail('spipe', 'not seekable');
      if (offset < 0n || offset > MAX_OFFSET) fail('inval', 'offset out of range');
    }
    const at = offset ?? this.position();
    let n: number;
    try {
      n = this.positional
        ? fs.readSync(fd, dst, 0, dst.length, at <= MAX_SAFE ? Number(at) : at)
        : fs.readSync(fd, dst, 0, dst.length, null);
    } catch (e) {
      if (!this.nowUnpositioned(e) || offset !== undefined) return this.failHost(e, 'read');
      return this.read(dst);
    }
    if (offset === undefined && this.positional) this.setPosition(at + BigInt(n));
    return n;
  }

  /** The cursor as a bigint. */
  private position(): bigint {
    return this.cursor >= 0 ? BigInt(this.cursor) : this.farCursor;
  }

  private setPosition(at: bigint): void {
    if (at <= MAX_SAFE) this.cursor = Number(at);
    else {
      this.cursor = -1;
      this.farCursor = at;
    }
  }

  /** Move a number cursor `n` bytes on (past 2^53 it becomes a bigint one). */
  private advance(n: number): void {
    const next = this.cursor + n;
    if (next <= Number.MAX_SAFE_INTEGER) this.cursor = next;
    else this.setPosition(BigInt(this.cursor) + BigInt(n));
  }

  override write(src: Uint8Array, offset?: bigint): number {
    const fd = this.live();
    this.requireWritable();
    if (offset !== undefined) {
      if (!this.positional) fail('spipe', 'not seekable');
      if (offset < 0n || offset > MAX_OFFSET) fail('inval', 'offset out of range');
    }
    const quota = this.ctx.quota;
    if (quota) {
      const granted = quota.take(src.byteLength);
      let n = 0;
      try {
        return (n = this.writeHost(fd, granted < src.byteLength ? src.subarray(0, granted) : src, offset));
      } finally {
        quota.refund(granted - n);
      }
    }
    return this.writeHost(fd, src, offset);
  }

  private writeHost(fd: number, src: Uint8Array, offset: bigint | undefined): number {
    try {
      if (!this.positional) return fs.writeSync(fd, src, 0, src.byteLength, null);
      if (offset !== undefined) return fs.writeSync(fd, src, 0, src.byteLength, writePosition(offset));
      const at = this.flags.append ? BigInt(fs.fstatSync(fd, { bigint: true }).size) : this.position();
      const n = fs.writeSync(fd, src, 0, src.byteLength, writePosition(at));
      this.setPosition(at + BigInt(n));
      return n;
    } catch (e) {
      if (!this.nowUnpositioned(e) || offset !== undefined) return this.failHost(e, 'write');
      return this.writeHost(fd, src, undefined);
    }
  }

  /**
   * A handle opened for writing skips the fstat that would tell a FIFO from a file; the
   * first positioned call on a FIFO fails with ESPIPE, after which it is known.
   */
  private nowUnpositioned(err: unknown): boolean {
    if (!this.positional || (err as { code?: unknown }).code !== 'ESPIPE') return false;
    this.positional = false;
    return true;
  }

  override seek(offset: bigint, whence: Whence): bigint {
    const fd = this.live();
    const t = this.fileType;
    if (t !== 'regular-file' && t !== 'block-device') fail('spipe', 'not seekable');
    let base = 0n;
    if (whence === 'cur') base = this.position();
    else if (whence === 'end') {
      try {
        base = fs.fstatSync(fd, { bigint: true }).size;
      } catch (e) {
        return this.failHost(e, 'seek');
      }
    }
    const next = base + offset;
    if (next < 0n) fail('inval', 'seek before the start of the file');
    if (next > MAX_OFFSET) fail('inval', 'seek past the largest offset');
    this.setPosition(next);
    return next;
  }

  override setSize(size: bigint): void {
    const fd = this.live();
    if (this.ctx.readonly) refuseReadOnly();
    if (size < 0n) fail('inval', 'negative size');
    if (size > BigInt(Number.MAX_SAFE_INTEGER)) fail('fbig', 'size too large');
    try {
      fs.ftruncateSync(fd, Number(size));
    } catch (e) {
      this.failHost(e, 'set size');
    }
  }

  /**
   * Node has no posix_fallocate: a range past the end extends the file with ftruncate
   * (sparse; blocks are not reserved, so a later write can still meet ENOSPC).
   */
  override allocate(offset: bigint, len: bigint): void {
    const fd = this.live();
    if (this.ctx.readonly) refuseReadOnly();
    this.requireWritable();
    if (offset < 0n || len <= 0n) fail('inval', 'bad allocation range');
    const end = offset + len;
    if (end > BigInt(Number.MAX_SAFE_INTEGER)) fail('fbig', 'allocation too large');
    try {
      if (BigInt(fs.fstatSync(fd, { bigint: true }).size) < end) fs.ftruncateSync(fd, Number(end));
    } catch (e) {
      this.failHost(e, 'allocate');
    }
  }

  override setTimes(atim: TimeChange, mtim: TimeChange): void {
    const fd = this.live();
    if (this.ctx.readonly) refuseReadOnly();
    try {
      applyTimes(this.timesTarget(fd), atim, mtim);
    } catch (e) {
      this.failHost(e, 'set times');
    }
  }

  private timesTarget(fd: number): TimesTarget {
    return {
      current: () => fs.fstatSync(fd, { bigint: true }),
      viaNode: (a, m) => fs.futimesSync(fd, a, m),
      touch: () => CONFINERS[this.ctx.confinement].touchFile(fd, this.opts.path, this.opts.ident),
    };
  }

  override sync(dataOnly: boolean): void {
    const fd = this.live();
    try { syncFd(fd, dataOnly); } catch (e) { this.failHost(e, 'sync'); }
  }

  protected override onClose(): void {
    try {
      fs.closeSync(this.fd);
    } catch {
      // Nothing the guest can do about a failed close; the fd is gone either way.
    }
    this.fd = -1;
  }
}
