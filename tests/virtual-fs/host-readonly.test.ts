/**
 * Read-only host preopens: every write path is closed with the code a read-only tree gives
 * for the same situation, and the host file system is left exactly as it was.
 */
import fs from 'node:fs';
import nodePath from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DirHandle, Handle, OpenRequest } from '../../src/virtual-fs/handle.js';
import type { Confinement } from '../../src/virtual-fs/host/confine.js';
import { openHostDir, openHostFile, type HostDir } from '../../src/virtual-fs/host/index.js';
import { MemoryTree } from '../../src/virtual-fs/memory-tree.js';
import { resolve } from '../../src/virtual-fs/resolver.js';
import { RoDir } from '../../src/virtual-fs/ro-tree.js';
import { code, makeFixture, readAt, type Fixture } from './host-fixture.js';

/** Everything about a tree, read without changing it (O_NOATIME for contents). */
function fingerprint(dir: string): string[] {
  const out: string[] = [];
  for (const rel of ['.', ...fs.readdirSync(dir, { recursive: true }).map(String).sort()]) {
    const p = nodePath.join(dir, rel);
    const st = fs.lstatSync(p, { bigint: true });
    let data = '';
    if (st.isSymbolicLink()) data = `-> ${fs.readlinkSync(p)}`;
    else if (st.isFile()) {
      const fd = fs.openSync(p, fs.constants.O_RDONLY | fs.constants.O_NOATIME);
      data = fs.readFileSync(fd, 'utf8');
      fs.closeSync(fd);
    }
    out.push(`${rel} mode=${st.mode} size=${st.size} nlink=${st.nlink} ino=${st.ino} mtime=${st.mtimeNs} ${data}`);
  }
  return out;
}

const TREE = new RoDir(MemoryTree.fromEntries({
  'f.txt': { source: 'F' },
  d: { dir: { 'g.txt': { source: 'G' } } },
  ln: { symlink: 'f.txt' },
}, 9n), 0);

const NAMES = ['f.txt', 'd', 'ln', 'nope', '.'];
const REQUESTS: OpenRequest[] = [
  { create: true },
  { create: true, exclusive: true },
  { create: true, truncate: true, write: true },
  { truncate: true },
  { write: true },
  { append: true },
  { read: true, write: true },
  { read: true, append: true },
  { write: true, directory: true },
  { create: true, directory: true },
  { read: true, truncate: true },
];

describe.each<Confinement>(['proc', 'path'])('read-only host preopen (%s)', (confinement) => {
  let f: Fixture;
  let ro: HostDir;
  let rw: HostDir;
  let before: string[];
  let before2: string[];

  beforeEach(() => {
    f = makeFixture((fx) => {
      fs.writeFileSync(nodePath.join(fx.root, 'f.txt'), 'F');
      fs.mkdirSync(nodePath.join(fx.root, 'd'));
      fs.writeFileSync(nodePath.join(fx.root, 'd', 'g.txt'), 'G');
      fs.symlinkSync('f.txt', nodePath.join(fx.root, 'ln'));
      fs.writeFileSync(nodePath.join(fx.root2, 'w.txt'), 'W');
    });
    ro = openHostDir(f.root, { readonly: true, confinement });
    rw = openHostDir(f.root2, { readonly: false, confinement });
    before = fingerprint(f.root);
    before2 = fingerprint(f.root2);
  });

  afterEach(() => {
    try {
      expect(fingerprint(f.root)).toEqual(before);
      expect(fingerprint(f.root2)).toEqual(before2);
    } finally {
      ro.destroy();
      rw.destroy();
      f.cleanup();
    }
  });

  it('reads work', () => {
    expect(readAt(ro, 'f.txt')).toBe('F');
    expect(readAt(ro, 'd/g.txt')).toBe('G');
    expect(readAt(ro, 'ln')).toBe('F');
    expect(ro.readdir().map((e) => e.name)).toEqual(['d', 'f.txt', 'ln']);
  });

  it('every write-intent open gives the read-only tree\'s code for the same situation', () => {
    const rows: string[] = [];
    for (const name of NAMES) {
      for (const req of REQUESTS) {
        const host = code(() => ro.openAt(name, req).close());
        const tree = code(() => TREE.openAt(name, req).close());
        rows.push(`${name} ${JSON.stringify(req)}: ${host}`);
        expect(`${name} ${JSON.stringify(req)}: ${host}`).toBe(`${name} ${JSON.stringify(req)}: ${tree}`);
        expect(host).not.toBe('ok');
      }
    }
    expect(rows).toContain('nope {"create":true}: rofs');
    expect(rows).toContain('f.txt {"create":true,"exclusive":true}: exist');
    expect(rows).toContain('d {"write":true,"directory":true}: isdir');
    expect(rows).toContain('ln {"write":true}: loop');
  });

  it('file handles are read-only: write is badf, set_size / allocate / set_times are rofs', () => {
    const h = resolve(ro, 'f.txt', { follow: true }, (d, n) => d.openAt(n, { read: true }));
    const t = TREE.openAt('f.txt', { read: true });
    try {
      for (const [op, fn] of [
        ['write', (x: Handle) => x.write(new Uint8Array([1]))],
        ['pwrite', (x: Handle) => x.write(new Uint8Array([1]), 0n)],
        ['setSize', (x: Handle) => x.setSize(0n)],
        ['setSize grow', (x: Handle) => x.setSize(100n)],
        ['allocate', (x: Handle) => x.allocate(0n, 100n)],
        ['setTimes', (x: Handle) => x.setTimes(0n, 0n)],
        ['setTimes now', (x: Handle) => x.setTimes('now', undefined)],
      ] as const) {
        expect(`${op}: ${code(() => fn(h))}`).toBe(`${op}: ${code(() => fn(t))}`);
      }
      expect(code(() => h.write(new Uint8Array([1])))).toBe('badf');
      expect(code(() => h.setSize(0n))).toBe('rofs');
      expect(h.writable).toBe(false);
    } finally {
      h.close();
    }
  });

  it('directory operations are rofs, on the root, on a walked and an opened subdirectory', () => {
    const opened = ro.openAt('d', { directory: true }) as DirHandle;
    try {
      for (const dir of [ro, opened]) {
        for (const name of ['f.txt', 'g.txt', 'ln', 'nope', 'd', '.']) {
          expect(code(() => dir.unlinkAt(name))).toBe('rofs');
          expect(code(() => dir.rmdirAt(name))).toBe('rofs');
          expect(code(() => dir.mkdirAt(name))).toBe('rofs');
          expect(code(() => dir.symlinkAt('f.txt', name))).toBe('rofs');
          expect(code(() => dir.setTimesAt(name, 0n, 0n))).toBe('rofs');
          expect(code(() => dir.setTimesAt(name, undefined, 'now'))).toBe('rofs');
        }
        expect(code(() => dir.setTimes(0n, 0n))).toBe('rofs');
      }
      // Through the resolver: the walked directory is read-only too.
      expect(code(() => resolve(ro, 'd/g.txt', { follow: false }, (d, n) => d.unlinkAt(n)))).toBe('rofs');
      expect(code(() => resolve(ro, 'd/new', { follow: false }, (d, n) => d.mkdirAt(n)))).toBe('rofs');
      expect(code(() => resolve(ro, 'd/g.txt', { follow: false }, (d, n) => d.openAt(n, { write: true })))).toBe('rofs');
      expect(code(() => resolve(ro, 'ln', { follow: true }, (d, n) => d.openAt(n, { truncate: true })))).toBe('rofs');
      expect(opened.readonly).toBe(true);
    } finally {
      opened.close();
    }
  });

  it('rename and link are refused within, into and out of the read-only preopen', () => {
    for (const [what, fn] of [
      ['rename within', () => ro.renameAt('f.txt', ro, 'moved')],
      ['rename onto existing', () => ro.renameAt('f.txt', ro, 'd')],
      ['rename out', () => ro.renameAt('f.txt', rw, 'stolen')],
      ['rename in', () => rw.renameAt('w.txt', ro, 'planted')],
      ['rename in over', () => rw.renameAt('w.txt', ro, 'f.txt')],
      ['link within', () => ro.linkAt('f.txt', ro, 'hard')],
      ['link out', () => ro.linkAt('f.txt', rw, 'hard')],
      ['link in', () => rw.linkAt('w.txt', ro, 'hard')],
      ['rename tree into ro', () => TREE.renameAt('f.txt', ro, 'x')],
    ] as const) {
      expect(`${what}: ${code(fn)}`).toBe(`${what}: rofs`);
    }
  });

  it('a read-only single-file mount refuses every write', () => {
    const m = openHostFile(nodePath.join(f.root, 'f.txt'), { readonly: true, confinement });
    try {
      for (const req of REQUESTS.filter((r) => !r.directory)) {
        expect(code(() => m.open(req).close())).not.toBe('ok');
      }
      expect(code(() => m.open({ write: true }))).toBe('rofs');
      expect(code(() => m.open({ truncate: true }))).toBe('rofs');
      const h = m.open({ read: true });
      expect(code(() => h.write(new Uint8Array([1])))).toBe('badf');
      expect(code(() => h.setSize(0n))).toBe('rofs');
      expect(code(() => h.setTimes(1n, 1n))).toBe('rofs');
      h.close();
      expect(m.stat().size).toBe(1n);
    } finally {
      m.destroy();
    }
  });
});
