/**
 * wasi:clocks@0.3: monotonic-clock (marks, waits as async functions) and system-clock,
 * over the kernel's clocks. A wait on the host's clock is a timer, so other tasks of the
 * guest (and the host's I/O) run meanwhile; on deterministic clocks it advances virtual
 * time at once; on denied clocks it traps like every other clock call.
 */
import type { Kernel } from '../kernel/index.js';
import { trap, type Ctx } from './context.js';

export interface Instant {
  seconds: bigint;
  nanoseconds: number;
}

const MAX_TIMER_MS = 2_147_483_647n;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function guard<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw trap(e);
  }
}

async function waitUntil(kernel: Kernel, deadline: bigint): Promise<void> {
  const clocks = kernel.clocks;
  if (clocks.deterministic) {
    guard(() => clocks.sleepUntil(deadline));
    return;
  }
  for (;;) {
    const left = deadline - guard(() => clocks.monotonic());
    if (left <= 0n) return;
    const ms = (left + 999_999n) / 1_000_000n;
    // Timers take at most 2^31 - 1 ms (longer ones fire at once): wait in slices.
    await sleep(Number(ms > MAX_TIMER_MS ? MAX_TIMER_MS : ms));
  }
}

export function createClocks(ctx: Ctx): Record<string, Record<string, unknown>> {
  const { kernel } = ctx;
  const clocks = kernel.clocks;
  return {
    'wasi:clocks/monotonic-clock': {
      now: (): bigint => guard(() => clocks.monotonic()),
      getResolution: (): bigint => guard(() => clocks.resolution()),
      waitUntil: (when: bigint): Promise<void> => waitUntil(kernel, when),
      waitFor: (d: bigint): Promise<void> => waitUntil(kernel, guard(() => clocks.monotonic()) + d),
    },
    'wasi:clocks/system-clock': {
      now: (): Instant => guard(() => {
        const ns = clocks.realtime();
        return { seconds: ns / 1_000_000_000n, nanoseconds: Number(ns % 1_000_000_000n) };
      }),
      getResolution: (): bigint => guard(() => clocks.resolution()),
    },
  };
}
