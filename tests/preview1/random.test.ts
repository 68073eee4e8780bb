import { describe, expect, it } from 'vitest';
import { ERRNO } from '../../src/virtual-fs/errors.js';
import type { Policy } from '../../src/policy/types.js';
import { wat } from '../helpers/guests.js';
import { instantiate, tracedReason } from './p1-helpers.js';

async function draw(policy: Policy) {
  const g = await instantiate(await wat('random'), { policy });
  expect(g.start()).toBe(0);
  const v = g.view;
  return {
    errnos: [0, 4, 8].map((o) => v.getUint32(o, true)),
    bytes: Buffer.from(new Uint8Array(g.memory.buffer, 1024, 64)).toString('hex'),
    detail: tracedReason(policy, 'random_get', 1024, 8),
  };
}

describe('random_get', () => {
  it('allow: fills the buffer, zero length succeeds, an oversized length is EFAULT', async () => {
    const a = await draw({ random: 'allow' });
    const b = await draw({ random: 'allow' });
    expect(a.errnos).toEqual([0, 0, ERRNO.fault]);
    expect(a.bytes).not.toBe('00'.repeat(64));
    expect(a.bytes).not.toBe(b.bytes);
  });

  it('deterministic: two runs give the same bytes; another seed gives others', async () => {
    const a = await draw({ random: { deterministic: { seed: 42 } } });
    const b = await draw({ random: { deterministic: { seed: 42 } } });
    const c = await draw({ random: { deterministic: { seed: 43 } } });
    expect(a.errnos).toEqual([0, 0, ERRNO.fault]);
    expect(a.bytes).toBe(b.bytes);
    expect(c.bytes).not.toBe(a.bytes);
    expect(a.bytes).not.toBe('00'.repeat(64));
  });

  it('deny: notcapable naming the rule, and the buffer is left alone', async () => {
    const r = await draw({ random: 'deny' });
    expect(r.errnos[0]).toBe(ERRNO.notcapable);
    expect(r.bytes).toBe('00'.repeat(64));
    expect(r.detail).toBe('denied by policy: random = "deny"');
  });

  it('the length is checked against memory before anything is allocated (4 GiB asks fail at once)', async () => {
    const g = await instantiate(await wat('random'), { policy: {} });
    g.p1.bind(g.memory);
    const f = g.p1.wasiImport as Record<string, (...a: number[]) => number>;
    const t = performance.now();
    for (let i = 0; i < 1000; i++) expect(f['random_get']!(0, -1)).toBe(ERRNO.fault);
    // 1000 allocations of 4 GiB would take far longer than this (or throw).
    expect(performance.now() - t).toBeLessThan(1000);
    // A buffer filling all of memory is fine, a byte more is not.
    expect(f['random_get']!(0, g.memory.buffer.byteLength)).toBe(0);
    expect(f['random_get']!(1, g.memory.buffer.byteLength)).toBe(ERRNO.fault);
  });

  it('fills shared memory (a threaded guest) too', async () => {
    const g = await instantiate(await wat('random'), { policy: {} });
    const shared = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    g.p1.bind(shared);
    const f = g.p1.wasiImport as Record<string, (...a: number[]) => number>;
    expect(f['random_get']!(0, 70_000)).toBe(ERRNO.fault);
    expect(f['random_get']!(100, 65_000 - 100)).toBe(0);
    expect(new Uint8Array(shared.buffer, 100, 64).some((b) => b !== 0)).toBe(true);
  });
});
