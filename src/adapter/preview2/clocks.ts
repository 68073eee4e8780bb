/**
 * wasi:clocks (wall-clock, monotonic-clock) over the kernel's clocks: the host's,
 * deterministic (virtual time that sleeping advances), or denied. The clock functions
 * have no error channel, so a denied clock traps with the rule.
 */
import { toDatetime, trap, type Ctx, type Datetime, type Namespace } from './context.js';
import type { PollSource } from './io.js';

class Deadline implements PollSource {
  constructor(private readonly ctx: Ctx, readonly deadline: bigint) {}
  ready(): boolean {
    try {
      return this.ctx.kernel.clocks.monotonic() >= this.deadline;
    } catch (e) {
      throw trap(this.ctx, e);
    }
  }
  block(): void {
    try {
      this.ctx.kernel.clocks.sleepUntil(this.deadline);
    } catch (e) {
      throw trap(this.ctx, e);
    }
  }
}

export function createClocks(ctx: Ctx): Record<string, Namespace> {
  const { kernel, cls } = ctx;
  const clocks = kernel.clocks;
  const guard = <T>(f: () => T): T => {
    try {
      return f();
    } catch (e) {
      throw trap(ctx, e);
    }
  };
  return {
    'wasi:clocks/wall-clock': {
      now: (): Datetime => guard(() => toDatetime(clocks.realtime())),
      resolution: (): Datetime => guard(() => toDatetime(clocks.resolution())),
    },
    'wasi:clocks/monotonic-clock': {
      now: (): bigint => guard(() => clocks.monotonic()),
      resolution: (): bigint => guard(() => clocks.resolution()),
      subscribeInstant: (when: bigint) => new cls.Pollable(new Deadline(ctx, when)),
      subscribeDuration: (d: bigint) => new cls.Pollable(new Deadline(ctx, guard(() => clocks.monotonic()) + d)),
    },
  };
}
