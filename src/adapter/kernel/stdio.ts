/**
 * Guest stdio. Guest fds 0-2 (and preview2's get-stdin/-stdout/-stderr) are these
 * virtual handles, never the host's descriptors: closing or renumbering them in the
 * guest leaves the host's stdio alone. Each stream is allow (host source or sink),
 * ignore (reads see EOF, writes succeed and vanish) or deny (every call fails).
 */
import type { StdioMode } from '../../policy/types.js';
import { fail } from '../../virtual-fs/errors.js';
import { Handle, type FileType, type Stat } from '../../virtual-fs/handle.js';
import type { ByteQuota } from '../../virtual-fs/quota.js';

/** Where guest output goes. Sinks buffer as they like; `flush` must deliver everything. */
export interface OutputSink {
  write(bytes: Uint8Array): void;
  flush(): void;
  isTerminal?(): boolean;
}

/** Where guest input comes from. `read` blocks until data or EOF; null is EOF. */
export interface InputSource {
  read(max: number): Uint8Array | null;
  /**
   * The same read without blocking the thread, where the source can wait for input
   * asynchronously (a WASI 0.3 stdin stream reads this way, so the guest's other tasks
   * and the host's I/O go on meanwhile).
   */
  readAsync?(max: number): Promise<Uint8Array | null>;
  /** True when a read would not block. */
  ready?(): boolean;
  isTerminal?(): boolean;
}

/** Collects output in memory (API capture, tests). */
export class CaptureSink implements OutputSink {
  readonly chunks: Uint8Array[] = [];
  write(bytes: Uint8Array): void { this.chunks.push(bytes.slice()); }
  flush(): void {}
  bytes(): Uint8Array {
    const total = this.chunks.reduce((n, c) => n + c.byteLength, 0);
    const out = new Uint8Array(total);
    let at = 0;
    for (const c of this.chunks) { out.set(c, at); at += c.byteLength; }
    return out;
  }
  text(): string { return new TextDecoder().decode(this.bytes()); }
}

/** Reads from a fixed buffer (API stdin), then EOF. */
export class BufferSource implements InputSource {
  private at = 0;
  private readonly data: Uint8Array;
  constructor(data: Uint8Array | string) {
    this.data = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  }
  read(max: number): Uint8Array | null {
    if (this.at >= this.data.byteLength) return null;
    const out = this.data.subarray(this.at, this.at + max);
    this.at += out.byteLength;
    return out;
  }
  ready(): boolean { return true; }
}

const EPOCH_STAT: Stat = { dev: 0n, ino: 0n, type: 'character-device', nlink: 1n, size: 0n, atim: 0n, mtim: 0n, ctim: 0n };

export class StdinHandle extends Handle {
  readonly fileType: FileType = 'character-device';
  constructor(readonly mode: StdioMode, private readonly source: InputSource | undefined) {
    super();
    this.readable = true;
    this.pinned = true;
  }
  /** Bytes an asynchronous read brought in after its reader had gone: the next read's first. */
  private leftover: Uint8Array | undefined;

  override stat(): Stat { return { ...EPOCH_STAT }; }
  override read(dst: Uint8Array): number {
    if (this.mode === 'deny') fail('notcapable', 'denied by policy: stdio.stdin = "deny"');
    if (this.mode === 'ignore' || !this.source || dst.byteLength === 0) return 0;
    const chunk = this.takeLeftover(dst.byteLength) ?? this.source.read(dst.byteLength);
    if (chunk === null) return 0;
    dst.set(chunk);
    return chunk.byteLength;
  }

  /** Whether `readAsync` waits without blocking the thread (the source can). */
  get readsAsync(): boolean {
    return this.mode === 'allow' && typeof this.source?.readAsync === 'function';
  }

  /** Up to `max` bytes, null at the end; waits asynchronously where the source can, else reads as `read` does. */
  async readAsync(max: number): Promise<Uint8Array | null> {
    if (this.mode === 'deny') fail('notcapable', 'denied by policy: stdio.stdin = "deny"');
    if (this.mode === 'ignore' || !this.source || max === 0) return null;
    const left = this.takeLeftover(max);
    if (left) return left;
    return this.source.readAsync ? this.source.readAsync(max) : this.source.read(max);
  }

  /** Give back bytes read for a reader that is gone; the next read starts with them. */
  unread(bytes: Uint8Array): void {
    if (bytes.byteLength === 0) return;
    if (!this.leftover) {
      this.leftover = bytes.slice();
      return;
    }
    const joined = new Uint8Array(bytes.byteLength + this.leftover.byteLength);
    joined.set(bytes);
    joined.set(this.leftover, bytes.byteLength);
    this.leftover = joined;
  }

  private takeLeftover(max: number): Uint8Array | undefined {
    const left = this.leftover;
    if (!left) return undefined;
    const out = left.subarray(0, max);
    this.leftover = left.byteLength > max ? left.subarray(max) : undefined;
    return out;
  }
  override readReady(): boolean {
    return this.mode !== 'allow' || !this.source || this.leftover !== undefined || (this.source.ready?.() ?? true);
  }
  override isTerminal(): boolean { return this.mode === 'allow' && (this.source?.isTerminal?.() ?? false); }
}

export class StdoutHandle extends Handle {
  readonly fileType: FileType = 'character-device';
  constructor(
    readonly name: 'stdout' | 'stderr',
    readonly mode: StdioMode,
    readonly sink: OutputSink | undefined,
    /** The policy's `limits.stdout-bytes` / `stderr-bytes`: every mode counts against it. */
    private readonly quota?: ByteQuota,
  ) {
    super();
    this.writable = true;
    this.pinned = true;
  }
  override stat(): Stat { return { ...EPOCH_STAT }; }
  override write(src: Uint8Array): number {
    if (this.mode === 'deny') fail('notcapable', `denied by policy: stdio.${this.name} = "deny"`);
    // Measured first: a sink that grows guest memory detaches `src` (its length becomes 0).
    const n = this.quota ? this.quota.take(src.byteLength) : src.byteLength;
    if (this.mode === 'allow' && this.sink && n > 0) this.sink.write(n < src.byteLength ? src.subarray(0, n) : src);
    return n;
  }
  override sync(): void { this.sink?.flush(); }
  override isTerminal(): boolean { return this.mode === 'allow' && (this.sink?.isTerminal?.() ?? false); }
}
