import { describe, expect, it } from 'vitest';
import { codeOf as code } from '../helpers/codes.js';
import type { DirHandle } from '../../src/virtual-fs/handle.js';
import { MemoryTree } from '../../src/virtual-fs/memory-tree.js';
import { MountTable } from '../../src/virtual-fs/mount-table.js';
import { resolve } from '../../src/virtual-fs/resolver.js';
import { RoDir } from '../../src/virtual-fs/ro-tree.js';
import type { FsEntry } from '../../src/policy/types.js';

function tree(entries: Record<string, FsEntry>, dev = 1n): RoDir {
  return new RoDir(MemoryTree.fromEntries(entries, dev), 0);
}

function readAll(root: DirHandle, path: string, follow = true): string {
  return resolve(root, path, { follow }, (dir, name) => {
    const h = dir.openAt(name, { read: true });
    const buf = new Uint8Array(4096);
    const n = h.read(buf);
    h.close();
    return new TextDecoder().decode(buf.subarray(0, n));
  });
}


const root = tree({
  'a.txt': { source: 'A' },
  sub: { dir: { 'b.txt': { source: 'B' }, deeper: { dir: { 'c.txt': { source: 'C' } } } } },
  'to-b': { symlink: 'sub/b.txt' },
  'to-sub': { symlink: 'sub' },
  'up-and-back': { symlink: 'sub/../a.txt' },
  escape: { symlink: '../outside' },
  absolute: { symlink: '/etc/passwd' },
  loop1: { symlink: 'loop2' },
  loop2: { symlink: 'loop1' },
  dangling: { symlink: 'missing' },
});

describe('resolver over a memory tree', () => {
  it('reads plain, nested and dotted paths', () => {
    expect(readAll(root, 'a.txt')).toBe('A');
    expect(readAll(root, 'sub/deeper/c.txt')).toBe('C');
    expect(readAll(root, './sub/./deeper/../b.txt')).toBe('B');
    expect(readAll(root, 'sub//b.txt')).toBe('B');
  });

  it('follows symlinks in the middle and, when asked, at the end', () => {
    expect(readAll(root, 'to-sub/deeper/c.txt', false)).toBe('C');
    expect(readAll(root, 'to-b')).toBe('B');
    expect(readAll(root, 'up-and-back')).toBe('A');
    expect(code(() => readAll(root, 'to-b', false))).toBe('loop');
  });

  it('never leaves the starting directory', () => {
    expect(code(() => readAll(root, '../a.txt'))).toBe('notcapable');
    expect(code(() => readAll(root, 'sub/../../a.txt'))).toBe('notcapable');
    expect(code(() => readAll(root, 'escape'))).toBe('notcapable');
    expect(code(() => readAll(root, 'absolute'))).toBe('notcapable');
    expect(code(() => readAll(root, '/a.txt'))).toBe('notcapable');
  });

  it('refuses NULs, empty paths and symlink loops', () => {
    expect(code(() => readAll(root, 'a.txt\0x'))).toBe('inval');
    expect(code(() => readAll(root, ''))).toBe('noent');
    expect(code(() => readAll(root, 'loop1'))).toBe('loop');
    expect(code(() => readAll(root, 'dangling'))).toBe('noent');
  });

  it('treats a trailing slash as "must be a directory"', () => {
    const leaf = resolve(root, 'to-sub/', { follow: false }, (d, name, info) => ({ name, info, type: d.statAt(name).type }));
    expect(leaf).toEqual({ name: 'sub', info: { trailingSlash: true }, type: 'directory' });
  });

  it('refuses every write with rofs', () => {
    expect(code(() => resolve(root, 'a.txt', { follow: false }, (d, n) => d.openAt(n, { write: true })))).toBe('rofs');
    expect(code(() => resolve(root, 'new', { follow: false }, (d, n) => d.openAt(n, { create: true })))).toBe('rofs');
    expect(code(() => resolve(root, 'a.txt', { follow: false }, (d, n) => d.unlinkAt(n)))).toBe('rofs');
    expect(code(() => resolve(root, 'x', { follow: false }, (d, n) => d.mkdirAt(n)))).toBe('rofs');
  });
});

describe('mount table', () => {
  it('shows a nested mount inside its parent and lists it in sorted order', () => {
    const table = new MountTable();
    table.mount('/', tree({ usr: { dir: { share: { dir: {} } } }, 'z.txt': { source: 'Z' } }, 1n), { preopen: true });
    table.mount('/usr/lib', tree({ 'libc.so': { source: 'L' } }, 2n), { preopen: true });
    const [[name, slash]] = table.preopens();
    expect(name).toBe('/');
    expect(readAll(slash!, 'usr/lib/libc.so')).toBe('L');
    const usr = resolve(slash!, 'usr', { follow: false }, (d, n) => d.openAt(n, { read: true }));
    expect(usr.readdir().map((e) => e.name)).toEqual(['lib', 'share']);
    expect(code(() => resolve(slash!, 'usr/lib', { follow: false }, (d, n) => d.rmdirAt(n)))).toBe('busy');
    expect(readAll(slash!, 'usr/lib/../../z.txt')).toBe('Z');
  });

  it('makes intermediate directories for a mount under a path no backend has', () => {
    const table = new MountTable();
    table.mount('/', tree({}, 1n), { preopen: true });
    table.mount('/a/b/c', tree({ 'f.txt': { source: 'F' } }, 2n));
    const [[, slash]] = table.preopens();
    expect(readAll(slash!, 'a/b/c/f.txt')).toBe('F');
    expect(() => table.mount('/a/b/c', tree({}, 3n))).toThrow('two mounts for guest path "/a/b/c"');
  });
});

describe('renames onto a mount point', () => {
  it('are busy even when the source directory has no mounts below it', async () => {
    const { mkdtempSync, writeFileSync, existsSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { openHostDir } = await import('../../src/virtual-fs/host/index.js');
    const dir = mkdtempSync(join(tmpdir(), 'wv-busy-'));
    try {
      writeFileSync(join(dir, 'f.txt'), 'x');
      const table = new MountTable();
      table.mount('/', openHostDir(dir, { readonly: false }), { preopen: true });
      table.mount('/m', tree({}, 9n));
      const [[, slash]] = table.preopens();
      const plain = resolve(slash!, '.', { follow: false }, (d, n) => d.openAt(n, { read: true }));
      // `plain` is a fresh overlay too; take its backend so the source side is unwrapped.
      const { unwrapDir } = await import('../../src/virtual-fs/mount-table.js');
      expect(code(() => unwrapDir(plain as DirHandle).renameAt('f.txt', slash!, 'm'))).toBe('busy');
      expect(existsSync(join(dir, 'f.txt'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a trailing "/." ', () => {
  it('follows a final symlink as a directory, and refuses one that climbs out', () => {
    const r = tree({ sub: { dir: { 'b.txt': { source: 'B' } } }, 'to-sub': { symlink: 'sub' }, out: { symlink: '..' } });
    const stat = (p: string) => resolve(r, p, { follow: false }, (d, n) => d.statAt(n).type);
    expect(stat('to-sub')).toBe('symbolic-link');
    expect(stat('to-sub/.')).toBe('directory');
    expect(code(() => stat('out/.'))).toBe('notcapable');
    expect(code(() => stat('out/'))).toBe('notcapable');
  });
});
