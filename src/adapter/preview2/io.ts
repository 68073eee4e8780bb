/**
 * wasi:io (error, poll, streams). One class per WIT resource; what a stream reads from or
 * writes to is a delegate (a file handle at an offset, stdio, or a preview2-shim stream for
 * sockets and http), so every stream the guest sees is an instance of the classes in this
 * import object whatever is behind it.
 */
import { WasiError } from '../../virtual-fs/errors.js';
import type { Handle } from '../../virtual-fs/handle.js';
import { waitForAny, type Waitable } from '../kernel/wait.js';
import { clampLen, CLOSED, streamError, trap, type Ctx, type Namespace } from './context.js';

/** What a pollable waits on. `deadline` (monotonic ns) lets `poll` sleep instead of spin. */
export interface PollSource {
  ready(): boolean;
  block(): void;
  readonly deadline?: bigint;
  /** A preview2-shim pollable behind this one (sockets, http): poll hands these to the shim. */
  readonly shim?: unknown;
  dispose?(): void;
}

export class IoError {
  constructor(
    /** The kernel failure, when this error came from the virtual host. */
    readonly wasi: WasiError | undefined,
    /** A preview2-shim error resource, when it came from a passthrough stream. */
    readonly shim?: { toDebugString(): string },
  ) {}
  toDebugString(): string {
    return this.wasi ? this.wasi.message : (this.shim?.toDebugString() ?? 'error');
  }
}

export class Pollable {
  constructor(readonly src: PollSource) {}
  ready(): boolean { return this.src.ready(); }
  block(): void { this.src.block(); }
  [Symbol.dispose](): void { this.src.dispose?.(); }
}

/** The WIT methods of input-stream; a delegate throws final `stream-error` values. */
export interface Reader extends PollSource {
  read(len: bigint): Uint8Array;
  blockingRead(len: bigint): Uint8Array;
  skip(len: bigint): bigint;
  blockingSkip(len: bigint): bigint;
  subscribe(): Pollable;
  readonly label?: string;
}

/** The WIT methods of output-stream. */
export interface Writer extends PollSource {
  checkWrite(): bigint;
  write(bytes: Uint8Array): void;
  blockingWriteAndFlush(bytes: Uint8Array): void;
  flush(): void;
  blockingFlush(): void;
  writeZeroes(len: bigint): void;
  blockingWriteZeroesAndFlush(len: bigint): void;
  splice(src: InputStream, len: bigint): bigint;
  blockingSplice(src: InputStream, len: bigint): bigint;
  subscribe(): Pollable;
  readonly label?: string;
}

export class InputStream {
  constructor(readonly r: Reader) {}
  read(len: bigint): Uint8Array { return this.r.read(len); }
  blockingRead(len: bigint): Uint8Array { return this.r.blockingRead(len); }
  skip(len: bigint): bigint { return this.r.skip(len); }
  blockingSkip(len: bigint): bigint { return this.r.blockingSkip(len); }
  subscribe(): Pollable { return this.r.subscribe(); }
  [Symbol.dispose](): void { this.r.dispose?.(); }
}

export class OutputStream {
  constructor(readonly w: Writer) {}
  checkWrite(): bigint { return this.w.checkWrite(); }
  write(bytes: Uint8Array): void { this.w.write(bytes); }
  blockingWriteAndFlush(bytes: Uint8Array): void { this.w.blockingWriteAndFlush(bytes); }
  flush(): void { this.w.flush(); }
  blockingFlush(): void { this.w.blockingFlush(); }
  writeZeroes(len: bigint): void { this.w.writeZeroes(len); }
  blockingWriteZeroesAndFlush(len: bigint): void { this.w.blockingWriteZeroesAndFlush(len); }
  splice(src: InputStream, len: bigint): bigint { return this.w.splice(src, len); }
  blockingSplice(src: InputStream, len: bigint): bigint { return this.w.blockingSplice(src, len); }
  subscribe(): Pollable { return this.w.subscribe(); }
  [Symbol.dispose](): void { this.w.dispose?.(); }
}

const EMPTY = new Uint8Array(0);

/**
 * A reader over the kernel: subclasses supply `pull` (bytes, or null at end of stream)
 * and readiness; the WIT semantics (closed at EOF, errors as stream errors) live here.
 */
export abstract class VirtualReader implements Reader {
  constructor(protected readonly ctx: Ctx, readonly label: string) {}
  protected abstract pull(max: number, block: boolean): Uint8Array | null;
  abstract ready(): boolean;
  /** A pollable's `block`: wait as poll does (kernel/wait.ts) until a read would not block. */
  block(): void {
    if (!this.ready()) waitForAny(this.ctx.kernel.clocks, [this]);
  }

  private take(len: bigint, block: boolean): Uint8Array {
    const max = clampLen(len);
    let chunk: Uint8Array | null;
    try {
      chunk = this.pull(max, block);
    } catch (e) {
      throw streamError(this.ctx, e);
    }
    if (chunk === null) throw CLOSED;
    return chunk;
  }
  read(len: bigint): Uint8Array { return this.take(len, false); }
  blockingRead(len: bigint): Uint8Array { return this.take(len, true); }
  skip(len: bigint): bigint { return BigInt(this.take(len, false).byteLength); }
  blockingSkip(len: bigint): bigint { return BigInt(this.take(len, true).byteLength); }
  subscribe(): Pollable { return new this.ctx.cls.Pollable(this); }
}

/** Reads a file handle from an offset of its own (preview2 streams have no shared cursor). */
export class FileReader extends VirtualReader {
  constructor(ctx: Ctx, label: string, private readonly handle: Handle, private offset: bigint) {
    super(ctx, label);
  }
  protected pull(max: number): Uint8Array | null {
    if (max === 0) return EMPTY;
    const buf = new Uint8Array(max);
    const n = this.handle.read(buf, this.offset);
    if (n === 0) return null;
    this.offset += BigInt(n);
    return n === max ? buf : buf.subarray(0, n);
  }
  ready(): boolean { return true; }
}

/** Guest stdin: the kernel's stdin handle (allow / ignore / deny decided there). */
export class StdinReader extends VirtualReader {
  constructor(ctx: Ctx, private readonly handle: Handle) {
    super(ctx, 'stdin');
  }
  protected pull(max: number, block: boolean): Uint8Array | null {
    if (max === 0) return EMPTY;
    if (!block && !this.handle.readReady()) return EMPTY;
    // A prompt written before a blocking read must be visible while the guest waits.
    this.ctx.kernel.flush();
    const buf = new Uint8Array(max);
    const n = this.handle.read(buf);
    if (n === 0) return null;
    return n === max ? buf : buf.subarray(0, n);
  }
  ready(): boolean { return this.handle.readReady(); }
}

/** Room a writer advertises in check-write; writes are handed to the kernel at once. */
const WRITE_PERMIT = 1n << 20n;

export abstract class VirtualWriter implements Writer {
  constructor(protected readonly ctx: Ctx, readonly label: string) {}
  protected abstract push(bytes: Uint8Array): void;
  protected flushNow(): void {}
  ready(): boolean { return true; }
  block(): void {}

  checkWrite(): bigint { return WRITE_PERMIT; }
  write(bytes: Uint8Array): void {
    try {
      this.push(bytes);
    } catch (e) {
      throw streamError(this.ctx, e);
    }
  }
  /**
   * Bytes are handed to the kernel at once, which is all the flush a file needs. For
   * stdio the sink decides when they reach the host, as it does for preview1's fd_write
   * (the Node sink coalesces small writes to non-terminals and delivers them within
   * 50 ms, before stdin reads, traces and exit): the adapter calls this for every
   * fd_write, so forcing the sink here would cost a syscall per write. An explicit
   * `flush` does reach the host.
   */
  blockingWriteAndFlush(bytes: Uint8Array): void {
    this.write(bytes);
  }
  flush(): void {
    try {
      this.flushNow();
    } catch (e) {
      throw streamError(this.ctx, e);
    }
  }
  blockingFlush(): void { this.flush(); }
  writeZeroes(len: bigint): void { this.write(new Uint8Array(clampLen(len))); }
  blockingWriteZeroesAndFlush(len: bigint): void { this.blockingWriteAndFlush(new Uint8Array(clampLen(len))); }
  splice(src: InputStream, len: bigint): bigint {
    const bytes = src.read(len);
    this.write(bytes);
    return BigInt(bytes.byteLength);
  }
  blockingSplice(src: InputStream, len: bigint): bigint {
    const bytes = src.blockingRead(len);
    this.blockingWriteAndFlush(bytes);
    return BigInt(bytes.byteLength);
  }
  subscribe(): Pollable { return new this.ctx.cls.Pollable(this); }
}

/** Writes a file handle at an offset of its own, or at the end (append-via-stream). */
export class FileWriter extends VirtualWriter {
  constructor(ctx: Ctx, label: string, private readonly handle: Handle, private offset: bigint | 'append') {
    super(ctx, label);
  }
  protected push(bytes: Uint8Array): void {
    let at = this.offset === 'append' ? this.handle.stat().size : this.offset;
    let rest = bytes;
    while (rest.byteLength > 0) {
      const n = this.handle.write(rest, at);
      if (n <= 0) throw new WasiError('io', 'the file took no bytes');
      at += BigInt(n);
      rest = rest.subarray(n);
    }
    if (this.offset !== 'append') this.offset = at;
  }
}

/** Guest stdout / stderr: the kernel's handles; a flush delivers to the sink. */
export class StdioWriter extends VirtualWriter {
  constructor(ctx: Ctx, label: string, private readonly handle: Handle) {
    super(ctx, label);
  }
  protected push(bytes: Uint8Array): void {
    this.handle.write(bytes);
  }
  protected override flushNow(): void {
    this.handle.sync(false);
  }
}

/**
 * poll: indexes of the ready pollables, blocking until at least one is. Passthrough
 * (shim) pollables alone go to the shim's own poll, which can wait on sockets; every
 * other list waits as preview1's poll_oneoff does (kernel/wait.ts): deadlines sleep,
 * anything else is checked every few milliseconds, never in a spin.
 */
export function pollList(ctx: Ctx, list: Pollable[]): Uint32Array {
  if (list.length === 0) throw new Error('wasi:io/poll#poll: the list of pollables is empty');
  const shims = list.map((p) => p.src.shim);
  if (ctx.network && shims.every((s) => s !== undefined)) {
    const ready = list.flatMap((p, i) => (p.ready() ? [i] : []));
    return ready.length > 0 ? Uint32Array.from(ready) : ctx.network.poll(shims);
  }
  const waits = list.map((p): Waitable => {
    const d = p.src.deadline;
    return d !== undefined ? { deadline: d } : { ready: () => p.ready() };
  });
  try {
    return Uint32Array.from(waitForAny(ctx.kernel.clocks, waits));
  } catch (e) {
    throw trap(ctx, e);
  }
}

export function createIo(ctx: Ctx): Record<string, Namespace> {
  const { cls } = ctx;
  return {
    'wasi:io/error': { Error: cls.IoError },
    'wasi:io/poll': {
      Pollable: cls.Pollable,
      poll: (list: Pollable[]) => pollList(ctx, list),
    },
    'wasi:io/streams': { InputStream: cls.InputStream, OutputStream: cls.OutputStream },
  };
}
