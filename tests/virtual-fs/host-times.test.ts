/**
 * set_times with exact nanoseconds, although Node's utimes takes double seconds that
 * libuv truncates to microseconds: values Node can carry go through futimes/lutimes, the
 * rest through touch(1) on the fd we hold. Omitted fields stay exactly as they were.
 */
import fs from 'node:fs';
import nodePath from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Confinement } from '../../src/virtual-fs/host/confine.js';
import { openHostDir, type HostDir } from '../../src/virtual-fs/host/index.js';
import { resolve } from '../../src/virtual-fs/resolver.js';
import { exactSeconds, touchStamp, uvNanos } from '../../src/virtual-fs/host/times.js';
import { code, makeFixture, type Fixture } from './host-fixture.js';

describe('the double Node passes for a time', () => {
  it('models libuv: whole microseconds survive, and real futimes agrees', () => {
    const f = makeFixture((fx) => fs.writeFileSync(nodePath.join(fx.root, 'x'), ''));
    const fd = fs.openSync(nodePath.join(f.root, 'x'), 'r+');
    try {
      let seed = 12345;
      const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
      for (let i = 0; i < 200; i++) {
        const sec = BigInt(rnd() % 2_000_000_000);
        const us = BigInt(rnd() % 1_000_000);
        const ns = sec * 1_000_000_000n + us * 1000n;
        const d = exactSeconds(ns);
        expect(d).toBeDefined();
        expect(uvNanos(d!)).toBe(ns);
        fs.futimesSync(fd, d!, d!);
        const st = fs.fstatSync(fd, { bigint: true });
        expect(st.mtimeNs).toBe(ns);
        expect(st.atimeNs).toBe(ns);
      }
      expect(exactSeconds(1_700_000_000_123_456_789n)).toBeUndefined();
      expect(exactSeconds(-1_000n)).toBeUndefined();
    } finally {
      fs.closeSync(fd);
      f.cleanup();
    }
  });

  it('formats touch stamps, negative ones too', () => {
    expect(touchStamp(1_700_000_000_000_000_007n)).toBe('@1700000000.000000007');
    expect(touchStamp(-5_500_000_000n)).toBe('@-5.500000000');
    expect(touchStamp(-1n)).toBe('@-0.000000001');
  });
});

describe.each<Confinement>(['proc', 'path'])('set_times on a host preopen (%s)', (confinement) => {
  let f: Fixture;
  let root: HostDir;
  const host = (p: string) => nodePath.join(f.root, p);
  const ns = (p: string) => fs.lstatSync(host(p), { bigint: true });

  beforeEach(() => {
    f = makeFixture((fx) => {
      fs.writeFileSync(nodePath.join(fx.root, 'file'), 'x');
      fs.symlinkSync('file', nodePath.join(fx.root, 'link'));
      fs.mkdirSync(nodePath.join(fx.root, 'dir'));
    });
    root = openHostDir(f.root, { readonly: false, confinement });
  });
  afterEach(() => {
    root.destroy();
    f.cleanup();
  });

  it('sets exact nanoseconds on a handle, leaving an omitted field exactly as it was', () => {
    const h = root.openAt('file', { read: true, write: true });
    const st = h.stat();
    // fd_filestat_set: mtim = mtim - 100 (ns), atim omitted.
    h.setTimes(undefined, st.mtim - 100n);
    expect(h.stat().mtim).toBe(st.mtim - 100n);
    expect(h.stat().atim).toBe(st.atim);
    h.setTimes(1_600_000_000_000_000_001n, 1_600_000_000_000_000_002n);
    expect(ns('file').atimeNs).toBe(1_600_000_000_000_000_001n);
    expect(ns('file').mtimeNs).toBe(1_600_000_000_000_000_002n);
    h.setTimes(1_500_000_000_123_456_000n, 1_500_000_000_654_321_000n); // Node can carry these
    expect(ns('file').atimeNs).toBe(1_500_000_000_123_456_000n);
    expect(ns('file').mtimeNs).toBe(1_500_000_000_654_321_000n);
    h.setTimes(-5_500_000_000n, 7n); // before 1970 and just after
    expect(ns('file').atimeNs).toBe(-5_500_000_000n);
    expect(ns('file').mtimeNs).toBe(7n);
    const lo = BigInt(Date.now() - 2000) * 1_000_000n;
    h.setTimes('now', undefined);
    const hi = BigInt(Date.now() + 2000) * 1_000_000n;
    expect(ns('file').atimeNs).toBeGreaterThanOrEqual(lo);
    expect(ns('file').atimeNs).toBeLessThanOrEqual(hi);
    expect(ns('file').mtimeNs).toBe(7n);
    h.close();
  });

  it('setTimesAt acts on a symlink itself; following is the resolver\'s job', () => {
    const file = ns('file');
    const link = ns('link');
    // symlink_filestat: set the link's own mtime to link.mtim - 200.
    root.setTimesAt('link', undefined, link.mtimeNs - 200n);
    expect(ns('link').mtimeNs).toBe(link.mtimeNs - 200n);
    expect(ns('link').atimeNs).toBe(link.atimeNs);
    expect(ns('file').mtimeNs).toBe(file.mtimeNs);
    // With follow, the resolver hands us the target's name.
    resolve(root, 'link', { follow: true }, (d, n) => d.setTimesAt(n, undefined, link.mtimeNs));
    expect(ns('file').mtimeNs).toBe(link.mtimeNs);
    expect(ns('link').mtimeNs).toBe(link.mtimeNs - 200n);
  });

  it('sets the times of directories, through a handle and by name', () => {
    root.setTimesAt('dir', 1_000_000_000_000_000_003n, 1_000_000_000_000_000_004n);
    expect(ns('dir').atimeNs).toBe(1_000_000_000_000_000_003n);
    expect(ns('dir').mtimeNs).toBe(1_000_000_000_000_000_004n);
    const d = root.openAt('dir', { directory: true });
    d.setTimes(undefined, 5n);
    expect(ns('dir').mtimeNs).toBe(5n);
    expect(ns('dir').atimeNs).toBe(1_000_000_000_000_000_003n);
    d.close();
    root.setTimesAt('.', 11n, 12n);
    expect(fs.statSync(f.root, { bigint: true }).mtimeNs).toBe(12n);
    expect(code(() => root.setTimesAt('missing', 1n, 1n))).toBe('noent');
    expect(code(() => root.setTimesAt('missing', 1_000_000n, 1_000_000n))).toBe('noent');
    expect(fs.existsSync(host('missing'))).toBe(false);
  });
});
