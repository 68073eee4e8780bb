import { describe, expect, it } from 'vitest';
import { ERRNO } from '../../src/virtual-fs/errors.js';
import type { Policy } from '../../src/policy/types.js';
import { wat } from '../helpers/guests.js';
import { instantiate, tracedReason } from './p1-helpers.js';

interface Reading {
  timeErrno: number[];
  resErrno: number[];
  first: bigint[];
  second: bigint[];
  res: bigint[];
  badTime: number;
  badRes: number;
}

async function read(policy: Policy): Promise<Reading & { lastDetail: string | undefined }> {
  const g = await instantiate(await wat('clocks'), { policy });
  expect(g.start()).toBe(0);
  const v = g.view;
  const ids = [0, 1, 2, 3];
  return {
    timeErrno: ids.map((id) => v.getUint32(id * 4, true)),
    resErrno: ids.map((id) => v.getUint32(32 + id * 4, true)),
    first: ids.map((id) => v.getBigUint64(64 + id * 16, true)),
    second: ids.map((id) => v.getBigUint64(72 + id * 16, true)),
    res: ids.map((id) => v.getBigUint64(192 + id * 8, true)),
    badTime: v.getUint32(16, true),
    badRes: v.getUint32(48, true),
    lastDetail: tracedReason(policy, 'clock_time_get', 1, 0n, 512),
  };
}

describe('clock_time_get / clock_res_get', () => {
  it('allow: realtime is the wall clock, monotonic never goes back, all four ids answer', async () => {
    const before = BigInt(Date.now()) * 1_000_000n;
    const r = await read({ clocks: 'allow' });
    const after = BigInt(Date.now()) * 1_000_000n;
    expect(r.timeErrno).toEqual([0, 0, 0, 0]);
    expect(r.resErrno).toEqual([0, 0, 0, 0]);
    expect(r.first[0]!).toBeGreaterThanOrEqual(before - 5_000_000n);
    expect(r.first[0]!).toBeLessThanOrEqual(after + 5_000_000n);
    for (const id of [1, 2, 3]) expect(r.second[id]!).toBeGreaterThanOrEqual(r.first[id]!);
    for (const res of r.res) expect(res).toBeGreaterThan(0n);
    expect(r.badTime).toBe(ERRNO.inval);
    expect(r.badRes).toBe(ERRNO.inval);
  });

  it('deny: every clock is notcapable, naming the rule', async () => {
    const r = await read({ clocks: 'deny' });
    expect(r.timeErrno).toEqual([ERRNO.notcapable, ERRNO.notcapable, ERRNO.notcapable, ERRNO.notcapable]);
    expect(r.resErrno).toEqual([ERRNO.notcapable, ERRNO.notcapable, ERRNO.notcapable, ERRNO.notcapable]);
    expect(r.first).toEqual([0n, 0n, 0n, 0n]);
    expect(r.lastDetail).toBe('denied by policy: clocks = "deny"');
  });

  it('deterministic: two runs read the same values, starting at the configured instant', async () => {
    const policy: Policy = { clocks: { deterministic: { start: '2020-02-02T00:00:00Z', 'step-ns': 1000 } } };
    const a = await read(policy);
    const b = await read(policy);
    expect(a).toEqual(b);
    expect(a.first[0]).toBe(BigInt(Date.parse('2020-02-02T00:00:00Z')) * 1_000_000n);
    expect(a.res).toEqual([1000n, 1000n, 1000n, 1000n]);
    // Every reading advances virtual time, so monotonic is strictly increasing.
    expect(a.second[1]!).toBeGreaterThan(a.first[1]!);
  });

  it('the precision argument is ignored and a bad result pointer is EFAULT', async () => {
    const g = await instantiate(await wat('clocks'), { policy: {} });
    g.p1.bind(g.memory);
    const f = g.p1.wasiImport as Record<string, (...a: (number | bigint)[]) => number>;
    expect(f['clock_time_get']!(1, 0xffffffffffffffffn, 0)).toBe(0);
    expect(f['clock_time_get']!(1, 0n, g.memory.buffer.byteLength - 4)).toBe(ERRNO.fault);
    expect(f['clock_res_get']!(0, -8)).toBe(ERRNO.fault);
  });
});
