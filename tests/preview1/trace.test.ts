import { describe, expect, it } from 'vitest';
import { CaptureSink } from '../../src/adapter/kernel/index.js';
import { SIGNATURES } from '../../src/adapter/preview1/trace.js';
import { FUNCTIONS } from '../../src/adapter/preview1/abi.js';
import type { Policy } from '../../src/policy/types.js';
import { wat } from '../helpers/guests.js';
import { instantiate } from './p1-helpers.js';

async function trace(policy: Policy, args = ['tour.wasm', 'x']) {
  const lines: string[] = [];
  const g = await instantiate(await wat('trace-calls'), { policy, args, trace: (l) => lines.push(l), stdout: new CaptureSink() });
  const code = g.start();
  return { code, lines };
}

describe('--debug tracing', () => {
  it('describes every preview1 function', () => {
    expect(Object.keys(SIGNATURES).sort()).toEqual([...FUNCTIONS].sort());
  });

  it('one line per call: decoded arguments, the errno name, out-values on success', async () => {
    const { code, lines } = await trace({ clocks: 'allow' });
    expect(code).toBe(3);
    expect(lines).toHaveLength(6);
    expect(lines[0]).toBe('args_sizes_get() = success -> sizes=2, 12 bytes');
    expect(lines[1]).toMatch(/^clock_time_get\(id=monotonic, precision=0\) = success -> time=\d+$/);
    expect(lines[2]).toMatch(/^path_open\(fd=3, dirflags=symlink_follow, path="dir\/missing\.txt", oflags=creat\|trunc, rights_base=fd_read\|fd_write, rights_inheriting=0, fdflags=append\) = [a-z]+( \(.+\))?$/);
    expect(lines[2]).not.toMatch(/= success/);
    expect(lines[3]).toMatch(/^fd_write\(fd=1, iovs=\[1 iov, 7 bytes\]\) = /);
    expect(lines[4]).toMatch(/^random_get\(buf=0xfde8, buf_len=1000\) = fault \(guest range 65000\+1000 is outside memory/);
    expect(lines[5]).toBe('proc_exit(rval=3) -> exit 3');
  });

  it('rights read as names, a mostly-full set as what it lacks', async () => {
    const lines: string[] = [];
    const g = await instantiate(await wat('trace-calls'), { policy: {}, trace: (l) => lines.push(l) });
    g.p1.bind(g.memory);
    const set = g.p1.wasiImport['fd_fdstat_set_rights'] as (fd: number, base: bigint, inheriting: bigint) => number;
    set(1, (1n << 30n) - 1n, ((1n << 30n) - 1n) & ~(1n << 6n) & ~(1n << 1n));
    expect(lines[0]).toMatch(/^fd_fdstat_set_rights\(fd=1, rights_base=all, rights_inheriting=all but fd_read\|fd_write\) = /);
  });

  it('a denied call names the policy rule that denied it', async () => {
    const { lines } = await trace({ clocks: 'deny' });
    expect(lines[1]).toBe('clock_time_get(id=monotonic, precision=0) = notcapable (denied by policy: clocks = "deny")');
  });

  it('a trap is traced before it unwinds', async () => {
    const lines: string[] = [];
    const g = await instantiate(await wat('trace-calls'), { policy: { exit: 'deny' }, trace: (l) => lines.push(l), stdout: new CaptureSink() });
    expect(() => g.start()).toThrow(/denied by policy: exit/);
    expect(lines.at(-1)).toMatch(/^proc_exit\(rval=3\) -> trap \(denied by policy: exit = "deny"/);
  });

  it('policy.debug sends the lines to the stderr sink, prefixed', async () => {
    const err = new CaptureSink();
    const g = await instantiate(await wat('clocks'), { policy: { debug: true, clocks: 'deny' }, stderr: err });
    g.start();
    const lines = err.text().trimEnd().split('\n');
    expect(lines).toHaveLength(14);
    expect(lines[0]).toBe('[wasi-virt] clock_time_get(id=realtime, precision=1) = notcapable (denied by policy: clocks = "deny")');
    expect(lines.at(-1)).toBe('[wasi-virt] clock_res_get(id=7) = inval (clock id 7 does not exist)');
  });

  it('without tracing, the import functions are the untraced ones', async () => {
    const plain = await instantiate(await wat('clocks'), { policy: {} });
    const traced = await instantiate(await wat('clocks'), { policy: {}, trace: () => {} });
    expect(traced.p1.wasiImport['clock_time_get']!.toString()).toMatch(/describeArgs/);
    expect(plain.p1.wasiImport['clock_time_get']!.toString()).not.toMatch(/describeArgs/);
  });
});
