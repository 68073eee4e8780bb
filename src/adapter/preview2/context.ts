/**
 * What every preview2 interface module shares for one import object: the kernel, the
 * resource classes jco will check returned objects against, and the three ways a kernel
 * failure reaches the guest (an `error-code` for `result` functions, a stream error, or a
 * trap where the interface has no error channel).
 */
import type { Kernel } from '../kernel/index.js';
import { PolicyTrap } from '../kernel/traps.js';
import { toPreview2, WasiError } from '../../virtual-fs/errors.js';
import type { Descriptor, DirectoryEntryStream } from './filesystem.js';
import type { InputStream, IoError, OutputStream, Pollable } from './io.js';
import type { TerminalInput, TerminalOutput } from './cli.js';
import type { NetworkProvider } from './network-types.js';

/**
 * The resource classes of one import object. jco checks every resource a host function
 * returns with `instanceof` against the class given in the import object, so every
 * module creates resources through these (tracing swaps in subclasses).
 */
export interface Classes {
  IoError: typeof IoError;
  Pollable: typeof Pollable;
  InputStream: typeof InputStream;
  OutputStream: typeof OutputStream;
  Descriptor: typeof Descriptor;
  DirectoryEntryStream: typeof DirectoryEntryStream;
  TerminalInput: typeof TerminalInput;
  TerminalOutput: typeof TerminalOutput;
}

export interface Ctx {
  readonly kernel: Kernel;
  readonly cls: Classes;
  readonly network: NetworkProvider | undefined;
  /**
   * Set when tracing: hears each kernel failure as it becomes a guest error (a string, a
   * shared `closed`), which cannot carry it, so the trace line can name its reason.
   */
  readonly failed?: ((failure: WasiError) => void) | undefined;
}

/** A namespace object of the import map: functions and resource classes by camelCase name. */
export type Namespace = Record<string, unknown>;
/** The jco import object: `wasi:pkg/iface` (and `@version` forms) to namespaces. */
export type ImportObject = Record<string, Namespace>;

/**
 * For a function returning `result<_, error-code>`: the value to throw. jco lowers a
 * thrown non-Error as the `err` payload; a thrown Error would be a trap, so anything that
 * is not a kernel failure is rethrown as is (a host bug should trap, not be hidden).
 */
export function errorCode(ctx: Ctx, e: unknown): string {
  if (e instanceof WasiError) {
    ctx.failed?.(e);
    return toPreview2(e.code);
  }
  throw e;
}

/** For a function without an error channel: a kernel failure becomes a trap naming it. */
export function trap(ctx: Ctx, e: unknown): unknown {
  if (e instanceof WasiError) {
    ctx.failed?.(e);
    return new PolicyTrap(e.detail ?? e.code);
  }
  return e;
}

export const CLOSED = Object.freeze({ tag: 'closed' as const });

/**
 * A stream failure as `stream-error`. A policy refusal (`notcapable`) closes the stream,
 * as a denied stdio stream should look; any other kernel failure is
 * `last-operation-failed` carrying an `error` resource that `filesystem-error-code` maps
 * back to the code.
 */
export function streamError(ctx: Ctx, e: unknown): unknown {
  if (e instanceof WasiError) {
    ctx.failed?.(e);
    if (e.code === 'notcapable') return CLOSED;
    return { tag: 'last-operation-failed', val: new ctx.cls.IoError(e) };
  }
  return e;
}

export interface Datetime {
  seconds: bigint;
  nanoseconds: number;
}

export function toDatetime(ns: bigint): Datetime {
  return { seconds: ns / 1_000_000_000n, nanoseconds: Number(ns % 1_000_000_000n) };
}

export function fromDatetime(d: Datetime): bigint {
  return d.seconds * 1_000_000_000n + BigInt(d.nanoseconds);
}

/** Largest buffer one read allocates; streams may return short reads, so asking for more is fine. */
export const MAX_READ = 1 << 20;

export function clampLen(len: bigint): number {
  return len > BigInt(MAX_READ) ? MAX_READ : Number(len);
}
