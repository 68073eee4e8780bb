import { describe, expect, it } from 'vitest';
import { PolicyTrap } from '../../src/adapter/kernel/index.js';
import { runModule } from '../../src/adapter/preview1/run.js';
import { GuestTrap } from '../../src/adapter/kernel/index.js';
import { ERRNO } from '../../src/virtual-fs/errors.js';
import type { Policy } from '../../src/policy/types.js';
import { wat } from '../helpers/guests.js';
import { instantiate } from './p1-helpers.js';

async function exitWith(code: number, policy: Policy = {}): Promise<number> {
  const g = await instantiate(await wat('exit-code'), { policy });
  g.view.setUint32(0, code >>> 0, true);
  return g.start();
}

async function raise(sig: number) {
  const g = await instantiate(await wat('raise'), { policy: {} });
  g.view.setUint32(0, sig, true);
  g.start();
  return { errno: g.view.getUint32(4, true), yielded: g.view.getUint32(8, true) };
}

describe('proc_exit', () => {
  it('returns every code 0..255 to the caller, and the test runner lives on', async () => {
    const seen: number[] = [];
    for (let code = 0; code <= 255; code++) {
      const g = await instantiate(await wat('exit-code'), { policy: {} });
      g.view.setUint32(0, code, true);
      seen.push(g.start());
    }
    expect(seen).toEqual([...Array(256).keys()]);
  });

  it('runModule resolves with the code (no process exit)', async () => {
    // exit-code reads its code from memory, which starts zeroed: exit 0, then the unreachable never runs.
    await expect(runModule(await wat('exit-code'), { policy: {} })).resolves.toEqual({ code: 0 });
  });

  it('a code above 255 traps rather than being truncated by the OS', async () => {
    await expect(exitWith(256)).rejects.toThrow(GuestTrap);
    await expect(exitWith(-1)).rejects.toThrow(/exit with invalid exit status 4294967295/);
  });

  it('exit denied: code 0 ends normally, any other code traps naming the rule', async () => {
    await expect(exitWith(0, { exit: 'deny' })).resolves.toBe(0);
    const err = await exitWith(3, { exit: 'deny' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PolicyTrap);
    expect((err as Error).message).toMatch(/denied by policy: exit = "deny".*code 3/);
  });
});

describe('proc_raise', () => {
  it('signal 0 and the ignore-by-default signals do nothing', async () => {
    for (const sig of [0, 16 /* chld */, 17 /* cont */, 22 /* urg */, 27 /* winch */]) {
      expect((await raise(sig)).errno).toBe(0);
    }
  });

  it('stop signals are notsup, unknown numbers inval', async () => {
    expect((await raise(18)).errno).toBe(ERRNO.notsup);
    expect((await raise(31)).errno).toBe(ERRNO.inval);
    expect((await raise(1000)).errno).toBe(ERRNO.inval);
  });

  it('a fatal signal traps the guest (never the host), naming the signal', async () => {
    await expect(raise(15)).rejects.toThrow('proc_raise(SIGTERM): the guest raised a fatal signal');
    await expect(raise(6)).rejects.toThrow(/SIGABRT/);
    await expect(raise(9)).rejects.toThrow(GuestTrap);
  });
});

describe('sched_yield', () => {
  it('succeeds', async () => {
    expect((await raise(0)).yielded).toBe(0);
  });
});
