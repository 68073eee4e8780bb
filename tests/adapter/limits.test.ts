/**
 * The policy's resource limits, each hit by a real guest on both ABIs (the WAT guest
 * as a core module, and wrapped as a component by jco's preview1 adapter).
 */
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaptureSink, LimitTrap } from '../../src/adapter/kernel/index.js';
import { nodePlatform } from '../../src/adapter/node/platform.js';
import { runModule } from '../../src/adapter/preview1/run.js';
import { runComponent } from '../../src/adapter/preview2/instantiate.js';
import type { LimitsPolicy, Policy } from '../../src/policy/types.js';
import { ERRNO } from '../../src/virtual-fs/errors.js';
import { wat } from '../helpers/guests.js';
import { watComponent } from '../preview2/helpers.js';

const openFds = (): number => readdirSync('/proc/self/fd').length;

function policyFor(dir: string, limits: LimitsPolicy): Policy {
  return { fs: { 'host-preopens': false, preopens: { '/': { 'runtime-dir': dir } } }, limits };
}

type Abi = 'preview1' | 'preview2';
async function run(abi: Abi, guest: string, policy: Policy) {
  const stdout = new CaptureSink();
  const stderr = new CaptureSink();
  const options = { policy, stdout, stderr, platform: nodePlatform() };
  const { code } = abi === 'preview1'
    ? await runModule(await wat(guest), options)
    : await runComponent(await watComponent(guest), options);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

describe.each(['preview1', 'preview2'] as const)('limits on %s', (abi) => {
  it('open-files: the guest gets an error at the limit, the host keeps its fds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wv-limit-open-'));
    // Once first: loading a component (transpile cache, jco's modules) opens files of its own.
    await run(abi, 'limit-open', policyFor(dir, { 'open-files': 8 }));
    const before = openFds();
    let peak = 0;
    const sample = setInterval(() => { peak = Math.max(peak, openFds()); }, 0);
    const r = await run(abi, 'limit-open', policyFor(dir, { 'open-files': 64 }));
    clearInterval(sample);
    const [opened, errno] = r.stdout.trim().split(' ').map(Number);
    if (abi === 'preview1') {
      // fds 0-2 and the preopen count: 60 more opens fit.
      expect([opened, errno]).toEqual([60, ERRNO.mfile]);
    } else {
      // The adapter keeps a few descriptors of its own, and reports the kernel's EMFILE as
      // preview2's insufficient-memory.
      expect(opened).toBeGreaterThan(40);
      expect(opened).toBeLessThan(64);
      expect(errno).not.toBe(0);
    }
    expect(openFds()).toBe(before);
    expect(peak).toBeLessThanOrEqual(before + 64);
  });

  // jco's preview1 adapter has a descriptor table of its own that fills up first (about 128).
  it.runIf(abi === 'preview1')('open-files defaults to 1024, far below the host limit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wv-limit-open-'));
    const r = await run(abi, 'limit-open', policyFor(dir, {}));
    const [opened] = r.stdout.trim().split(' ').map(Number);
    expect(opened).toBeLessThan(1024);
    expect(opened).toBeGreaterThan(1000);
  });

  it('write-bytes and stdout-bytes: writes stop at the limit with EDQUOT, the run goes on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wv-limit-write-'));
    const r = await run(abi, 'limit-write', policyFor(dir, { 'write-bytes': 40, 'stdout-bytes': 20 }));
    expect(r.code).toBe(0);
    expect(statSync(join(dir, 'out.txt')).size).toBe(40);
    expect(readFileSync(join(dir, 'out.txt'), 'utf8')).toBe('0123456789abcde\n0123456789abcde\n01234567');
    expect(r.stdout).toBe('0123456789abcde\n0123');
    const [fileErr, outErr] = r.stderr.trim().split(' ').map(Number);
    expect(fileErr).toBe(ERRNO.dquot);
    if (abi === 'preview1') expect(outErr).toBe(ERRNO.dquot);
    else expect(outErr).not.toBe(0); // the adapter reports a failed stream write as EIO
  });

  it('stderr-bytes: the same for stderr', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wv-limit-write-'));
    // The guest's last line is "<errno> <errno>\n" on stderr: 3 bytes of it get through.
    const r = await run(abi, 'limit-write', policyFor(dir, { 'write-bytes': 40, 'stderr-bytes': 3 }));
    expect(r.stderr).toBe('19 ');
    expect(r.stdout).toBe('0123456789abcde\n'.repeat(10));
  });

  it('memory-bytes: a guest that grows past the limit traps at its next host call', async () => {
    const ok = await run(abi, 'limit-memory', { limits: { 'memory-bytes': 4 << 20 } });
    expect(ok.stdout).toBe('grown\n');
    const err = await run(abi, 'limit-memory', { limits: { 'memory-bytes': 1 << 20 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LimitTrap);
    expect(err).toBeInstanceOf(WebAssembly.RuntimeError);
    expect((err as LimitTrap).limit).toBe('memory-bytes');
    expect((err as Error).message).toMatch(/^limits\.memory-bytes: the guest's linear memory is \d+ bytes, over the limit of 1048576$/);
  });

  it('memory-bytes: a memory already over the limit traps at instantiation', async () => {
    const err = await run(abi, 'limit-memory', { limits: { 'memory-bytes': 1000 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LimitTrap);
    expect((err as Error).message).toMatch(/linear memory is \d+ bytes, over the limit of 1000/);
  });
});
