/**
 * Waiting for readiness, once for both ABIs (preview1's poll_oneoff, wasi:io/poll). Given
 * what the guest waits on (clock deadlines and things that answer `ready()`, such as
 * stdin), it blocks until at least one is ready and returns which are, never spinning:
 *
 * - deadlines only: sleep until the earliest (virtual time jumps straight to it);
 * - something else not ready: check it every STREAM_SLICE_NS, sleeping in between
 *   (Atomics.wait), or until the earliest deadline when that comes first. In virtual
 *   time the clock does not pass while a stream is waited for: it jumps to the deadline.
 *
 * A deadline is compared against one clock reading per round, so a deterministic clock
 * (which advances on every reading) ticks once per round, not once per deadline.
 * Synchronous hosts cannot wait on a stream and a timer at once, so a stream's readiness
 * is seen within one slice. Where Atomics.wait is forbidden (a browser's main thread)
 * blockFor falls back to a busy wait; a guest there should run in a worker.
 */
import { blockFor, type Clocks } from './clocks.js';

/** How long a not-ready stream is left between checks. */
export const STREAM_SLICE_NS = 5_000_000n;

/** One thing a guest waits on: a deadline (monotonic ns) or a readiness check. */
export type Waitable = { readonly deadline: bigint } | { ready(): boolean; readonly deadline?: undefined };

/** Block until one of `items` (at least one) is ready; the indexes of those that are. */
export function waitForAny(clocks: Clocks, items: readonly Waitable[]): number[] {
  let earliest: bigint | undefined;
  for (const w of items) if (w.deadline !== undefined && (earliest === undefined || w.deadline < earliest)) earliest = w.deadline;
  for (;;) {
    const now = earliest !== undefined ? clocks.monotonic() : 0n;
    const ready: number[] = [];
    let pending = false;
    for (let i = 0; i < items.length; i++) {
      const w = items[i]!;
      if (w.deadline !== undefined ? w.deadline <= now : w.ready()) ready.push(i);
      else if (w.deadline === undefined) pending = true;
    }
    if (ready.length > 0) return ready;
    if (earliest === undefined) {
      blockFor(STREAM_SLICE_NS); // streams only: wait in real time, even with clocks denied
    } else if (pending && !clocks.deterministic && earliest - now > STREAM_SLICE_NS) {
      clocks.sleepUntil(now + STREAM_SLICE_NS);
    } else {
      clocks.sleepUntil(earliest);
    }
  }
}
