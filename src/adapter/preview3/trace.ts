/**
 * `--debug` for the 0.3 face's stdio, clock and random calls: one line per call, formatted
 * as the 0.2 face's (preview2/trace.ts) and labelled with the 0.3 interface
 * (`wasi:cli/stdout@0.3#write-via-stream`), so the two versions a 0.3 component imports
 * are told apart. An async call's line is written when it settles (`wait-for`, a write
 * that ends when the guest closes its stream); a stream the guest hands in shows the bytes
 * that came through it; a stream the host hands out (stdin) gets a second line when it
 * ends, with the bytes it gave. Only built when the kernel traces: untraced, the
 * namespaces are the plain ones. File-system calls are traced by the 0.2 descriptors the
 * 0.3 ones delegate to, under the 0.2 names.
 */
import { ExitSignal } from '../kernel/exit.js';
import { fmt, kebab } from '../preview2/trace.js';
import type { GuestStream } from './context.js';

type Namespace = Record<string, unknown>;
type Fn = (...args: unknown[]) => unknown;

/** Bytes seen going through a stream: the count, and the first few for the line. */
class Seen {
  total = 0;
  private head = new Uint8Array(0);
  add(v: unknown): void {
    const bytes = v instanceof Uint8Array ? v : Array.isArray(v) ? Uint8Array.from(v as number[]) : undefined;
    if (!bytes) return;
    this.total += bytes.byteLength;
    if (this.head.byteLength < 64) {
      const next = new Uint8Array(Math.min(64, this.head.byteLength + bytes.byteLength));
      next.set(this.head);
      next.set(bytes.subarray(0, next.byteLength - this.head.byteLength), this.head.byteLength);
      this.head = next;
    }
  }
  /** `, <N bytes "...">` as fmt shows bytes, with the real total. */
  toString(): string {
    return `, ${fmt(this.head).replace(/^<\d+ bytes/, `<${this.total} bytes`)}`;
  }
}

function isGuestStream(v: unknown): v is GuestStream {
  return v !== null && typeof v === 'object' && typeof (v as { read?: unknown }).read === 'function';
}

/** The guest's stream, counting what the host reads from it. */
function watchGuestStream(stream: GuestStream, seen: Seen): GuestStream {
  return {
    read: async (opts) => {
      const got = await stream.read(opts);
      seen.add(got !== null && typeof got === 'object' && 'done' in got ? (got as IteratorResult<unknown>).value : got);
      return got;
    },
    [Symbol.dispose]: () => stream[Symbol.dispose]?.(),
  };
}

/** A host-written stream (an iterable as `producer` makes, or an async one as `asyncProducer`), counting what the guest is given. */
function watchHostStream(items: Iterable<unknown> | AsyncIterable<unknown>, seen: Seen): Iterable<unknown> | AsyncIterable<unknown> {
  if (Symbol.asyncIterator in items) {
    const it = items[Symbol.asyncIterator]();
    const iterator: AsyncIterableIterator<unknown> = {
      next: async () => {
        const r = await it.next();
        if (!r.done) seen.add(r.value);
        return r;
      },
      return: async (v?: unknown) => (await it.return?.(v)) ?? { done: true, value: undefined },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }
  const it = items[Symbol.iterator]();
  const iterator: IterableIterator<unknown> = {
    next: () => {
      const r = it.next();
      if (!r.done) seen.add(r.value);
      return r;
    },
    return: (v?: unknown) => it.return?.(v) ?? { done: true, value: undefined },
    [Symbol.iterator]: () => iterator,
  };
  return iterator;
}

function thrown(e: unknown): string {
  if (e instanceof ExitSignal) return `exit ${e.code}`;
  if (e !== null && typeof e === 'object' && 'payload' in e && !(e instanceof Error)) return `error ${fmt((e as { payload: unknown }).payload)}`;
  if (e instanceof Error) return `trap: ${e.message}`;
  return `error ${fmt(e)}`;
}

const shown = (v: unknown): string => (v === undefined ? 'ok' : fmt(v));

function traceFunction(emit: (line: string) => void, label: string, f: Fn): Fn {
  return (...args: unknown[]) => {
    const seen = new Seen();
    let streamed = false;
    const passed = args.map((a) => {
      if (!isGuestStream(a)) return a;
      streamed = true;
      return watchGuestStream(a, seen);
    });
    const line = `${label}(${args.map((a) => (isGuestStream(a) ? 'stream' : fmt(a))).join(', ')})`;
    const tail = (): string => (streamed ? String(seen) : '');
    let result: unknown;
    try {
      result = f(...passed);
    } catch (e) {
      emit(`${line} -> ${thrown(e)}`);
      throw e;
    }
    if (result instanceof Promise) {
      result.then((v) => emit(`${line} -> ${shown(v)}${tail()}`), (e) => emit(`${line} -> ${thrown(e)}${tail()}`));
      return result;
    }
    // A stream and the future of how it ends (`read-via-stream`).
    if (Array.isArray(result) && result.length === 2 && result[1] instanceof Promise && result[0] && typeof result[0] === 'object'
      && (Symbol.iterator in result[0] || Symbol.asyncIterator in result[0])) {
      const out = new Seen();
      emit(`${line} -> stream`);
      void (result[1] as Promise<unknown>).then((r) => emit(`${line} stream ended -> ${shown(r)}${out}`));
      return [watchHostStream(result[0] as Iterable<unknown> | AsyncIterable<unknown>, out), result[1]];
    }
    emit(`${line} -> ${shown(result)}`);
    return result;
  };
}

/** The 0.3 namespaces with every function traced under `<interface>@0.3#<name>` (classes pass as they are). */
export function traceNamespaces3(emit: (line: string) => void, namespaces: Record<string, Namespace>): Record<string, Namespace> {
  const out: Record<string, Namespace> = {};
  for (const [iface, ns] of Object.entries(namespaces)) {
    const traced: Namespace = {};
    for (const [k, v] of Object.entries(ns)) {
      const isClass = /^[A-Z]/.test(k);
      traced[k] = typeof v === 'function' && !isClass ? traceFunction(emit, `${iface}@0.3#${kebab(k)}`, v as Fn) : v;
    }
    out[iface] = traced;
  }
  return out;
}
