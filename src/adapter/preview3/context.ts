/**
 * What the WASI 0.3 interface modules share: the kernel, how a kernel failure reaches the
 * guest, and jco's conventions for `stream<T>` and `future<T>` at the host boundary
 * (read from jco 1.35's generated bindings and @bytecodealliance/preview3-shim):
 *
 * - a stream the host hands out is any (async) iterable of chunks; jco pulls from it
 *   and calls `return()` when the guest drops its end;
 * - a stream the guest hands in has `read({ count })`, resolving to a chunk, or to null
 *   (or an iterator result with `done`) once the guest's writer is gone;
 * - a future is a Promise; for `future<result<_, E>>` it resolves to `{ tag: 'ok' }` /
 *   `{ tag: 'err', val }`;
 * - a `result` function fails by throwing an object whose own `payload` is the `err`
 *   value (anything else thrown, an Error in particular, is a trap).
 */
import type { Kernel } from '../kernel/index.js';
import { PolicyTrap } from '../kernel/traps.js';
import { toPreview2, WasiError } from '../../virtual-fs/errors.js';

export interface Ctx {
  readonly kernel: Kernel;
  /** Guest-written streams being drained into the kernel (files, stdout, stderr). */
  readonly drains: Drains;
}

/** The `err` of a `result`, thrown where jco expects it (own `payload`, not an Error). */
export class WitError {
  constructor(readonly payload: { tag: string; val?: unknown }) {}
}

export type Result = { tag: 'ok'; val?: undefined } | { tag: 'err'; val: unknown };
export const OK: Result = Object.freeze({ tag: 'ok' as const, val: undefined });

/** A kernel failure as the 0.3 filesystem `error-code` variant (`{ tag: 'no-entry' }`). */
export function fsErrorCode(e: unknown): { tag: string } {
  if (e instanceof WasiError) {
    return { tag: toPreview2(e.code) };
  }
  throw e;
}

/** For a `result` function: the value to throw for a failure (a host bug is rethrown and traps). */
export function fsFailure(e: unknown): WitError {
  return new WitError(fsErrorCode(e));
}

/** For a function without an error channel: a kernel failure becomes a trap naming it. */
export function trap(e: unknown): unknown {
  if (e instanceof WasiError) {
    return new PolicyTrap(e.detail ?? e.code);
  }
  return e;
}

/** Largest chunk a host-side stream hands jco at once. */
export const CHUNK = 64 * 1024;

/** What reading a guest-written stream gives back, as bytes (null at the end). */
function bytesOf(v: unknown): Uint8Array | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Uint8Array) return v;
  if (Array.isArray(v)) return Uint8Array.from(v as number[]);
  if (typeof v === 'number') return Uint8Array.of(v);
  if (v instanceof ArrayBuffer) return new Uint8Array(v);
  throw new TypeError('a byte stream chunk of an unknown shape');
}

/** The guest's `stream<u8>` as jco lifts it to the host. */
export interface GuestStream {
  read(opts: { count: number }): Promise<unknown>;
  [Symbol.dispose]?(): void;
}

/**
 * Drain a guest-written byte stream into `sink`, chunk by chunk. Stops (and drops the
 * guest's stream) when the sink throws; the sink's error is rethrown.
 */
export async function drain(stream: GuestStream, sink: (bytes: Uint8Array) => void): Promise<void> {
  try {
    for (;;) {
      const got = await stream.read({ count: CHUNK });
      const v = got !== null && typeof got === 'object' && 'done' in got
        ? ((got as IteratorResult<unknown>).done ? null : (got as IteratorResult<unknown>).value)
        : got;
      const bytes = bytesOf(v);
      if (bytes === null) return;
      if (bytes.byteLength > 0) sink(bytes);
    }
  } finally {
    stream[Symbol.dispose]?.();
  }
}

/** A future the host settles once: its promise is what jco lowers. */
export class Settle<T> {
  readonly promise: Promise<T>;
  private resolveFn!: (v: T) => void;
  private done = false;
  constructor() {
    this.promise = new Promise<T>((resolve) => { this.resolveFn = resolve; });
  }
  resolve(v: T): void {
    if (this.done) return;
    this.done = true;
    this.resolveFn(v);
  }
}

// A fresh object each time, as before: jco may keep what an iterator returns.
const done = (): IteratorResult<never> => ({ done: true, value: undefined });

/** How a host-written stream ended: `end` settles its result once and marks it finished. */
class StreamEnd extends Settle<Result> {
  finished = false;
  end(r: Result): IteratorResult<never> {
    this.finished = true;
    this.resolve(r);
    return done();
  }
}

/**
 * A host-written stream plus the `future<result<_, E>>` that reports how it ended. The
 * future settles on every path: at the end of the data, on a failure, and when the
 * guest drops the stream, read or not (jco calls `return()` on the iterator then; a
 * generator that never started would skip its `finally`, hence a plain iterator).
 */
export function producer<T>(
  next: () => T | null,
  fail: (e: unknown) => unknown,
): [Iterable<T>, Promise<Result>] {
  const result = new StreamEnd();
  const iterator: IterableIterator<T> = {
    next(): IteratorResult<T> {
      if (result.finished) return done();
      let item: T | null;
      try {
        item = next();
      } catch (e) {
        return result.end({ tag: 'err', val: fail(e) });
      }
      return item === null ? result.end(OK) : { done: false, value: item };
    },
    // The guest dropped the stream early: nothing failed.
    return: (): IteratorResult<T> => result.end(OK),
    [Symbol.iterator]: () => iterator,
  };
  return [iterator, result.promise];
}

/**
 * `producer` for a source that waits asynchronously: an async iterable (jco pulls it only as
 * the guest reads, so other tasks run while a read waits). An item that arrives after the
 * guest dropped the stream goes to `unread`, so no input is lost to a reader that left.
 */
export function asyncProducer<T>(
  next: () => Promise<T | null>,
  fail: (e: unknown) => unknown,
  unread: (item: T) => void,
): [AsyncIterable<T>, Promise<Result>] {
  const result = new StreamEnd();
  const iterator: AsyncIterableIterator<T> = {
    async next(): Promise<IteratorResult<T>> {
      if (result.finished) return done();
      let item: T | null;
      try {
        item = await next();
      } catch (e) {
        return result.end({ tag: 'err', val: fail(e) });
      }
      if (result.finished) {
        if (item !== null) unread(item);
        return done();
      }
      return item === null ? result.end(OK) : { done: false, value: item };
    },
    return: async (): Promise<IteratorResult<T>> => result.end(OK),
    [Symbol.asyncIterator]: () => iterator,
  };
  return [iterator, result.promise];
}

/**
 * Count of guest streams the host is draining. jco hands the host a chunk only after the
 * guest's slice that wrote it has returned, by which time the guest may already have
 * called the host again (`stat` after an append completed): such calls first let the
 * pending chunks land (see `settle`).
 */
export class Drains {
  active = 0;
  async run<T>(f: () => Promise<T>): Promise<T> {
    this.active++;
    try {
      return await f();
    } finally {
      this.active--;
    }
  }
  /** Let every chunk already handed over be written: one macrotask turn, only while draining. */
  async settle(): Promise<void> {
    if (this.active > 0) await new Promise((resolve) => setTimeout(resolve, 0));
  }
}
