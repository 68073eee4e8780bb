/**
 * Read-write host preopens: open flags with POSIX codes, cursor/append/pread/pwrite
 * emulation over Node (no lseek, no fcntl), set_size and allocate, stat, readdir, links,
 * FIFOs and sockets, single-file mounts, and error details that never carry a host path.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import nodePath from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compareNames } from '../../src/util/names.js';
import type { WasiError } from '../../src/virtual-fs/errors.js';
import { DirHandle, type Handle } from '../../src/virtual-fs/handle.js';
import type { Confinement } from '../../src/virtual-fs/host/confine.js';
import { HostPathError, openHostDir, openHostFile, type HostDir } from '../../src/virtual-fs/host/index.js';
import { resolve } from '../../src/virtual-fs/resolver.js';
import { code, makeFixture, readAt, readHandle, type Fixture } from './host-fixture.js';
import { asUnprivileged } from '../helpers/unprivileged.js';

const enc = (s: string) => new TextEncoder().encode(s);
const bytes = (n: number, v: number) => new Uint8Array(n).fill(v);

function readN(h: Handle, n: number, offset?: bigint): Uint8Array {
  const buf = new Uint8Array(n);
  const got = h.read(buf, offset);
  return buf.subarray(0, got);
}

describe.each<Confinement>(['proc', 'path'])('read-write host preopen (%s)', (confinement) => {
  let f: Fixture;
  let root: HostDir;
  const host = (p: string) => nodePath.join(f.root, p);

  beforeEach(() => {
    f = makeFixture((fx) => {
      fs.writeFileSync(nodePath.join(fx.root, 'file'), 'hello');
      fs.mkdirSync(nodePath.join(fx.root, 'dir'));
    });
    root = openHostDir(f.root, { readonly: false, confinement });
    root.pinned = true;
  });

  afterEach(() => {
    root.destroy();
    f.cleanup();
  });

  it('open flags give the POSIX codes', () => {
    expect(code(() => root.openAt('missing', { read: true }))).toBe('noent');
    expect(code(() => root.openAt('file', { create: true, exclusive: true }))).toBe('exist');
    expect(code(() => root.openAt('dir', { create: true, exclusive: true }))).toBe('exist');
    expect(code(() => root.openAt('file', { directory: true }))).toBe('notdir');
    expect(code(() => root.openAt('dir', { write: true }))).toBe('isdir');
    expect(code(() => root.openAt('.', { write: true, directory: true }))).toBe('isdir');
    expect(code(() => root.openAt('fresh', { create: true, directory: true }))).toBe('inval');
    expect(fs.existsSync(host('fresh'))).toBe(false);
    expect(code(() => resolve(root, 'nodir/x', { follow: false }, (d, n) => d.openAt(n, { create: true })))).toBe('noent');
    expect(code(() => resolve(root, 'file/x', { follow: false }, (d, n) => d.openAt(n, { create: true })))).toBe('notdir');
    const created = root.openAt('new', { create: true, write: true });
    expect(created.fileType).toBe('regular-file');
    created.close();
    expect(fs.statSync(host('new')).isFile()).toBe(true);
    const t = root.openAt('file', { write: true, truncate: true });
    t.close();
    expect(fs.readFileSync(host('file'), 'utf8')).toBe('');
    const d = root.openAt('dir', {});
    expect(d).toBeInstanceOf(DirHandle);
    d.close();
    const self = root.openAt('.', { directory: true });
    expect(self.stat().ino).toBe(root.stat().ino);
    self.close();
  });

  it('reads and writes at a cursor it keeps itself; pread/pwrite leave it', () => {
    const h = root.openAt('file', { read: true, write: true });
    expect(new TextDecoder().decode(readN(h, 3))).toBe('hel');
    expect(h.write(enc('P'))).toBe(1); // at 3
    expect(h.seek(0n, 'cur')).toBe(4n);
    expect(h.write(enc('XY'), 0n)).toBe(2);
    expect(h.seek(0n, 'cur')).toBe(4n);
    expect(new TextDecoder().decode(readN(h, 10, 1n))).toBe('YlPo');
    expect(h.seek(-2n, 'end')).toBe(3n);
    expect(h.seek(1000n, 'cur')).toBe(1003n);
    expect(readN(h, 4).length).toBe(0);
    expect(code(() => h.seek(-2000n, 'cur'))).toBe('inval');
    h.close();
    expect(fs.readFileSync(host('file'), 'utf8')).toBe('XYlPo');
  });

  it('emulates append, and turning it off and on (fd_flags_set)', () => {
    const h = root.openAt('ap', { create: true, read: true, write: true, append: true });
    expect(h.flags.append).toBe(true);
    expect(h.write(bytes(100, 0))).toBe(100);
    h.seek(0n, 'set');
    expect(readN(h, 100)).toEqual(bytes(100, 0));
    h.seek(0n, 'set');
    expect(h.write(bytes(100, 1))).toBe(100); // appended at 100
    h.seek(100n, 'set');
    expect(readN(h, 100)).toEqual(bytes(100, 1));
    h.setFlags({ append: false });
    h.seek(0n, 'set');
    h.write(bytes(100, 2));
    h.seek(0n, 'set');
    expect(readN(h, 100)).toEqual(bytes(100, 2));
    h.close();
    expect(root.statAt('ap').size).toBe(200n);
    // pwrite on an append handle writes where it is told and does not move the cursor.
    const w = root.openAt('pw', { create: true, truncate: true, write: true, append: true });
    w.write(enc('ab'));
    w.seek(0n, 'set');
    w.write(enc('cd'));
    expect(w.seek(0n, 'cur')).toBe(4n);
    expect(w.write(enc('xyz'), 0n)).toBe(3);
    expect(w.seek(0n, 'cur')).toBe(4n);
    expect([4n, 7n]).toContain(w.seek(0n, 'end'));
    w.close();
  });

  it('set_size and allocate (extend with ftruncate)', () => {
    const h = root.openAt('sz', { create: true, read: true, write: true });
    h.setSize(100n);
    expect(h.stat().size).toBe(100n);
    h.allocate(0n, 100n);
    expect(h.stat().size).toBe(100n);
    h.allocate(10n, 10n);
    expect(h.stat().size).toBe(100n);
    h.allocate(90n, 20n);
    expect(h.stat().size).toBe(110n);
    h.setSize(3n);
    expect(h.stat().size).toBe(3n);
    expect(code(() => h.allocate(0n, 0n))).toBe('inval');
    h.sync(false);
    h.sync(true);
    h.close();
    const r = root.openAt('sz', { read: true });
    expect(code(() => r.allocate(0n, 10n))).toBe('badf');
    expect(code(() => r.write(enc('x')))).toBe('badf');
    expect(code(() => r.setSize(0n))).toBe('inval');
    r.close();
    expect(fs.statSync(host('sz')).size).toBe(3);
  });

  it('stat has the host\'s nanosecond times, identity and link count', () => {
    const h = root.openAt('file', { read: true });
    const st = h.stat();
    const ref = fs.statSync(host('file'), { bigint: true });
    expect(st).toEqual({
      dev: ref.dev, ino: ref.ino, type: 'regular-file', nlink: 1n, size: 5n,
      atim: ref.atimeNs, mtim: ref.mtimeNs, ctim: ref.ctimeNs,
    });
    root.linkAt('file', root, 'file2');
    expect(h.stat().nlink).toBe(2n);
    expect(root.statAt('file2').ino).toBe(ref.ino);
    expect(root.statAt('.').ino).toBe(fs.statSync(f.root, { bigint: true }).ino);
    expect(root.stat().type).toBe('directory');
    h.close();
  });

  it('directory operations give the POSIX codes', () => {
    expect(code(() => root.mkdirAt('dir'))).toBe('exist');
    expect(code(() => root.mkdirAt('file'))).toBe('exist');
    root.mkdirAt('made');
    expect(fs.statSync(host('made')).isDirectory()).toBe(true);
    fs.writeFileSync(host('made/x'), '');
    expect(code(() => root.rmdirAt('made'))).toBe('notempty');
    expect(code(() => root.rmdirAt('file'))).toBe('notdir');
    expect(code(() => root.unlinkAt('dir'))).toBe('isdir');
    expect(code(() => root.unlinkAt('missing'))).toBe('noent');
    expect(code(() => root.readlinkAt('file'))).toBe('inval');
    expect(code(() => root.linkAt('dir', root, 'dirlink'))).toBe('perm');
    expect(code(() => root.linkAt('file', root, 'file'))).toBe('exist');
    expect(code(() => root.renameAt('dir', root, 'file'))).toBe('notdir');
    expect(code(() => root.renameAt('file', root, 'made'))).toBe('isdir');
    resolve(root, 'made/x', { follow: false }, (d, n) => d.unlinkAt(n));
    root.rmdirAt('made');
    expect(fs.existsSync(host('made'))).toBe(false);
    // Symlinks: stored verbatim, read back whole, linked and removed as themselves.
    const long = `${'a/'.repeat(300)}target`;
    root.symlinkAt(long, 'long');
    expect(root.readlinkAt('long')).toBe(long);
    expect(root.statAt('long').type).toBe('symbolic-link');
    root.symlinkAt('dangling', 'dl');
    root.linkAt('dl', root, 'dl2');
    expect(fs.readlinkSync(host('dl2'))).toBe('dangling');
    expect(code(() => root.symlinkAt('x', 'dl'))).toBe('exist');
    root.unlinkAt('dl2');
    root.symlinkAt('dir', 'to-dir');
    expect(code(() => root.rmdirAt('to-dir'))).toBe('notdir');
    root.unlinkAt('to-dir');
    expect(fs.existsSync(host('dir'))).toBe(true);
  });

  it('readdir lists names (no . and ..) in code-point order with their types', () => {
    for (const n of ['b', 'B', 'é', 'a', '\u{1F600}', '\uFFFD']) fs.writeFileSync(host(n), '');
    fs.symlinkSync('file', host('ln'));
    execFileSync('mkfifo', [host('fifo')]);
    const list = root.readdir();
    expect(list.map((e) => e.name)).toEqual([...fs.readdirSync(f.root)].sort(compareNames));
    expect(list.map((e) => e.name)).not.toContain('.');
    const types = Object.fromEntries(list.map((e) => [e.name, e.type]));
    expect(types).toMatchObject({ file: 'regular-file', dir: 'directory', ln: 'symbolic-link', fifo: 'fifo' });
    // U+FFFD sorts before U+1F600 by code point (UTF-16 order says otherwise).
    const names = list.map((e) => e.name);
    expect(names.indexOf('\uFFFD')).toBeLessThan(names.indexOf('\u{1F600}'));
    const sub = root.openAt('dir', { directory: true });
    expect(sub.readdir()).toEqual([]);
    sub.close();
  });

  it('a FIFO opens without blocking the host and reports its type', () => {
    execFileSync('mkfifo', [host('fifo')]);
    const r = root.openAt('fifo', { read: true });
    expect(r.fileType).toBe('fifo');
    expect(code(() => r.seek(0n, 'set'))).toBe('spipe');
    const w = root.openAt('fifo', { write: true });
    expect(w.write(enc('through the pipe'))).toBe(16);
    expect(w.fileType).toBe('fifo');
    expect(new TextDecoder().decode(readN(r, 64))).toBe('through the pipe');
    expect(code(() => readN(r, 64))).toBe('again');
    w.close();
    r.close();
    expect(root.statAt('fifo').type).toBe('fifo');
  });

  it('a host socket reports its type and cannot be opened', async () => {
    const server = net.createServer();
    // Socket paths are short: bind a relative name from inside the root.
    const cwd = process.cwd();
    process.chdir(f.root);
    try {
      await new Promise<void>((ok) => server.listen('sock', ok));
    } finally {
      process.chdir(cwd);
    }
    try {
      expect(root.statAt('sock').type).toBe('socket');
      expect(root.readdir().find((e) => e.name === 'sock')?.type).toBe('socket');
      expect(code(() => root.openAt('sock', { read: true }))).toBe('nxio');
    } finally {
      await new Promise((ok) => server.close(ok));
    }
  });

  it('host failures anywhere (also in checks) come back as codes, not Node exceptions', () => {
    const long = 'n'.repeat(300);
    expect(code(() => readAt(root, long))).toBe('nametoolong');
    expect(code(() => readAt(root, `${long}/x`))).toBe('nametoolong');
    expect(code(() => root.statAt(long))).toBe('nametoolong');
    expect(code(() => root.leafLink(long))).toBe('nametoolong');
    expect(code(() => root.openAt(long, { create: true, write: true }))).toBe('nametoolong');
    expect(code(() => root.mkdirAt(long))).toBe('nametoolong');
    // As root (CI) the permission checks run as nobody, who must be able to reach the tree.
    fs.chmodSync(f.base, 0o755);
    expect(asUnprivileged(() => code(() => readAt(root, 'dir/x')))).toBe('noent');
    const d = root.openAt('dir', { directory: true }) as DirHandle;
    fs.chmodSync(host('dir'), 0);
    try {
      asUnprivileged(() => {
        expect(code(() => readAt(root, 'dir/x'))).toBe('acces');
        expect(code(() => d.leafLink('x'))).toBe('acces');
        expect(code(() => d.statAt('x'))).toBe('acces');
        expect(code(() => d.readdir())).toBe('acces');
      });
    } finally {
      d.close();
      fs.chmodSync(host('dir'), 0o755);
    }
  });

  it('a closed handle is badf, never a reused fd', () => {
    const h = root.openAt('file', { read: true });
    h.close();
    const other = root.openAt('dir', { directory: true }) as DirHandle;
    expect(code(() => h.read(new Uint8Array(4)))).toBe('badf');
    expect(code(() => h.stat())).toBe('badf');
    other.close();
    expect(code(() => other.readdir())).toBe('badf');
    expect(code(() => other.openAt('x', { read: true }))).toBe('badf');
  });

  it('error details name the guest-side component only', () => {
    const details: string[] = [];
    const grab = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        details.push((e as WasiError).detail ?? '');
      }
    };
    grab(() => root.openAt('missing', { read: true }));
    grab(() => root.openAt('dir', { write: true }));
    grab(() => root.unlinkAt('missing'));
    grab(() => root.renameAt('missing', root, 'x'));
    grab(() => root.mkdirAt('dir'));
    grab(() => root.walk('file'));
    grab(() => readAt(root, 'dir/missing'));
    expect(details.length).toBe(7);
    for (const d of details) {
      expect(d).not.toContain(f.base);
      expect(d).not.toContain('/proc/');
    }
  });
});

describe('opening host paths (embedder input)', () => {
  let f: Fixture;
  beforeEach(() => {
    f = makeFixture((fx) => fs.writeFileSync(nodePath.join(fx.root, 'file'), 'one'));
  });
  afterEach(() => f.cleanup());

  it('bad host paths are one clear line', () => {
    const msg = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        expect(e).toBeInstanceOf(HostPathError);
        return (e as Error).message;
      }
      return 'ok';
    };
    expect(msg(() => openHostDir(nodePath.join(f.base, 'nope'), { readonly: false }))).toBe(`host directory "${nodePath.join(f.base, 'nope')}" does not exist`);
    expect(msg(() => openHostDir(nodePath.join(f.root, 'file'), { readonly: false }))).toMatch(/is not a directory$/);
    expect(msg(() => openHostFile(nodePath.join(f.base, 'nope'), { readonly: false }))).toMatch(/does not exist$/);
    expect(msg(() => openHostFile(f.root, { readonly: false }))).toMatch(/is a directory$/);
  });

  it.each<Confinement>(['proc', 'path'])('a single-file mount opens afresh and never follows a swapped-in link (%s)', (confinement) => {
    const m = openHostFile(nodePath.join(f.root, 'file'), { readonly: false, confinement });
    try {
      const a = m.open({ read: true });
      const b = m.open({ read: true });
      expect(readHandle(a)).toBe('one');
      expect(readHandle(b)).toBe('one'); // its own cursor
      a.close();
      b.close();
      const w = m.open({ write: true, truncate: true });
      w.write(enc('two'));
      w.close();
      expect(fs.readFileSync(nodePath.join(f.root, 'file'), 'utf8')).toBe('two');
      // A host program replacing the file by rename is seen by the next open.
      fs.writeFileSync(nodePath.join(f.root, 'file.new'), 'three');
      fs.renameSync(nodePath.join(f.root, 'file.new'), nodePath.join(f.root, 'file'));
      const c = m.open({ read: true });
      expect(readHandle(c)).toBe('three');
      c.close();
      expect(m.stat().size).toBe(5n);
      expect(code(() => m.open({ directory: true }))).toBe('notdir');
      // Replaced by a link to the sentinel: refused.
      fs.rmSync(nodePath.join(f.root, 'file'));
      fs.symlinkSync(nodePath.join(f.outside, 'secret.txt'), nodePath.join(f.root, 'file'));
      expect(code(() => m.open({ read: true }))).toBe('loop');
      expect(code(() => m.open({ write: true, truncate: true }))).toBe('loop');
      expect(fs.readFileSync(nodePath.join(f.outside, 'secret.txt'), 'utf8')).toContain('SECRET');
    } finally {
      m.destroy();
    }
  });
});
