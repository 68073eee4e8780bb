/**
 * poll_oneoff through real wasm: clocks (relative, absolute, realtime, monotonic, virtual
 * time in deterministic mode), fd readiness for files and stdio, per-subscription errors,
 * and the wasi_unstable subscription layout.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InputSource } from '../../src/adapter/kernel/index.js';
import { E, RIGHTS, Shim } from './shim.js';
import { tempDir } from './fs-harness.js';

const CLOCK = 0, FD_READ = 1, FD_WRITE = 2;
const REALTIME = 0, MONOTONIC = 1, ABSTIME = 1;
const MS = 1_000_000n;

type Sub = { ud: bigint; clock: { id: number; timeout: bigint; flags?: number } } | { ud: bigint; type: 1 | 2; fd: number };
interface Event { ud: bigint; error: number; type: number; nbytes: bigint }

let tmp: { path: string; cleanup: () => void };
beforeEach(() => { tmp = tempDir(); });
afterEach(() => tmp.cleanup());

function poll(s: Shim, subs: Sub[], unstable = false): [number, Event[]] {
  s.reset();
  const size = unstable ? 56 : 48;
  const inPtr = s.alloc(size * subs.length);
  const outPtr = s.alloc(32 * subs.length);
  const nPtr = s.alloc(4);
  subs.forEach((sub, i) => {
    const p = inPtr + i * size;
    s.setU64(p, sub.ud);
    if ('clock' in sub) {
      s.u8[p + 8] = CLOCK;
      const c = p + 16 + (unstable ? 8 : 0);
      s.setU32(c, sub.clock.id);
      s.setU64(c + 8, sub.clock.timeout);
      s.dv.setUint16(c + 24, sub.clock.flags ?? 0, true);
    } else {
      s.u8[p + 8] = sub.type;
      s.setU32(p + 16, sub.fd);
    }
  });
  const rc = s.call['poll_oneoff']!(inPtr, outPtr, subs.length, nPtr);
  const events: Event[] = [];
  if (rc === 0) {
    for (let i = 0; i < s.u32(nPtr); i++) {
      const p = outPtr + i * 32;
      events.push({ ud: s.u64(p), error: s.u16(p + 8), type: s.u8at(p + 10), nbytes: s.u64(p + 16) });
    }
  }
  return [rc, events];
}

/** A stdin that has nothing until `after` ms have passed, then "late". */
/** Stdin that becomes ready `after` ms after poll first asks (not after creation: setup time varies). */
function lateStdin(after: number): InputSource {
  let ready: number | undefined;
  let sent = false;
  return {
    ready: () => performance.now() >= (ready ??= performance.now() + after),
    read: () => {
      if (sent) return null;
      sent = true;
      return new TextEncoder().encode('late');
    },
  };
}

describe('poll_oneoff clocks', () => {
  it('returns at once for a zero timeout and a deadline already past', async () => {
    const s = await Shim.create();
    const t0 = performance.now();
    expect(poll(s, [{ ud: 7n, clock: { id: MONOTONIC, timeout: 0n } }])).toEqual([0, [{ ud: 7n, error: 0, type: CLOCK, nbytes: 0n }]]);
    expect(poll(s, [{ ud: 8n, clock: { id: MONOTONIC, timeout: 1n, flags: ABSTIME } }])[1].map((e) => e.ud)).toEqual([8n]);
    expect(poll(s, [{ ud: 9n, clock: { id: REALTIME, timeout: 1n, flags: ABSTIME } }])[1].map((e) => e.ud)).toEqual([9n]);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('sleeps for a relative monotonic timeout and until an absolute realtime deadline', async () => {
    const s = await Shim.create();
    let t0 = performance.now();
    expect(poll(s, [{ ud: 1n, clock: { id: MONOTONIC, timeout: 40n * MS } }])[1].length).toBe(1);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(39);
    t0 = performance.now();
    const at = s.host.clocks.realtime() + 40n * MS;
    expect(poll(s, [{ ud: 1n, clock: { id: REALTIME, timeout: at, flags: ABSTIME } }])[1].length).toBe(1);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(38);
  });

  it('fires only the earliest clock, then later ones on later calls', async () => {
    const s = await Shim.create();
    const [, ev] = poll(s, [
      { ud: 1n, clock: { id: MONOTONIC, timeout: 200n * MS } },
      { ud: 2n, clock: { id: MONOTONIC, timeout: 10n * MS } },
    ]);
    expect(ev.map((e) => e.ud)).toEqual([2n]);
  });

  it('advances virtual time instead of waiting in deterministic mode', async () => {
    const s = await Shim.create({ policy: { clocks: { deterministic: {} } } });
    const before = s.host.clocks.monotonic();
    const t0 = performance.now();
    expect(poll(s, [{ ud: 1n, clock: { id: MONOTONIC, timeout: 3600n * 1000n * MS } }])[1].length).toBe(1);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(s.host.clocks.monotonic() - before).toBeGreaterThanOrEqual(3600n * 1000n * MS);
  });

  it('jumps to the deadline in deterministic mode even while stdin is not ready', async () => {
    const s = await Shim.create({ policy: { clocks: { deterministic: {} } }, stdin: { read: () => null, ready: () => false } });
    const t0 = performance.now();
    const [, ev] = poll(s, [{ ud: 1n, clock: { id: MONOTONIC, timeout: 3600n * 1000n * MS } }, { ud: 2n, type: FD_READ, fd: 0 }]);
    expect(ev.map((e) => e.ud)).toEqual([1n]);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('refuses clocks it cannot wait on, unknown flags and unknown types with inval', async () => {
    const s = await Shim.create();
    expect(poll(s, [{ ud: 1n, clock: { id: 2, timeout: 0n } }])[0]).toBe(E.inval);
    expect(poll(s, [{ ud: 1n, clock: { id: 9, timeout: 0n } }])[0]).toBe(E.inval);
    expect(poll(s, [{ ud: 1n, clock: { id: MONOTONIC, timeout: 0n, flags: 2 } }])[0]).toBe(E.inval);
    expect(poll(s, [{ ud: 1n, type: 3 as 1, fd: 1 }])[0]).toBe(E.inval);
    expect(s.call['poll_oneoff']!(0, 0, 0, 0)).toBe(E.inval); // no subscriptions
  });

  it('is notcapable for a clock when clocks are denied, while fd subscriptions still work', async () => {
    const s = await Shim.create({ policy: { clocks: 'deny' } });
    expect(poll(s, [{ ud: 1n, clock: { id: MONOTONIC, timeout: 0n } }])[0]).toBe(E.notcapable);
    expect(poll(s, [{ ud: 1n, type: FD_WRITE, fd: 1 }])[1].map((e) => e.ud)).toEqual([1n]);
  });

  it('reads the wasi_unstable layout (56-byte subscriptions with a clock identifier)', async () => {
    const s = await Shim.create({ version: 'unstable' });
    const t0 = performance.now();
    const [rc, ev] = poll(s, [{ ud: 5n, clock: { id: MONOTONIC, timeout: 5000n * MS } }, { ud: 6n, type: FD_WRITE, fd: 1 }], true);
    expect(rc).toBe(0);
    expect(ev.map((e) => e.ud)).toEqual([6n]);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(poll(s, [{ ud: 5n, clock: { id: MONOTONIC, timeout: 0n } }], true)[1].map((e) => e.ud)).toEqual([5n]);
  });
});

describe('poll_oneoff fds', () => {
  it('reports files ready at once with the bytes left to read, stdout and stderr writable', async () => {
    const s = await Shim.create({ dirs: { '/work': tmp.path } });
    writeFileSync(join(tmp.path, 'f'), '0123456789');
    const [, fd] = s.open('f');
    s.read(fd, 4);
    const [rc, ev] = poll(s, [
      { ud: 1n, type: FD_READ, fd },
      { ud: 2n, clock: { id: MONOTONIC, timeout: 10_000n * MS } },
      { ud: 3n, type: FD_WRITE, fd: 1 },
      { ud: 4n, type: FD_WRITE, fd: 2 },
    ]);
    expect(rc).toBe(0);
    expect(ev).toEqual([
      { ud: 1n, error: 0, type: FD_READ, nbytes: 6n },
      { ud: 3n, error: 0, type: FD_WRITE, nbytes: 0n },
      { ud: 4n, error: 0, type: FD_WRITE, nbytes: 0n },
    ]);
  });

  it('gives a bad fd its own badf event and still succeeds; a missing right is notcapable', async () => {
    const s = await Shim.create({ dirs: { '/work': tmp.path } });
    writeFileSync(join(tmp.path, 'f'), '');
    const [, noPoll] = s.open('f', { base: RIGHTS.FD_READ });
    const [rc, ev] = poll(s, [
      { ud: 1n, type: FD_READ, fd: 0xffffffff },
      { ud: 2n, type: FD_WRITE, fd: 99 },
      { ud: 3n, type: FD_READ, fd: noPoll },
    ]);
    expect(rc).toBe(0);
    expect(ev).toEqual([
      { ud: 1n, error: E.badf, type: FD_READ, nbytes: 0n },
      { ud: 2n, error: E.badf, type: FD_WRITE, nbytes: 0n },
      { ud: 3n, error: E.notcapable, type: FD_READ, nbytes: 0n },
    ]);
  });

  it('times out on a stdin with nothing to read (poll_oneoff_stdio)', async () => {
    const s = await Shim.create({ stdin: { read: () => null, ready: () => false } });
    const t0 = performance.now();
    const [rc, ev] = poll(s, [
      { ud: 0x12345678n, clock: { id: MONOTONIC, timeout: 30n * MS } },
      { ud: 0x876543210n, type: FD_READ, fd: 0 },
    ]);
    expect(rc).toBe(0);
    expect(ev).toEqual([{ ud: 0x12345678n, error: 0, type: CLOCK, nbytes: 0n }]);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(29);
  });

  it('wakes for a stdin that becomes ready before the deadline, and waits for it with no clock', async () => {
    const s = await Shim.create({ stdin: lateStdin(30) });
    const t0 = performance.now();
    const [, ev] = poll(s, [
      { ud: 1n, clock: { id: MONOTONIC, timeout: 5000n * MS } },
      { ud: 2n, type: FD_READ, fd: 0 },
    ]);
    expect(ev.map((e) => e.ud)).toEqual([2n]);
    const waited = performance.now() - t0;
    expect(waited).toBeGreaterThanOrEqual(25);
    expect(waited).toBeLessThan(1000);
    const s2 = await Shim.create({ stdin: lateStdin(20) });
    expect(poll(s2, [{ ud: 3n, type: FD_READ, fd: 0 }])[1].map((e) => e.ud)).toEqual([3n]);
    expect(s2.readText(0)).toBe('late');
  });
});

describe('poll_oneoff memory', () => {
  it('faults on arrays outside memory without allocating for a huge count', async () => {
    const s = await Shim.create();
    const size = s.memory.buffer.byteLength;
    expect(s.call['poll_oneoff']!(size - 40, 0, 1, 0)).toBe(E.fault);
    expect(s.call['poll_oneoff']!(0, size - 16, 1, 0)).toBe(E.fault);
    expect(s.call['poll_oneoff']!(0, 1024, 1, size)).toBe(E.fault);
    expect(s.call['poll_oneoff']!(0, 0, 0x7fffffff, 64)).toBe(E.fault);
    expect(s.call['poll_oneoff']!(0, 0, -1, 64)).toBe(E.fault);
  });
});
