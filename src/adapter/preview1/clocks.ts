/**
 * clock_res_get / clock_time_get over the kernel's clocks (host, denied or deterministic:
 * the policy decides, this face only picks the clock). The precision argument is a hint
 * every runtime ignores; so do we. The CPU-time clocks are served as the kernel serves
 * them (from the monotonic clock, as wasmtime does).
 */
import { fail } from '../../virtual-fs/errors.js';
import type { Clocks } from '../kernel/clocks.js';
import { CLOCKID } from './abi.js';
import { NotStartedError, syscall, withBody, type Imports, type Preview1Context } from './context.js';

function read(clocks: Clocks, id: number): bigint {
  switch (id) {
    case CLOCKID.REALTIME: return clocks.realtime();
    case CLOCKID.MONOTONIC: return clocks.monotonic();
    case CLOCKID.PROCESS_CPUTIME:
    case CLOCKID.THREAD_CPUTIME: return clocks.cputime();
    default: return fail('inval', `clock id ${id} does not exist`);
  }
}

export default function clocksImports(ctx: Preview1Context): Imports {
  const { mem, kernel } = ctx;
  // The host's nanosecond timer itself when the monotonic clock is just that (the usual case).
  const timer = kernel.clocks.monotonicTimer;
  // The trace's copy of clock_time_get's body (see withBody); setU64 checks the pointer.
  const timeGet = (id: number, _precision: bigint, resultPtr: number): void => {
    mem.setU64(resultPtr, read(kernel.clocks, id));
  };
  return {
    clock_res_get: syscall(ctx, (id: number, resultPtr: number) => {
      mem.check(resultPtr, 8);
      if (id < 0 || id > CLOCKID.THREAD_CPUTIME) fail('inval', `clock id ${id} does not exist`);
      mem.setU64(resultPtr, kernel.clocks.resolution());
    }),
    // Written out rather than through syscall(), its body inline rather than a call to
    // timeGet: this is the hottest call some runtimes make (Go's scheduler, Rust's Instant).
    clock_time_get: withBody(timeGet, (id: number, _precision: bigint, resultPtr: number): number => {
      try {
        if (!ctx.started) throw new NotStartedError();
        mem.setU64(resultPtr, id === CLOCKID.MONOTONIC && timer !== undefined ? timer() : read(kernel.clocks, id));
        return 0;
      } catch (err) {
        return ctx.errno(err);
      }
    }),
  };
}
