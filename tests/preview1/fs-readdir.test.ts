/**
 * fd_readdir: `.` and `..` first, stable cookies, entries cut at the end of the buffer,
 * d_ino equal to what a stat of the entry says (filled lazily when the backend has none).
 */
import { mkdirSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { E, FT, O, RIGHTS, Shim, parseDirents } from './shim.js';
import { tempDir } from './fs-harness.js';

let tmp: { path: string; cleanup: () => void };
beforeEach(() => { tmp = tempDir(); });
afterEach(() => tmp.cleanup());

function shim(): Promise<Shim> {
  return Shim.create({ dirs: { '/work': tmp.path } });
}

describe('fd_readdir', () => {
  it('lists . and .. first, with the directory inode for `.` (fd_readdir)', async () => {
    const s = await shim();
    const [, d] = s.open('.', { oflags: O.DIRECTORY });
    const ents = s.readdir(d, 256);
    expect(ents.map((e) => e.name)).toEqual(['.', '..']);
    expect(ents.every((e) => e.type === FT.dir)).toBe(true);
    expect(ents[0]!.ino).toBe(s.filestat(d)[1].ino);
    expect(ents.map((e) => e.next)).toEqual([1n, 2n]);
  });

  it('gives each entry its type and the inode a stat gives, and resumes at d_next', async () => {
    const s = await shim();
    writeFileSync(join(tmp.path, 'file'), 'x');
    mkdirSync(join(tmp.path, 'sub'));
    symlinkSync('file', join(tmp.path, 'link'));
    const [, d] = s.open('.', { oflags: O.DIRECTORY });
    const ents = s.readdir(d, 256);
    expect(ents.map((e) => e.name).sort()).toEqual(['.', '..', 'file', 'link', 'sub']);
    const byName = Object.fromEntries(ents.map((e) => [e.name, e]));
    expect(byName['file']!.type).toBe(FT.file);
    expect(byName['sub']!.type).toBe(FT.dir);
    expect(byName['link']!.type).toBe(FT.symlink);
    for (const name of ['file', 'sub', 'link']) {
      expect(byName[name]!.ino).toBe(s.pathStat(name, { follow: false })[1].ino);
    }
    // Reading again from entry i's d_next returns exactly the entries after it.
    for (let i = 0; i < ents.length; i++) {
      const [rc, raw] = s.readdirRaw(d, 4096, ents[i]!.next);
      expect(rc).toBe(0);
      expect(parseDirents(raw).whole.map((e) => e.name)).toEqual(ents.slice(i + 1).map((e) => e.name));
    }
    expect(s.readdirRaw(d, 4096, 1000n)).toEqual([0, new Uint8Array(0)]);
  });

  it('pages through 1000 files with a 256-byte buffer, cutting the entry that does not fit', async () => {
    const s = await shim();
    for (let i = 0; i < 1000; i++) writeFileSync(join(tmp.path, `file.${i}`), '');
    const [, d] = s.open('.', { oflags: O.DIRECTORY });
    const [rc, raw] = s.readdirRaw(d, 256);
    expect(rc).toBe(0);
    expect(raw.byteLength).toBe(256); // full: the guest must ask again
    expect(parseDirents(raw).partial).toBe(true);
    const ents = s.readdir(d, 256);
    expect(ents.length).toBe(1002);
    expect(new Set(ents.map((e) => e.name)).size).toBe(1002);
  });

  it('keeps cookies stable for one listing and takes a fresh one from cookie 0', async () => {
    const s = await shim();
    for (const n of ['a', 'b', 'c']) writeFileSync(join(tmp.path, n), '');
    const [, d] = s.open('.', { oflags: O.DIRECTORY });
    const first = s.readdir(d);
    unlinkSync(join(tmp.path, first[2]!.name));
    writeFileSync(join(tmp.path, 'd'), '');
    // Cookie 2 still means "from the third entry of the listing taken at cookie 0": the
    // removed entry is still there and the new one is not.
    const [, raw] = s.readdirRaw(d, 4096, 2n);
    expect(parseDirents(raw).whole.map((e) => e.name)).toEqual(first.slice(2).map((e) => e.name));
    const fresh = s.readdir(d).map((e) => e.name).sort();
    expect(fresh).toEqual(['.', '..', ...['a', 'b', 'c', 'd'].filter((n) => n !== first[2]!.name)].sort());
  });

  it('cuts a single entry anywhere, even inside the header', async () => {
    const s = await Shim.create({ trees: { '/t': { 'a-long-name': { source: '' } } } });
    const [, whole] = s.readdirRaw(3, 4096);
    for (const size of [1, 8, 12, 23, 24, 30]) {
      const [rc, raw] = s.readdirRaw(3, size);
      expect(rc).toBe(0);
      expect(raw).toEqual(whole.subarray(0, size));
    }
  });

  it('lists a memory tree with mounts showing through, sorted', async () => {
    const s = await Shim.create({ trees: { '/': { b: { source: '' }, a: { dir: {} } } }, dirs: { '/mnt': tmp.path } });
    expect(s.readdir(3).map((e) => [e.name, e.type])).toEqual([
      ['.', FT.dir], ['..', FT.dir], ['a', FT.dir], ['b', FT.file], ['mnt', FT.dir],
    ]);
  });

  it('is notdir on a file, notcapable without FD_READDIR, badf on a closed fd, fault past memory', async () => {
    const s = await shim();
    writeFileSync(join(tmp.path, 'f'), '');
    const [, f] = s.open('f');
    expect(s.readdirRaw(f, 64)[0]).toBe(E.notdir);
    expect(s.readdirRaw(1, 64)[0]).toBe(E.notdir);
    const [, d] = s.open('.', { oflags: O.DIRECTORY, base: RIGHTS.PATH_OPEN });
    expect(s.readdirRaw(d, 64)[0]).toBe(E.notcapable);
    expect(s.readdirRaw(99, 64)[0]).toBe(E.badf);
    const size = s.memory.buffer.byteLength;
    expect(s.call['fd_readdir']!(3, size - 10, 64, 0n, 0)).toBe(E.fault);
    expect(s.call['fd_readdir']!(3, 0, -1, 0n, 0)).toBe(E.fault); // 4 GiB buffer
  });
});
