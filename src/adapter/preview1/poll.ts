/**
 * poll_oneoff: clock subscriptions (relative or absolute, realtime or monotonic) and fd
 * readiness. Files and directories are always ready; streams answer readReady() /
 * writeReady() (stdin may not be). A subscription on a bad fd (or one lacking
 * POLL_FD_READWRITE) is an event carrying that error, and the call itself succeeds.
 *
 * When nothing is ready the call waits as the kernel waits for both ABIs (kernel/wait.ts):
 * until the earliest clock deadline, checking not-ready streams every few milliseconds
 * meanwhile, never spinning. A deadline already past returns at once. Ready events are
 * written in subscription order.
 */
import { waitForAny, type Waitable } from '../kernel/wait.js';
import { fail, WasiError, toErrno, type ErrorCode } from '../../virtual-fs/errors.js';
import type { Handle } from '../../virtual-fs/handle.js';
import { CLOCKID, EVENT_SIZE, EVENTTYPE, RIGHTS, SUBCLOCKFLAGS_ABSTIME, SUBSCRIPTION_SIZE } from './abi.js';
import { syscall, type Imports, type Preview1Context } from './context.js';

interface Sub {
  userdata: bigint;
  type: number;
  /** Clock subscriptions: the monotonic instant it fires. */
  deadline?: bigint;
  handle?: Handle;
  error?: ErrorCode;
}

export default function pollImports(ctx: Preview1Context): Imports {
  const { mem } = ctx;
  const clockAt = ctx.version === 'unstable' ? 8 : 0; // wasi_unstable's clock has an extra identifier first

  /** Parse every subscription before waiting: a bad one fails the call without delay. */
  function parse(base: number, n: number): Sub[] {
    const clocks = ctx.kernel.clocks;
    const size = SUBSCRIPTION_SIZE[ctx.version];
    const subs: Sub[] = [];
    let now: bigint | undefined;
    for (let i = 0; i < n; i++) {
      const p = base + i * size;
      const userdata = mem.u64(p);
      const type = mem.u8At(p + 8);
      if (type === EVENTTYPE.CLOCK) {
        const c = p + 16 + clockAt;
        const id = mem.u32(c);
        const timeout = mem.u64(c + 8);
        const flags = mem.u16(c + 24);
        if ((flags & ~SUBCLOCKFLAGS_ABSTIME) !== 0) fail('inval', `unknown subclockflags 0x${flags.toString(16)}`);
        // CPU-time clocks cannot be waited on (wasmtime refuses them the same way).
        if (id !== CLOCKID.REALTIME && id !== CLOCKID.MONOTONIC) fail('inval', `cannot wait on clock ${id}`);
        now ??= clocks.monotonic();
        let deadline = now + timeout;
        if (flags & SUBCLOCKFLAGS_ABSTIME) {
          deadline = id === CLOCKID.MONOTONIC ? timeout : now + (timeout - clocks.realtime());
        }
        subs.push({ userdata, type, deadline });
      } else if (type === EVENTTYPE.FD_READ || type === EVENTTYPE.FD_WRITE) {
        const fd = mem.u32(p + 16);
        try {
          subs.push({ userdata, type, handle: ctx.need(fd, RIGHTS.POLL_FD_READWRITE).handle });
        } catch (err) {
          if (!(err instanceof WasiError)) throw err;
          subs.push({ userdata, type, error: err.code });
        }
      } else {
        fail('inval', `unknown subscription type ${type}`);
      }
    }
    return subs;
  }

  function fdReady(s: Sub): boolean {
    if (s.error !== undefined) return true;
    return s.type === EVENTTYPE.FD_READ ? s.handle!.readReady() : s.handle!.writeReady();
  }

  /** Bytes a read would get at once: what is left of a regular file, else unknown (0). */
  function available(s: Sub): bigint {
    const h = s.handle;
    if (!h || s.type !== EVENTTYPE.FD_READ || h.fileType !== 'regular-file') return 0n;
    try {
      const left = h.stat().size - h.seek(0n, 'cur');
      return left > 0n ? left : 0n;
    } catch {
      return 0n;
    }
  }

  function writeEvent(at: number, s: Sub): void {
    mem.bytes(at, EVENT_SIZE).fill(0);
    mem.setU64(at, s.userdata);
    mem.setU16(at + 8, s.error === undefined ? 0 : toErrno(s.error));
    mem.setU8(at + 10, s.type);
    if (s.type !== EVENTTYPE.CLOCK && s.error === undefined) mem.setU64(at + 16, available(s));
  }

  return {
    poll_oneoff: syscall(ctx, (inPtr: number, outPtr: number, nsubs: number, neventsPtr: number) => {
      const n = nsubs >>> 0;
      if (n === 0) fail('inval', 'poll_oneoff needs at least one subscription');
      // Both arrays are checked against memory before the host allocates per subscription.
      const inBase = mem.checkArray(inPtr, n, SUBSCRIPTION_SIZE[ctx.version]);
      const outBase = mem.checkArray(outPtr, n, EVENT_SIZE);
      mem.check(neventsPtr, 4);
      const subs = parse(inBase, n);
      const waits = subs.map((s): Waitable => (s.deadline !== undefined ? { deadline: s.deadline } : { ready: () => fdReady(s) }));
      const ready = waitForAny(ctx.kernel.clocks, waits);
      ready.forEach((i, k) => {
        writeEvent(outBase + k * EVENT_SIZE, subs[i]!);
      });
      mem.setU32(neventsPtr, ready.length);
    }),
  };
}
