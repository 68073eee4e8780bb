/**
 * Node stdio for guests: sinks and a source over host file descriptors, all synchronous
 * (the guest calls synchronously; Node 20 has no JSPI), and the source's asynchronous read
 * for WASI 0.3 stdin streams (`FdSource.readAsync`).
 *
 * Output coalescing. A guest that calls fd_write once per tiny piece (Rust's line-buffered
 * stdout, hand-written WAT, unbuffered C) pays one write(2) each: ~0.66 µs per 16-byte write
 * to /dev/null here, against ~0.05 µs to append to a buffer. So a sink on a non-terminal
 * (file, pipe, /dev/null) collects small writes and hands them to the OS in one go. A
 * terminal is never buffered (a person is watching; libc line-buffers there already).
 * Buffered bytes are delivered, in order, when:
 *   - the buffer reaches 64 KiB, or a write of 16 KiB or more comes in (written through);
 *   - another sink or the stdin source of the same group is about to act (stdout before
 *     any stderr write, both before a stdin read: the interleaving a reader sees is the
 *     one the guest produced);
 *   - the guest syncs (fd_sync / flush), exits, or its start() returns (Kernel.flush);
 *   - the oldest buffered byte is more than 50 ms old when a write arrives (the clock is
 *     read on the 2nd, 4th, 8th, ... 64th write of a batch and every 64th after: reading
 *     it costs ~0.1 µs, more than buffering the write itself, and a slow writer is seen
 *     on its 2nd write anyway);
 *   - the JavaScript stack unwinds (a microtask: a reactor's exported call returned);
 *   - the Node process exits (an 'exit' hook), so nothing is ever left behind: unlike a
 *     stream queued on a pipe, everything here is written with writeSync before exit;
 *   - the host itself writes through process.stdout or process.stderr (console.log too),
 *     e.g. from an import the guest calls between two writes: with `orderHostWrites`
 *     (nodePlatform's default) those two streams are wrapped, once, when a sink first
 *     buffers, so guest "a", host "b", guest "c" reads `abc` as under node:wasi. A host
 *     writing to fd 1 or 2 with fs.writeSync bypasses the streams and should flush first.
 * EAGAIN (the host made the fd non-blocking, as libuv does for pipes it opened) is waited
 * out with Atomics.wait and retried; partial writes continue where they stopped.
 */
import fs from 'node:fs';
import tty from 'node:tty';
import { fromHostError, WasiError } from '../../virtual-fs/errors.js';
import type { InputSource, OutputSink } from '../kernel/stdio.js';

const BUFFER_BYTES = 64 * 1024;
const WRITE_THROUGH_BYTES = 16 * 1024;
const MAX_AGE_MS = 50;

const waitCell = new Int32Array(new SharedArrayBuffer(4));

/** Sleep the thread briefly (EAGAIN backoff) without spinning. */
function nap(ms: number): void {
  Atomics.wait(waitCell, 0, 0, ms);
}

function isAgain(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'EAGAIN' || code === 'EWOULDBLOCK';
}

/** Write every byte of `bytes` to `fd`, waiting out EAGAIN and continuing partial writes. */
export function writeAll(fd: number, bytes: Uint8Array): void {
  let at = 0;
  let backoff = 1;
  while (at < bytes.length) {
    try {
      at += fs.writeSync(fd, bytes, at, bytes.length - at);
      backoff = 1;
    } catch (err) {
      if (!isAgain(err)) throw err;
      nap(backoff);
      backoff = Math.min(backoff * 2, 50);
    }
  }
}

/**
 * Sinks and the source that share one host's stdio. At most one sink holds buffered
 * bytes at a time: before anyone else in the group acts, that one is flushed.
 */
export class StdioGroup {
  pending: FdSink | undefined;
  private readonly orderHostWrites: boolean;

  constructor(options: { orderHostWrites?: boolean } = {}) {
    this.orderHostWrites = options.orderHostWrites ?? false;
  }

  /** Deliver whatever is buffered (before another member acts). */
  settle(except?: FdSink): void {
    const p = this.pending;
    if (p && p !== except) p.flush();
  }

  /** Called when a sink starts buffering. */
  buffering(sink: FdSink): void {
    this.pending = sink;
    unflushed.add(sink);
    if (!exitHooked) {
      exitHooked = true;
      // One listener for the whole process, for an embedder who exits without flushing.
      process.once('exit', flushAll);
    }
    if (this.orderHostWrites && !hostStreamsHooked) {
      hostStreamsHooked = true;
      for (const stream of [process.stdout, process.stderr]) settleBeforeHostWrites(stream);
    }
    // A promise job rather than queueMicrotask, which wraps each callback in an AsyncResource.
    void Promise.resolve().then(() => this.settle());
  }
}

/** Sinks holding bytes, across every group (the exit hook delivers them). */
const unflushed = new Set<FdSink>();
let exitHooked = false;
let hostStreamsHooked = false;

function flushAll(): void {
  for (const s of [...unflushed]) s.flush();
}

/**
 * The host's own writes to its stdout or stderr come after what the guest wrote before
 * them. Flushing every sink (not only those on the stream's fd) keeps `2>&1` in order too;
 * the cost falls on host writes, never on the guest's batched ones.
 */
function settleBeforeHostWrites(stream: NodeJS.WriteStream): void {
  const write = stream.write;
  stream.write = function (this: NodeJS.WriteStream, ...args: unknown[]): boolean {
    if (unflushed.size > 0) flushAll();
    return (write as (...a: unknown[]) => boolean).apply(this, args);
  } as typeof stream.write;
}

export interface FdSinkOptions {
  /** Collect small writes (default: when the fd is not a terminal). */
  coalesce?: boolean;
  group?: StdioGroup;
}

/**
 * Buffers handed from sink to sink: a sink holds one only while it has bytes waiting, so
 * instantiating many short-lived guests allocates (and collects) no 64 KiB buffers.
 */
const pool: Uint8Array[] = [];
const POOL_MAX = 8;

/** Guest output to a host fd. Never closes the fd: the guest's close ends only its handle. */
export class FdSink implements OutputSink {
  /** The buffer while bytes wait in it (from the pool), else undefined. */
  private buf: Uint8Array | undefined;
  private used = 0;
  private since = 0;
  /** Writes since the buffer was last empty (paces the clock reads). */
  private batched = 0;
  private broken: WasiError | undefined;
  private readonly group: StdioGroup;
  /** Terminal and coalescing are settled on the first write (isatty is a system call). */
  private terminal: boolean | undefined;
  private coalesce: boolean | undefined;

  constructor(readonly fd: number, options: FdSinkOptions = {}) {
    this.coalesce = options.coalesce;
    this.group = options.group ?? new StdioGroup();
  }

  write(bytes: Uint8Array): void {
    if (this.broken) throw this.broken;
    this.group.settle(this);
    const n = bytes.length; // not byteLength: V8 answers it slowly for views of wasm memory
    if (!(this.coalesce ??= !this.isTerminal()) || n >= WRITE_THROUGH_BYTES) {
      if (this.used) this.flush();
      this.put(bytes);
      return;
    }
    if (this.used + n > BUFFER_BYTES) this.flush();
    if (this.used === 0) {
      const buf = (this.buf ??= pool.pop() ?? new Uint8Array(BUFFER_BYTES));
      buf.set(bytes);
      this.used = n;
      this.batched = 1;
      this.since = performance.now();
      this.group.buffering(this);
      return;
    }
    this.buf!.set(bytes, this.used);
    this.used += n;
    const k = ++this.batched;
    if (((k & (k - 1)) === 0 || (k & 63) === 0) && performance.now() - this.since > MAX_AGE_MS) this.flush();
  }

  /** Deliver buffered bytes. Never throws: a failure is reported by the next write. */
  flush(): void {
    if (this.group.pending === this) this.group.pending = undefined;
    const buf = this.buf;
    if (!buf) return;
    unflushed.delete(this);
    const n = this.used;
    this.used = 0;
    this.buf = undefined;
    try {
      if (n) this.put(buf.subarray(0, n));
    } catch (err) {
      // A closed pipe or a full disk: the bytes are lost either way; the guest learns on its next write.
      this.broken = err instanceof WasiError ? err : fromHostError(err);
    } finally {
      if (pool.length < POOL_MAX) pool.push(buf);
    }
  }

  private put(bytes: Uint8Array): void {
    try {
      writeAll(this.fd, bytes);
    } catch (err) {
      this.broken = fromHostError(err);
      throw this.broken;
    }
  }

  isTerminal(): boolean {
    return (this.terminal ??= tty.isatty(this.fd));
  }
}

/**
 * Guest input from a host fd, read with blocking readSync. If the host made the fd
 * non-blocking (EAGAIN), the read waits briefly and retries, so the guest still sees a
 * blocking read. Node offers no zero-timeout poll of an fd, so `ready()` says true: a
 * guest polling stdin learns "readable" and its read then blocks until data or EOF.
 */
export class FdSource implements InputSource {
  private eof = false;
  private terminal: boolean | undefined;
  private readonly group: StdioGroup | undefined;

  constructor(readonly fd: number, options: { group?: StdioGroup } = {}) {
    this.group = options.group;
  }

  read(max: number): Uint8Array | null {
    if (this.eof || max <= 0) return this.eof ? null : new Uint8Array(0);
    // Whatever the guest wrote (a prompt) must be out before it waits for an answer.
    this.group?.settle();
    const dst = new Uint8Array(Math.min(max, 1 << 20));
    let backoff = 1;
    for (;;) {
      try {
        const n = fs.readSync(this.fd, dst, 0, dst.byteLength, null);
        if (n === 0) {
          // A terminal's EOF (Ctrl-D) is per read; a pipe's or file's is final.
          if (!this.isTerminal()) this.eof = true;
          return null;
        }
        return dst.subarray(0, n);
      } catch (err) {
        const code = (err as { code?: unknown } | null)?.code;
        if (code === 'EOF') return null;
        if (!isAgain(err)) throw fromHostError(err);
        nap(backoff);
        backoff = Math.min(backoff * 2, 20);
      }
    }
  }

  /**
   * `read` on libuv's thread pool: the event loop (the guest's other tasks, the host's
   * I/O, timers) runs while it waits. EAGAIN is waited out with a timer, not Atomics.wait.
   */
  readAsync(max: number): Promise<Uint8Array | null> {
    if (this.eof || max <= 0) return Promise.resolve(this.eof ? null : new Uint8Array(0));
    this.group?.settle();
    const dst = new Uint8Array(Math.min(max, 1 << 20));
    return new Promise((resolve, reject) => {
      let backoff = 1;
      const attempt = (): void => fs.read(this.fd, dst, 0, dst.byteLength, null, (err, n) => {
        if (err) {
          if ((err as { code?: unknown }).code === 'EOF') return resolve(null);
          if (!isAgain(err)) return reject(fromHostError(err));
          setTimeout(attempt, backoff);
          backoff = Math.min(backoff * 2, 20);
          return;
        }
        if (n === 0) {
          if (!this.isTerminal()) this.eof = true;
          return resolve(null);
        }
        resolve(dst.subarray(0, n));
      });
      attempt();
    });
  }

  ready(): boolean {
    return true;
  }

  isTerminal(): boolean {
    return (this.terminal ??= tty.isatty(this.fd));
  }
}
