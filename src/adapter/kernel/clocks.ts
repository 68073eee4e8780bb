/**
 * Clocks for clock_time_get / wasi:clocks: the host's, denied, or deterministic. In
 * deterministic mode the wall clock starts at a fixed instant and every reading of either
 * clock advances it by a fixed step; sleeping advances virtual time instead of waiting,
 * so two runs of one program see the same times.
 */
import type { ClocksPolicy } from '../../policy/types.js';
import { fail } from '../../virtual-fs/errors.js';

export const DEFAULT_START = '2000-01-01T00:00:00Z';
export const DEFAULT_STEP_NS = 1_000_000;

export interface Clocks {
  /** Nanoseconds since the Unix epoch. */
  realtime(): bigint;
  /** Nanoseconds since an arbitrary fixed point; never goes back. */
  monotonic(): bigint;
  /** Resolution in nanoseconds. */
  resolution(): bigint;
  /** CPU-time clocks, served by the monotonic clock (as wasmtime does). */
  cputime(): bigint;
  /** Block until monotonic() >= deadline (or advance virtual time to it). */
  sleepUntil(deadline: bigint): void;
  readonly deterministic: boolean;
  /**
   * The monotonic clock as a plain function, when it is nothing more than the platform's
   * nanosecond timer (host clocks with Platform.hrtime): a face's hottest call
   * (clock_time_get) calls it directly, with no dispatch on the clock in between.
   */
  readonly monotonicTimer?: (() => bigint) | undefined;
}

const sleepCell = typeof SharedArrayBuffer === 'function' ? new Int32Array(new SharedArrayBuffer(4)) : undefined;

/** Block the thread for `ns` nanoseconds without spinning where Atomics.wait is allowed. */
export function blockFor(ns: bigint): void {
  if (ns <= 0n) return;
  const ms = Number(ns / 1_000_000n);
  if (sleepCell) {
    try {
      Atomics.wait(sleepCell, 0, 0, Math.max(ms, 0) + (ns % 1_000_000n > 0n ? 1 : 0));
      return;
    } catch {
      // Browsers forbid Atomics.wait on the main thread: fall through to a spin.
    }
  }
  const until = performance.now() + Number(ns) / 1e6;
  while (performance.now() < until) { /* spin */ }
}

/** Monotonic nanoseconds from the neutral timer (a platform may offer a faster one). */
const performanceNs = (): bigint => BigInt(Math.round(performance.now() * 1e6));

class HostClocks implements Clocks {
  readonly deterministic = false;
  readonly monotonicTimer: (() => bigint) | undefined;
  /** realtime = origin + monotonic, fixed once so the two clocks advance together. */
  private readonly origin: bigint;
  constructor(private readonly now: () => bigint = performanceNs) {
    this.origin = BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6)) - now();
    this.monotonicTimer = now === performanceNs ? undefined : now;
  }
  realtime(): bigint {
    return this.origin + this.now();
  }
  monotonic(): bigint {
    return this.now();
  }
  /** A platform nanosecond timer (hrtime) resolves 1 ns; performance.now() is good to ~1 µs. */
  resolution(): bigint { return this.now === performanceNs ? 1000n : 1n; }
  cputime(): bigint { return this.monotonic(); }
  sleepUntil(deadline: bigint): void { blockFor(deadline - this.monotonic()); }
}

class DeterministicClocks implements Clocks {
  readonly deterministic = true;
  private mono = 0n;
  constructor(private readonly start: bigint, private readonly step: bigint) {}
  private tick(): bigint {
    const t = this.mono;
    this.mono += this.step;
    return t;
  }
  realtime(): bigint { return this.start + this.tick(); }
  monotonic(): bigint { return this.tick(); }
  resolution(): bigint { return this.step > 0n ? this.step : 1n; }
  cputime(): bigint { return this.tick(); }
  sleepUntil(deadline: bigint): void {
    if (deadline > this.mono) this.mono = deadline;
  }
}

class DeniedClocks implements Clocks {
  readonly deterministic = false;
  private deny(): never { return fail('notcapable', 'denied by policy: clocks = "deny"'); }
  realtime(): bigint { return this.deny(); }
  monotonic(): bigint { return this.deny(); }
  resolution(): bigint { return this.deny(); }
  cputime(): bigint { return this.deny(); }
  sleepUntil(): void { this.deny(); }
}

export function parseStart(start: string | undefined): bigint {
  const ms = Date.parse(start ?? DEFAULT_START);
  if (Number.isNaN(ms)) throw new Error(`clocks.deterministic.start: "${start}" is not an ISO-8601 time`);
  return BigInt(ms) * 1_000_000n;
}

/** `hrtime`: the platform's monotonic nanosecond timer, when it has a faster one (Platform.hrtime). */
export function clocksFor(policy: ClocksPolicy | undefined, hrtime?: () => bigint): Clocks {
  if (policy === 'deny') return new DeniedClocks();
  if (policy && typeof policy === 'object') {
    const d = policy.deterministic;
    return new DeterministicClocks(parseStart(d.start), BigInt(d['step-ns'] ?? DEFAULT_STEP_NS));
  }
  return new HostClocks(hrtime);
}
