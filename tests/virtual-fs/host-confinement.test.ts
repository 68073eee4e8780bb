/**
 * Confinement of host preopens, on a real temp dir with real host symlinks, through the
 * one resolver: nothing outside the root is ever read, written, created or removed. Every
 * case runs with `/proc/self/fd` confinement and with the path fallback.
 */
import fs from 'node:fs';
import nodePath from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DirHandle } from '../../src/virtual-fs/handle.js';
import { confinementHooks, type Confinement } from '../../src/virtual-fs/host/confine.js';
import { HostDir, openHostDir } from '../../src/virtual-fs/host/index.js';
import { MemoryTree } from '../../src/virtual-fs/memory-tree.js';
import { MAX_SYMLINK_HOPS, resolve } from '../../src/virtual-fs/resolver.js';
import { RoDir } from '../../src/virtual-fs/ro-tree.js';
import {
  code, makeFixture, outsideContents, readAt, readHandle, SECRET, snapshotTree, writeAt,
  type Fixture,
} from './host-fixture.js';

function layout(f: Fixture): void {
  const r = (p: string) => nodePath.join(f.root, p);
  fs.writeFileSync(r('a.txt'), 'A');
  fs.mkdirSync(r('sub/deeper'), { recursive: true });
  fs.writeFileSync(r('sub/b.txt'), 'B');
  fs.writeFileSync(r('sub/deeper/c.txt'), 'C');
  fs.writeFileSync(r('file.txt'), 'inside');
  // Links out, absolute and relative, to a file and to a directory.
  fs.symlinkSync(nodePath.join(f.outside, 'secret.txt'), r('abs-file'));
  fs.symlinkSync(nodePath.join(f.outside, 'dir'), r('abs-dir'));
  fs.symlinkSync('../outside/secret.txt', r('rel-file'));
  fs.symlinkSync('../outside/dir', r('rel-dir'));
  fs.symlinkSync('../../outside/dir', r('sub/rel-dir2'));
  // Chains: inside, and one that leaves on its last hop.
  fs.symlinkSync('chain2', r('chain1'));
  fs.symlinkSync('sub/chain3', r('chain2'));
  fs.symlinkSync('deeper/c.txt', r('sub/chain3'));
  fs.symlinkSync('out2', r('out1'));
  fs.symlinkSync('sub/out3', r('out2'));
  fs.symlinkSync('../../outside/secret.txt', r('sub/out3'));
  // Loops.
  fs.symlinkSync('loop2', r('loop1'));
  fs.symlinkSync('loop1', r('loop2'));
  fs.symlinkSync('self', r('self'));
  fs.symlinkSync('.', r('sub/here'));
  // Inside links that stay inside.
  fs.symlinkSync('sub', r('to-sub'));
  fs.symlinkSync('sub/../a.txt', r('up-and-back'));
}

describe.each<Confinement>(['proc', 'path'])('host confinement (%s)', (confinement) => {
  let f: Fixture;
  let root: HostDir;
  let before: string[];
  let contents: Record<string, string>;

  beforeEach(() => {
    f = makeFixture(layout);
    root = openHostDir(f.root, { readonly: false, confinement });
    root.pinned = true;
    before = snapshotTree(f);
    contents = outsideContents(f);
  });

  afterEach(() => {
    confinementHooks.beforeOpen = undefined;
    try {
      // The promise of every case: the outside tree is exactly as it was.
      expect(snapshotTree(f)).toEqual(before);
      expect(outsideContents(f)).toEqual(contents);
    } finally {
      root.destroy();
      f.cleanup();
    }
  });

  it('the sentinel check notices a read, so the checks below can fail', () => {
    fs.readFileSync(nodePath.join(f.outside, 'secret.txt'));
    expect(snapshotTree(f)).not.toEqual(before);
    fs.utimesSync(nodePath.join(f.outside, 'secret.txt'), new Date('2000-01-01T00:00:00Z'), new Date('2000-01-01T00:00:00Z'));
    expect(snapshotTree(f)).toEqual(before);
  });

  it('reads plain, nested and dotted paths and inside links', () => {
    expect(readAt(root, 'a.txt')).toBe('A');
    expect(readAt(root, 'sub/deeper/c.txt')).toBe('C');
    expect(readAt(root, './sub/./deeper/../b.txt')).toBe('B');
    expect(readAt(root, 'to-sub/deeper/c.txt', false)).toBe('C');
    expect(readAt(root, 'up-and-back')).toBe('A');
    expect(readAt(root, 'chain1')).toBe('C');
    expect(readAt(root, 'sub/here/here/here/b.txt')).toBe('B');
  });

  it('refuses absolute symlinks to a file or directory outside', () => {
    expect(code(() => readAt(root, 'abs-file'))).toBe('notcapable');
    expect(code(() => readAt(root, 'abs-dir/file.txt'))).toBe('notcapable');
    expect(code(() => writeAt(root, 'abs-file', 'x'))).toBe('notcapable');
    expect(code(() => writeAt(root, 'abs-dir/new.txt', 'x'))).toBe('notcapable');
    expect(code(() => writeAt(root, 'abs-dir/created.txt', 'x'))).toBe('notcapable');
    // Without follow, the link itself: opening it is loop, even to create or truncate.
    expect(code(() => readAt(root, 'abs-file', false))).toBe('loop');
    expect(code(() => writeAt(root, 'abs-file', 'x', false))).toBe('loop');
    expect(root.statAt('abs-file').type).toBe('symbolic-link');
    expect(root.readlinkAt('abs-file')).toBe(nodePath.join(f.outside, 'secret.txt'));
  });

  it('refuses relative symlinks that climb out, at any depth', () => {
    expect(code(() => readAt(root, 'rel-file'))).toBe('notcapable');
    expect(code(() => readAt(root, 'rel-dir/file.txt'))).toBe('notcapable');
    expect(code(() => readAt(root, 'sub/rel-dir2/file.txt'))).toBe('notcapable');
    expect(code(() => writeAt(root, 'rel-dir/created.txt', 'x'))).toBe('notcapable');
    expect(code(() => writeAt(root, 'sub/rel-dir2/new.txt', 'x'))).toBe('notcapable');
    expect(code(() => resolve(root, 'rel-dir/', { follow: false }, (d, n) => d.statAt(n)))).toBe('notcapable');
    expect(code(() => resolve(root, 'rel-dir/dir2', { follow: false }, (d, n) => d.mkdirAt(n)))).toBe('notcapable');
    expect(code(() => resolve(root, 'rel-dir/file.txt', { follow: false }, (d, n) => d.unlinkAt(n)))).toBe('notcapable');
  });

  it('refuses a chain whose last hop leaves, and stops loops', () => {
    expect(code(() => readAt(root, 'out1'))).toBe('notcapable');
    expect(code(() => readAt(root, 'loop1'))).toBe('loop');
    expect(code(() => readAt(root, 'self'))).toBe('loop');
    expect(code(() => readAt(root, 'loop1/x'))).toBe('loop');
    const deep = `sub/${'here/'.repeat(MAX_SYMLINK_HOPS + 1)}b.txt`;
    expect(code(() => readAt(root, deep))).toBe('loop');
  });

  it('refuses .. chains, absolute paths and NULs', () => {
    expect(code(() => readAt(root, '../outside/secret.txt'))).toBe('notcapable');
    expect(code(() => readAt(root, 'sub/../../outside/secret.txt'))).toBe('notcapable');
    expect(code(() => readAt(root, 'sub/deeper/../../../outside/secret.txt'))).toBe('notcapable');
    expect(code(() => readAt(root, nodePath.join(f.outside, 'secret.txt')))).toBe('notcapable');
    expect(code(() => writeAt(root, '../outside/created.txt', 'x'))).toBe('notcapable');
    expect(code(() => readAt(root, 'a.txt\0../../outside/secret.txt'))).toBe('inval');
    // A backend reached without the resolver still takes only one plain component.
    expect(code(() => root.openAt('../outside/secret.txt', { read: true }))).toBe('notcapable');
    expect(code(() => root.openAt('..', { read: true }))).toBe('notcapable');
    expect(code(() => root.walk('..'))).toBe('notcapable');
    expect(code(() => root.statAt('sub/../../outside'))).toBe('notcapable');
    expect(code(() => root.unlinkAt('a.txt\0'))).toBe('notcapable');
  });

  it('refuses to create a symlink with an absolute target, allows relative ones', () => {
    expect(code(() => root.symlinkAt('/', 'new-link'))).toBe('notcapable');
    expect(code(() => root.symlinkAt(nodePath.join(f.outside, 'secret.txt'), 'new-link'))).toBe('notcapable');
    expect(fs.existsSync(nodePath.join(f.root, 'new-link'))).toBe(false);
    // A relative one that climbs is stored but never followed out.
    root.symlinkAt('../outside/secret.txt', 'climb');
    expect(code(() => readAt(root, 'climb'))).toBe('notcapable');
    expect(code(() => writeAt(root, 'climb', 'x'))).toBe('notcapable');
  });

  it('a symlink swapped in between the check and the open makes the open fail', () => {
    // The resolver checks "not a symlink" with leafLink, then opens: swap in between.
    class Racy extends HostDir {
      override leafLink(name: string): string | undefined {
        const seen = super.leafLink(name);
        if (name === 'file.txt') {
          fs.renameSync(nodePath.join(f.root, 'file.txt'), nodePath.join(f.root, 'file.moved'));
          fs.symlinkSync(nodePath.join(f.outside, 'secret.txt'), nodePath.join(f.root, 'file.txt'));
        }
        return seen;
      }
    }
    const st = fs.statSync(f.root, { bigint: true });
    const racy = new Racy(fs.openSync(f.root, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY), { confinement, readonly: false }, f.root, { dev: st.dev, ino: st.ino });
    try {
      expect(code(() => readAt(racy, 'file.txt'))).toBe('loop');
      fs.unlinkSync(nodePath.join(f.root, 'file.txt'));
      fs.renameSync(nodePath.join(f.root, 'file.moved'), nodePath.join(f.root, 'file.txt'));
      expect(code(() => writeAt(racy, 'file.txt', 'overwrite'))).toBe('loop');
    } finally {
      racy.destroy();
    }
  });

  it('a symlink swapped in just before the open syscall is not followed (file and directory)', () => {
    const swap = (name: string, target: string): void => {
      confinementHooks.beforeOpen = (n) => {
        if (n !== name) return;
        confinementHooks.beforeOpen = undefined;
        const p = nodePath.join(f.root, name);
        fs.renameSync(p, `${p}.moved`);
        fs.symlinkSync(target, p);
      };
    };
    swap('file.txt', nodePath.join(f.outside, 'secret.txt'));
    expect(code(() => readAt(root, 'file.txt'))).toBe('loop');
    swap('a.txt', '../outside/secret.txt');
    expect(code(() => writeAt(root, 'a.txt', 'x'))).toBe('loop');
    // A directory on the way: the walk sees the link and the resolver refuses to leave.
    swap('sub', '../outside/dir');
    expect(code(() => readAt(root, 'sub/b.txt'))).toBe('notcapable');
    expect(readAt(root, 'sub.moved/b.txt')).toBe('B');
  });

  it('a directory handle survives its directory being renamed and replaced by a symlink out', () => {
    const sub = resolve(root, 'sub', { follow: false }, (d, n) => d.openAt(n, { directory: true })) as DirHandle;
    try {
      // The guest renames it and puts a (relative) link to the outside directory in its place.
      root.renameAt('sub', root, 'sub-old');
      root.symlinkAt('../outside/dir', 'sub');
      if (confinement === 'proc') {
        // The handle is the directory, wherever it went.
        expect(readAt(sub, 'b.txt')).toBe('B');
        writeAt(sub, 'new.txt', 'made through the old handle');
        expect(fs.readFileSync(nodePath.join(f.root, 'sub-old', 'new.txt'), 'utf8')).toBe('made through the old handle');
        expect(sub.readdir().map((e) => e.name)).toEqual(['b.txt', 'chain3', 'deeper', 'here', 'new.txt', 'out3', 'rel-dir2']);
        sub.unlinkAt('new.txt');
      } else {
        // The fallback tracks a path; it refuses to use a path that now names something else.
        expect(code(() => readAt(sub, 'b.txt'))).toBe('notcapable');
        expect(code(() => writeAt(sub, 'new.txt', 'x'))).toBe('notcapable');
        expect(code(() => sub.readdir())).toBe('notcapable');
        expect(code(() => sub.unlinkAt('file.txt'))).toBe('notcapable');
      }
      expect(code(() => sub.openAt('file.txt', { read: true }))).not.toBe('ok');
      expect(code(() => readAt(root, 'sub/file.txt'))).toBe('notcapable');
    } finally {
      sub.close();
    }
  });

  it('renames and links across two writable preopens, refuses read-only and other backends', () => {
    const other = openHostDir(f.root2, { readonly: false, confinement });
    const ro = openHostDir(f.root2, { readonly: true, confinement });
    const tree = new RoDir(MemoryTree.fromEntries({ t: { source: 'T' } }, 1n), 0);
    try {
      fs.symlinkSync('../outside/dir', nodePath.join(f.root2, 'out'));
      root.renameAt('a.txt', other, 'a.txt');
      expect(fs.readFileSync(nodePath.join(f.root2, 'a.txt'), 'utf8')).toBe('A');
      other.linkAt('a.txt', root, 'a-link');
      expect(fs.statSync(nodePath.join(f.root, 'a-link')).nlink).toBe(2);
      // Through a link out of the second root: the resolver refuses before any backend acts.
      expect(code(() => resolve(other, 'out/moved.txt', { follow: false }, (d, n) => root.renameAt('file.txt', d, n)))).toBe('notcapable');
      // Naming the link itself as the destination replaces the link, inside root2.
      root.renameAt('file.txt', other, 'out');
      expect(fs.lstatSync(nodePath.join(f.root2, 'out')).isFile()).toBe(true);
      // Linking a symlink that points out links the symlink, not the file it names.
      root.linkAt('abs-file', other, 'abs-link');
      expect(fs.readlinkSync(nodePath.join(f.root2, 'abs-link'))).toBe(nodePath.join(f.outside, 'secret.txt'));
      expect(code(() => readAt(other, 'abs-link'))).toBe('notcapable');
      // Into or out of a read-only preopen: refused, both ways.
      expect(code(() => root.renameAt('sub', ro, 'sub'))).toBe('rofs');
      expect(code(() => ro.renameAt('a.txt', root, 'a.txt'))).toBe('rofs');
      expect(code(() => root.linkAt('chain1', ro, 'x'))).toBe('rofs');
      expect(code(() => ro.linkAt('a.txt', root, 'x'))).toBe('rofs');
      // Another backend is another device.
      expect(code(() => root.renameAt('sub', tree, 'sub'))).toBe('xdev');
      expect(code(() => root.linkAt('chain1', tree, 'x'))).toBe('xdev');
      expect(code(() => tree.renameAt('t', root, 't'))).toBe('rofs');
      expect(root.sameDevice(other)).toBe(true);
      expect(root.sameDevice(tree)).toBe(false);
      expect(fs.existsSync(nodePath.join(f.root, 'sub'))).toBe(true);
      expect(fs.existsSync(nodePath.join(f.root2, 'sub'))).toBe(false);
    } finally {
      other.destroy();
      ro.destroy();
    }
  });

  it('a guest cannot place its files outside by renaming a directory it holds', () => {
    // Renaming the preopen's own "." or a name with a slash is refused or fails in place.
    expect(code(() => root.renameAt('.', root, 'x'))).not.toBe('ok');
    expect(code(() => root.renameAt('sub', root, '../escaped'))).toBe('notcapable');
    expect(code(() => root.linkAt('a.txt', root, '../escaped'))).toBe('notcapable');
    expect(fs.existsSync(nodePath.join(f.base, 'escaped'))).toBe(false);
  });
});

describe.each<Confinement>(['proc', 'path'])('an ancestor swapped between the check and the open (%s)', (confinement) => {
  it('is never followed (proc) or is detected after the open (path), and nothing outside is read', () => {
    const f = makeFixture(layout);
    const root = openHostDir(f.root, { readonly: false, confinement });
    const before = snapshotTree(f);
    const sub = resolve(root, 'sub', { follow: false }, (d, n) => d.openAt(n, { directory: true })) as DirHandle;
    try {
      // Before the open of sub/b.txt (after its lstat), sub becomes a link to the outside dir.
      confinementHooks.beforeOpen = (n) => {
        if (n !== 'b.txt') return;
        confinementHooks.beforeOpen = undefined;
        fs.renameSync(nodePath.join(f.root, 'sub'), nodePath.join(f.root, 'sub-old'));
        fs.symlinkSync('../outside/dir', nodePath.join(f.root, 'sub'));
      };
      let got = '';
      const result = code(() => { got = readHandle(sub.openAt('b.txt', { read: true })); });
      if (confinement === 'proc') {
        // The open goes through the fd of the directory, which is now sub-old.
        expect(result).toBe('ok');
        expect(got).toBe('B');
      } else {
        expect(result).toBe('notcapable');
        expect(got).toBe('');
      }
      expect(snapshotTree(f)).toEqual(before);
      expect(outsideContents(f)['dir/b.txt']).toBe(SECRET);
    } finally {
      confinementHooks.beforeOpen = undefined;
      sub.close();
      root.destroy();
      f.cleanup();
    }
  });
});
