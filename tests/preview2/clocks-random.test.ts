/**
 * wasi:clocks and wasi:random through a real component: the host's, deterministic
 * (identical across runs), or denied (a trap naming the rule: these interfaces have no
 * error channel).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { PolicyTrap } from '../../src/adapter/kernel/index.js';
import type { Policy } from '../../src/policy/types.js';
import { runGuest, watComponent } from './helpers.js';

let tool: Uint8Array;
beforeAll(async () => {
  tool = await watComponent('p2-tool');
});

const time = (p: Policy) => runGuest(tool, { ...p, args: ['tool', 'time'] });
const parse = (out: string) => {
  const m = /^realtime=(\d+) monotonic=(\d+) (\d+) random=([0-9a-f]{32})\n$/.exec(out);
  if (!m) throw new Error(`unexpected output ${JSON.stringify(out)}`);
  return { real: BigInt(m[1]!), mono1: BigInt(m[2]!), mono2: BigInt(m[3]!), random: m[4]! };
};

describe('deterministic mode', () => {
  const det: Policy = { clocks: { deterministic: {} }, random: { deterministic: { seed: 7 } } };

  it('gives byte-identical output on two runs', async () => {
    const a = await time(det);
    const b = await time(det);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const t = parse(a.stdout);
    // Starts at 2000-01-01T00:00:00Z; every reading advances virtual time by the step.
    expect(t.real).toBeGreaterThanOrEqual(946_684_800_000_000_000n);
    expect(t.real).toBeLessThan(946_684_801_000_000_000n);
    expect(t.mono2 - t.mono1).toBe(1_000_000n);
  });

  it('follows the configured start, step and seed', async () => {
    const t = parse((await time({
      clocks: { deterministic: { start: '2020-02-02T00:00:00Z', 'step-ns': 5 } },
      random: { deterministic: { seed: 8 } },
    })).stdout);
    expect(t.real / 1_000_000_000n).toBe(BigInt(Date.parse('2020-02-02T00:00:00Z') / 1000));
    expect(t.mono2 - t.mono1).toBe(5n);
    expect(t.random).not.toBe(parse((await time(det)).stdout).random);
  });
});

describe('host clocks and random', () => {
  it('reads the real time and fresh random bytes', async () => {
    const a = parse((await time({})).stdout);
    const b = parse((await time({})).stdout);
    const now = BigInt(Date.now()) * 1_000_000n;
    expect(a.real > now - 60_000_000_000n && a.real < now + 60_000_000_000n).toBe(true);
    expect(a.mono2).toBeGreaterThanOrEqual(a.mono1);
    expect(a.random).not.toBe(b.random);
  });
});

describe('denied', () => {
  it('traps on a clock reading, naming the rule', async () => {
    const r = time({ clocks: 'deny' });
    await expect(r).rejects.toBeInstanceOf(PolicyTrap);
    await expect(r).rejects.toThrow('denied by policy: clocks = "deny"');
  });

  it('traps on random, naming the rule', async () => {
    await expect(time({ random: 'deny', clocks: { deterministic: {} } })).rejects.toThrow('denied by policy: random = "deny"');
  });
});
