/**
 * Every path_* function through real wasm (p1-shim.wat) against a real temp directory,
 * plus memory trees and nested mounts for the read-only and cross-device answers. The
 * expectations are the wasi-testsuite's (see /work/notes/wasi-testsuite-digest.md) where
 * it has one, POSIX's otherwise.
 */
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { E, FDF, FT, O, RDONLY, RDWR, RIGHTS, Shim } from './shim.js';
import { tempDir } from './fs-harness.js';

const R = RIGHTS;
let tmp: { path: string; cleanup: () => void };
beforeEach(() => { tmp = tempDir(); });
afterEach(() => tmp.cleanup());

function shim(opts: Parameters<typeof Shim.create>[0] = {}): Promise<Shim> {
  return Shim.create({ dirs: { '/work': tmp.path }, ...opts });
}
const at = (p: string): string => join(tmp.path, p);
const touch = (p: string, text = ''): void => writeFileSync(at(p), text);

describe('path_open', () => {
  it('creates, refuses an existing file with EXCL, and truncates with TRUNC', async () => {
    const s = await shim();
    const [rc, fd] = s.open('f', { oflags: O.CREAT, base: 0n, inheriting: 0n });
    expect(rc).toBe(0); // rights 0 still create: creation is the directory's right
    expect(fd).toBeGreaterThan(3);
    expect(existsSync(at('f'))).toBe(true);
    expect(s.open('f', { oflags: O.CREAT | O.EXCL })[0]).toBe(E.exist);
    touch('f', 'thirty-one bytes of old content');
    const [, t] = s.open('f', { oflags: O.CREAT | O.TRUNC, base: RDWR });
    expect(s.readText(t)).toBe('');
    expect(s.open('missing')[0]).toBe(E.noent);
  });

  it('masks the new fd rights with the directory inheriting rights and the object type', async () => {
    const s = await shim();
    mkdirSync(at('d'));
    touch('f');
    const [, d] = s.open('d', { oflags: O.DIRECTORY, base: R.FD_SEEK | R.PATH_OPEN | R.FD_READDIR, inheriting: R.FD_READ | R.FD_SEEK });
    const [, ds] = s.fdstat(d);
    expect(ds.filetype).toBe(FT.dir);
    expect(ds.base).toBe(R.PATH_OPEN | R.FD_READDIR); // no FD_SEEK on a directory (directory_seek)
    expect(s.seek(d, 0n, 1)[0]).toBe(E.isdir);
    // A file opened below it gets at most the directory's inheriting rights.
    const [, f] = s.open('../f', { dirfd: d });
    expect(f).toBe(-1); // `..` above the fd used is refused
    touch('d/f', 'x');
    const [rc, g] = s.open('f', { dirfd: d, base: RDWR });
    expect(rc).toBe(0);
    expect(s.fdstat(g)[1].base).toBe(R.FD_READ | R.FD_SEEK);
  });

  it('opens "." with the preopen rights, with none, and refuses write on a directory (path_open_preopen)', async () => {
    const s = await shim();
    const [, pre] = s.fdstat(3);
    expect(s.open('.', { base: pre.base, inheriting: pre.inheriting })[0]).toBe(0);
    expect(s.open('.', { base: 0n, inheriting: 0n })[0]).toBe(0);
    expect(s.open('.', { oflags: O.DIRECTORY, base: 0n, inheriting: 0n })[0]).toBe(0);
    expect(s.open('.', { oflags: O.DIRECTORY, base: R.FD_READ })[0]).toBe(0);
    expect(s.open('.', { oflags: O.DIRECTORY, base: R.FD_READ | R.FD_WRITE })[0]).toBe(E.isdir);
    expect(s.open('.', { fdflags: FDF.NONBLOCK, base: 0n })[0]).toBe(0);
  });

  it('needs the directory rights for open, create and truncate (truncation_rights)', async () => {
    const s = await shim();
    touch('f', 'content');
    const [, st] = s.fdstat(3);
    expect(s.call['fd_fdstat_set_rights']!(3, st.base, st.inheriting & ~R.FD_FILESTAT_SET_SIZE)).toBe(0);
    expect(s.open('f', { oflags: O.TRUNC, base: 0n })[0]).toBe(0); // governed by PATH_FILESTAT_SET_SIZE
    const inh = st.inheriting & ~R.FD_FILESTAT_SET_SIZE;
    expect(s.call['fd_fdstat_set_rights']!(3, st.base, st.inheriting)).toBe(E.notcapable); // no growing back
    expect(s.call['fd_fdstat_set_rights']!(3, st.base & ~R.PATH_FILESTAT_SET_SIZE, inh)).toBe(0);
    expect(s.fdstat(3)[1].base & R.PATH_FILESTAT_SET_SIZE).toBe(0n);
    expect(s.open('f', { oflags: O.TRUNC, base: 0n })[0]).toBe(E.notcapable);
    expect(s.call['fd_fdstat_set_rights']!(3, st.base & ~(R.PATH_FILESTAT_SET_SIZE | R.PATH_CREATE_FILE), inh)).toBe(0);
    expect(s.open('g', { oflags: O.CREAT })[0]).toBe(E.notcapable);
    expect(s.call['fd_fdstat_set_rights']!(3, 0n, 0n)).toBe(0);
    expect(s.open('f')[0]).toBe(E.notcapable);
  });

  it('refuses bad flags and a non-directory base fd', async () => {
    const s = await shim();
    const [, f] = s.open('f', { oflags: O.CREAT, base: 0n });
    expect(s.open('foo', { dirfd: f, oflags: O.CREAT })[0]).toBe(E.notdir); // path_open_dirfd_not_dir
    expect(s.open('foo', { dirfd: 1 })[0]).toBe(E.notdir);
    expect(s.open('foo', { dirfd: 99 })[0]).toBe(E.badf);
    expect(s.open('d', { oflags: O.DIRECTORY | O.CREAT })[0]).toBe(E.inval);
    expect(s.open('f', { oflags: 0x10 })[0]).toBe(E.inval);
    expect(s.open('f', { fdflags: 0x20 })[0]).toBe(E.inval);
    s.reset();
    const [p, n] = s.put('f');
    expect(s.call['path_open']!(3, 2, p, n, 0, 0n, 0n, 0, 64)).toBe(E.inval); // unknown lookupflags
  });

  it('folds and refuses paths as interesting_paths expects', async () => {
    const s = await shim({ dirs: { 'fs-tests.dir': tmp.path } });
    mkdirSync(at('dir/nested'), { recursive: true });
    touch('dir/nested/file', 'N');
    expect(s.open('/dir/nested/file')[0]).toBe(E.notcapable);
    const [rc, fd] = s.open('dir/.//nested/../../dir/nested/../nested///./file');
    expect(rc).toBe(0);
    expect(s.readText(fd)).toBe('N');
    expect(s.open('dir/nested/file\0')[0]).toBe(E.inval);
    expect(s.open('dir/nested/file/')[0]).toBe(E.notdir);
    expect(s.open('dir/nested/file///')[0]).toBe(E.notdir);
    expect(s.open('dir/nested/', { base: 0n })[0]).toBe(0);
    expect(s.open('dir/nested///', { base: 0n })[0]).toBe(0);
    const [, sub] = s.open('dir', { oflags: O.DIRECTORY });
    // Escaping the fd used is refused even when the path would land back inside the preopen.
    expect(s.open('nested/../../../fs-tests.dir/dir/nested/file', { dirfd: sub })[0]).toBe(E.notcapable);
    expect(s.open('../dir/nested/file', { dirfd: sub })[0]).toBe(E.notcapable);
    expect(s.open('')[0]).toBe(E.noent);
  });

  it('refuses O_CREAT on a name ending in a slash (isdir, as Linux)', async () => {
    const s = await shim();
    expect(s.open('new/', { oflags: O.CREAT })[0]).toBe(E.isdir);
    expect(existsSync(at('new'))).toBe(false);
  });

  it('follows symlinks only when asked, and not through O_CREAT|O_EXCL', async () => {
    const s = await shim();
    touch('file', 'F');
    mkdirSync(at('dir'));
    symlinkSync('file', at('to-file'));
    symlinkSync('dir', at('to-dir'));
    symlinkSync('to-self', at('to-self'));
    symlinkSync('made-by-create', at('dangling'));
    expect(s.readText(s.open('to-file')[1])).toBe('F');
    expect(s.open('to-file', { follow: false })[0]).toBe(E.loop);
    expect([E.loop, E.notdir]).toContain(s.open('to-dir', { follow: false, oflags: O.DIRECTORY })[0]);
    expect(s.open('to-dir', { oflags: O.DIRECTORY })[0]).toBe(0);
    expect(s.open('to-file', { oflags: O.DIRECTORY })[0]).toBe(E.notdir);
    expect(s.open('to-self')[0]).toBe(E.loop);
    expect(s.open('to-self', { follow: false })[0]).toBe(E.loop);
    expect(s.open('dangling', { oflags: O.CREAT | O.EXCL })[0]).toBe(E.exist);
    expect(s.open('dangling', { oflags: O.CREAT })[0]).toBe(0); // creates the target, as POSIX does
    expect(existsSync(at('made-by-create'))).toBe(true);
  });

  it('opens a read-only tree for reading and refuses every write path with rofs', async () => {
    const s = await Shim.create({ trees: { '/': { d: { dir: { f: { source: 'x' } } } } } });
    expect(s.readText(s.open('d/f')[1])).toBe('x');
    expect(s.open('d/f', { base: RDWR })[0]).toBe(E.rofs);
    expect(s.open('d/f', { oflags: O.TRUNC })[0]).toBe(E.rofs);
    expect(s.open('d/g', { oflags: O.CREAT })[0]).toBe(E.rofs);
    expect(s.path1('path_create_directory', 'd/e')).toBe(E.rofs);
    expect(s.path1('path_unlink_file', 'd/f')).toBe(E.rofs);
    expect(s.path1('path_remove_directory', 'd')).toBe(E.rofs);
    expect(s.symlink('f', 'd/l')).toBe(E.rofs);
    expect(s.rename('d/f', 'd/g')).toBe(E.rofs);
    expect(s.link('d/f', 'd/g')).toBe(E.rofs);
  });
});

describe('path_create_directory / path_remove_directory', () => {
  it('makes and removes directories with the POSIX errors', async () => {
    const s = await shim();
    expect(s.path1('path_create_directory', 'd')).toBe(0);
    expect(lstatSync(at('d')).isDirectory()).toBe(true);
    expect(s.path1('path_create_directory', 'd')).toBe(E.exist);
    expect(s.path1('path_create_directory', 'e/')).toBe(0);
    expect(s.path1('path_create_directory', 'missing/x')).toBe(E.noent);
    expect(s.path1('path_create_directory', '.')).toBe(E.exist);
    touch('f');
    expect(s.path1('path_create_directory', 'f/x')).toBe(E.notdir);
    expect(s.path1('path_create_directory', 'd/nested')).toBe(0);
    expect(s.path1('path_remove_directory', 'd')).toBe(E.notempty);
    expect(s.path1('path_remove_directory', 'd/nested')).toBe(0);
    expect(s.path1('path_remove_directory', 'd/')).toBe(0); // remove_directory_trailing_slashes
    expect(s.path1('path_remove_directory', 'f')).toBe(E.notdir);
    expect([E.notdir, E.noent]).toContain(s.path1('path_remove_directory', 'f/'));
    expect(s.path1('path_remove_directory', '.')).toBe(E.inval);
    expect(s.path1('path_remove_directory', 'gone')).toBe(E.noent);
    const [, st] = s.fdstat(3);
    expect(s.call['fd_fdstat_set_rights']!(3, st.base & ~R.PATH_CREATE_DIRECTORY, st.inheriting)).toBe(0);
    expect(s.path1('path_create_directory', 'x')).toBe(E.notcapable);
  });

  it('frees names at once (dangling_fd)', async () => {
    const s = await shim();
    const [, fd] = s.open('f', { oflags: O.CREAT, base: 0n });
    expect(s.close(fd)).toBe(0);
    expect(s.path1('path_unlink_file', 'f')).toBe(0);
    expect(s.open('f', { oflags: O.CREAT, base: 0n })[0]).toBe(0);
    expect(s.path1('path_create_directory', 'd')).toBe(0);
    const [, d] = s.open('d', { oflags: O.DIRECTORY });
    expect(s.close(d)).toBe(0);
    expect(s.path1('path_remove_directory', 'd')).toBe(0);
    expect(s.path1('path_create_directory', 'd')).toBe(0);
  });
});

describe('path_unlink_file', () => {
  it('unlinks files and symlinks, refuses directories and file/ (unlink_file_trailing_slashes)', async () => {
    const s = await shim();
    mkdirSync(at('dir'));
    touch('file');
    symlinkSync('file', at('link'));
    expect([E.isdir, E.perm, E.acces]).toContain(s.path1('path_unlink_file', 'dir'));
    expect([E.isdir, E.perm, E.acces]).toContain(s.path1('path_unlink_file', 'dir/'));
    expect([E.notdir, E.noent]).toContain(s.path1('path_unlink_file', 'file/'));
    expect(s.path1('path_unlink_file', 'link')).toBe(0); // the link, not its target
    expect(existsSync(at('file'))).toBe(true);
    expect(s.path1('path_unlink_file', 'file')).toBe(0);
    expect(s.path1('path_unlink_file', 'file')).toBe(E.noent);
    expect(s.path1('path_unlink_file', '.')).toBe(E.isdir);
  });
});

describe('path_rename', () => {
  it('renames files and directories with the errors path_rename expects', async () => {
    const s = await shim();
    touch('a', 'A');
    expect(s.rename('a', 'b')).toBe(0);
    expect(readFileSync(at('b'), 'utf8')).toBe('A');
    expect(s.open('a')[0]).toBe(E.noent);
    touch('c', 'C');
    expect(s.rename('b', 'c')).toBe(0); // replaces
    expect(readFileSync(at('c'), 'utf8')).toBe('A');
    mkdirSync(at('src'));
    mkdirSync(at('empty'));
    expect(s.rename('src', 'empty')).toBe(0); // onto an empty directory
    mkdirSync(at('full/x'), { recursive: true });
    expect(s.rename('empty', 'full')).toBe(E.notempty);
    expect(s.rename('empty', 'c')).toBe(E.notdir);
    expect(s.rename('c', 'full')).toBe(E.isdir);
    expect(s.rename('missing', 'x')).toBe(E.noent);
    expect(s.rename('.', 'x')).toBe(E.busy);
    expect(s.rename('c', '/abs')).toBe(E.notcapable);
  });

  it('treats trailing slashes as "directory" (path_rename_*_trailing_slashes)', async () => {
    const s = await shim();
    mkdirSync(at('source'));
    expect(s.rename('source/', 'target')).toBe(0);
    expect(s.rename('target', 'source/')).toBe(0);
    expect(s.rename('source/', 'target/')).toBe(0);
    expect(s.rename('target', 'source')).toBe(0);
    touch('file');
    expect(s.rename('file/', 'other')).toBe(E.notdir);
    expect(s.rename('file', 'other/')).toBe(E.notdir);
    expect(s.rename('file/', 'other/')).toBe(E.notdir);
    expect(existsSync(at('file'))).toBe(true);
  });

  it('renames between two fds of the same backend and refuses across backends (xdev) and mount points (busy)', async () => {
    const other = tempDir();
    try {
      const s = await Shim.create({ trees: { '/': { 'ro.txt': { source: 'r' } } }, dirs: { '/work': tmp.path, '/other': other.path } });
      // fd 3 = "/" (a memory tree with /work and /other mounted in it), 4 = /work, 5 = /other
      touch('a', 'A');
      mkdirSync(join(other.path, 'in'));
      const [, dst] = s.open('in', { dirfd: 5, oflags: O.DIRECTORY });
      const crossed = s.rename('a', 'moved', 4, dst);
      // Two host preopens on one device: a rename between them is an ordinary rename.
      expect(crossed).toBe(0);
      expect(existsSync(join(other.path, 'in', 'moved'))).toBe(true);
      expect(s.rename('ro.txt', 'x', 3, 4)).toBe(E.xdev);
      expect(s.link('ro.txt', 'x', { fromFd: 3, toFd: 4 })).toBe(E.xdev);
      expect(s.rename('work', 'elsewhere', 3, 3)).toBe(E.busy);
      expect(s.path1('path_remove_directory', 'work', 3)).toBe(E.busy);
      // The mount shows through the tree: /work/a reached from "/" is the host file.
      touch('seen', 'via the mount');
      expect(s.readText(s.open('work/seen', { dirfd: 3 })[1])).toBe('via the mount');
    } finally {
      other.cleanup();
    }
  });
});

describe('path_link', () => {
  it('links files (nlink 2, same inode) and refuses what path_link refuses', async () => {
    const s = await shim();
    touch('file', 'F');
    mkdirSync(at('subdir'));
    expect(s.link('file', 'link')).toBe(0);
    const [, a] = s.filestat(s.open('file')[1]);
    const [, b] = s.filestat(s.open('link')[1]);
    expect(b).toEqual(a);
    expect(a.nlink).toBe(2n);
    const [, sub] = s.open('subdir', { oflags: O.DIRECTORY });
    expect(s.link('file', 'link', { toFd: sub })).toBe(0);
    expect(lstatSync(at('subdir/link')).ino).toBe(lstatSync(at('file')).ino);
    expect(s.link('file', 'link')).toBe(E.exist);
    expect(s.link('file', 'file')).toBe(E.exist);
    expect(s.link('file', 'subdir')).toBe(E.exist);
    expect([E.perm, E.acces]).toContain(s.link('subdir', 'dirlink'));
    expect(s.link('file', 'newlink/')).toBe(E.noent);
    expect(s.link('file/', 'x')).toBe(E.notdir);
    expect(s.link('missing', 'x')).toBe(E.noent);
  });

  it('links a symlink itself without FOLLOW; with FOLLOW a dangling one is noent', async () => {
    const s = await shim();
    expect(s.symlink('target', 'symlink')).toBe(0);
    expect(s.link('symlink', 'link')).toBe(0);
    expect(readlinkSync(at('link'))).toBe('target');
    expect(s.link('symlink', 'link')).toBe(E.exist);
    expect([E.inval, E.noent]).toContain(s.link('symlink', 'link2', { follow: true }));
    expect(s.symlink('loop', 'loop')).toBe(0);
    expect(s.link('loop', 'loop-link')).toBe(0);
  });

  it('needs PATH_LINK_SOURCE on the source fd and PATH_LINK_TARGET on the target fd', async () => {
    const s = await shim();
    touch('file');
    const [, d] = s.open('.', { oflags: O.DIRECTORY, base: R.PATH_LINK_SOURCE | R.PATH_OPEN });
    expect(s.link('file', 'l1', { fromFd: d })).toBe(0);
    expect(s.link('file', 'l2', { toFd: d })).toBe(E.notcapable);
  });
});

describe('path_symlink / path_readlink', () => {
  it('stores the target as given and reads it back, truncating into a short buffer (readlink)', async () => {
    const s = await shim();
    touch('target');
    expect(s.symlink('target', 'symlink')).toBe(0);
    expect(readlinkSync(at('symlink'))).toBe('target');
    const [rc, text, raw] = s.readlink('symlink', 10);
    expect(rc).toBe(0);
    expect(text).toBe('target');
    expect([...raw.subarray(6, 10)]).toEqual([0xee, 0xee, 0xee, 0xee]); // the rest untouched, no NUL
    const [rc4, text4, raw4] = s.readlink('symlink', 4);
    expect(rc4).toBe(0);
    expect(text4).toBe('targ');
    expect(raw4[4]).toBe(0xee);
    expect(s.symlink('../../up/and/../away', 'rel')).toBe(0); // stored verbatim, resolved only when followed
    expect(s.readlink('rel')[1]).toBe('../../up/and/../away');
    expect(s.open('rel')[0]).toBe(E.notcapable);
    expect(s.readlink('target')[0]).toBe(E.inval);
    expect(s.readlink('missing')[0]).toBe(E.noent);
  });

  it('refuses absolute, empty and NUL targets, and existing or slash-ended names (symlink_create, path_symlink_trailing_slashes)', async () => {
    const s = await shim();
    expect(s.symlink('/', 'symlink')).not.toBe(0);
    expect(s.symlink('/etc/passwd', 'symlink')).toBe(E.notcapable);
    expect(s.symlink('', 'symlink')).toBe(E.noent);
    expect(s.symlink('a\0b', 'symlink')).toBe(E.inval);
    expect(existsSync(at('symlink'))).toBe(false);
    expect(s.symlink('source', 'target/')).toBe(E.noent);
    expect(s.symlink('source', 'target')).toBe(0);
    expect(s.path1('path_unlink_file', 'target')).toBe(0);
    mkdirSync(at('target'));
    expect([E.exist, E.noent]).toContain(s.symlink('source', 'target/'));
    expect(s.symlink('source', 'target')).toBe(E.exist);
    expect(s.path1('path_remove_directory', 'target')).toBe(0);
    touch('target');
    expect([E.notdir, E.noent, E.exist]).toContain(s.symlink('source', 'target/'));
    expect(s.symlink('source', 'target')).toBe(E.exist);
    expect(s.symlink('x', '.')).toBe(E.exist);
  });

  it('opens through a created symlink and unlinks it as a file (symlink_create)', async () => {
    const s = await shim();
    touch('target', 'T');
    mkdirSync(at('dir'));
    expect(s.symlink('target', 'symlink')).toBe(0);
    expect(s.readText(s.open('symlink')[1])).toBe('T');
    expect(s.path1('path_unlink_file', 'symlink')).toBe(0);
    expect(s.symlink('dir', 'symlink')).toBe(0);
    expect(s.open('symlink', { oflags: O.DIRECTORY })[0]).toBe(0);
    expect(s.path1('path_unlink_file', 'symlink')).toBe(0);
    expect(s.path1('path_remove_directory', 'dir')).toBe(0);
  });
});

describe('path_filestat_get / path_filestat_set_times', () => {
  it('stats with and without following (path_exists), and file/ is notdir', async () => {
    const s = await shim();
    mkdirSync(at('subdir'));
    touch('subdir/file', 'abc');
    symlinkSync('subdir/file', at('link1'));
    symlinkSync('subdir', at('link2'));
    expect(s.pathStat('subdir')[1].filetype).toBe(FT.dir);
    expect(s.pathStat('subdir', { follow: false })[1].filetype).toBe(FT.dir);
    expect(s.pathStat('subdir/file')[1]).toMatchObject({ filetype: FT.file, size: 3n });
    expect(s.pathStat('link1', { follow: false })[1]).toMatchObject({ filetype: FT.symlink, size: 11n });
    expect(s.pathStat('link1')[1].filetype).toBe(FT.file);
    expect(s.pathStat('link2', { follow: false })[1].filetype).toBe(FT.symlink);
    expect(s.pathStat('link2')[1].filetype).toBe(FT.dir);
    expect(s.pathStat('link2/', { follow: false })[1].filetype).toBe(FT.dir);
    expect(s.pathStat('subdir/file/')[0]).toBe(E.notdir);
    expect(s.pathStat('missing')[0]).toBe(E.noent);
    const [, byPath] = s.pathStat('subdir/file');
    const [, byFd] = s.filestat(s.open('subdir/file')[1]);
    expect(byPath).toEqual(byFd);
    expect(byPath.ino).toBe(BigInt(lstatSync(at('subdir/file'), { bigint: true }).ino));
  });

  it('sets times on the symlink itself without FOLLOW and on the target with it (symlink_filestat)', async () => {
    const s = await shim();
    touch('file');
    symlinkSync('file', at('symlink'));
    const [, file] = s.pathStat('file');
    const [, sym] = s.pathStat('symlink', { follow: false });
    s.reset();
    const [p, n] = s.put('symlink');
    const newMtim = sym.mtim - 200_000_000_000n;
    expect(s.call['path_filestat_set_times']!(3, 0, p, n, 0n, newMtim, 4)).toBe(0);
    const [, sym2] = s.pathStat('symlink', { follow: false });
    expect(sym2.mtim).toBe(newMtim);
    expect(s.pathStat('file')[1].mtim).toBe(file.mtim);
    const target = file.mtim - 5_000_000_123n;
    s.reset();
    const [p2, n2] = s.put('symlink');
    expect(s.call['path_filestat_set_times']!(3, 1, p2, n2, 0n, target, 4)).toBe(0);
    expect(s.pathStat('file')[1].mtim).toBe(target);
    s.reset();
    const [p3, n3] = s.put('file');
    expect(s.call['path_filestat_set_times']!(3, 0, p3, n3, 0n, 0n, 4 | 8)).toBe(E.inval);
    expect(s.call['path_filestat_set_times']!(3, 0, p3, n3, 0n, 0n, 1 | 2)).toBe(E.inval);
  });

  it('reports a pre-1970 host time as the two\'s complement u64, not a fault', async () => {
    const s = await shim();
    touch('old');
    execFileSync('touch', ['-h', '-d', '@-1000', at('old')]);
    const [rc, st] = s.pathStat('old');
    expect(rc).toBe(0);
    expect(st.mtim).toBe(BigInt.asUintN(64, -1000n * 1_000_000_000n));
  });

  it('round-trips nanoseconds and APPEND|SYNC as path_filestat expects', async () => {
    const s = await shim();
    const [rc, fd] = s.open('file', { oflags: O.CREAT, base: R.FD_READ | R.FD_WRITE | R.PATH_FILESTAT_GET, fdflags: FDF.APPEND | FDF.SYNC });
    expect(rc).toBe(0);
    expect(s.fdstat(fd)[1].flags).toBe(FDF.APPEND | FDF.SYNC);
    const [, st] = s.pathStat('file');
    expect(st.size).toBe(0n);
    s.reset();
    const [p, n] = s.put('file');
    const mtim = st.mtim - 100n;
    expect(s.call['path_filestat_set_times']!(3, 0, p, n, 0n, mtim, 4)).toBe(0);
    expect(s.pathStat('file')[1].mtim).toBe(mtim);
  });
});

describe('a trailing "/." demands a directory, as a trailing "/" does', () => {
  it('follows a symlink named before "/." and refuses one that leads out', async () => {
    const s = await shim();
    mkdirSync(at('dir'));
    touch('file');
    symlinkSync('..', at('escape'));
    symlinkSync('dir', at('to-dir'));
    expect(s.pathStat('escape/.', { follow: false })[0]).toBe(E.notcapable);
    expect(s.open('escape/.', { follow: false, oflags: O.DIRECTORY })[0]).toBe(E.notcapable);
    expect(s.path1('path_create_directory', 'escape/.')).toBe(E.notcapable);
    expect(s.pathStat('escape', { follow: false })[1].filetype).toBe(FT.symlink);
    expect(s.pathStat('to-dir/.', { follow: false })[1].filetype).toBe(FT.dir);
    expect(s.pathStat('file/.', { follow: false })[0]).toBe(E.notdir);
    expect(s.path1('path_unlink_file', 'file/.')).toBe(E.notdir);
    expect(existsSync(at('file'))).toBe(true);
  });
});

describe('read-only trees and rights on path calls', () => {
  it('answers lookups in a memory tree and checks each call\'s right', async () => {
    const s = await Shim.create({ trees: { '/t': { a: { source: 'A' }, l: { symlink: 'a' }, d: { dir: {} } } } });
    expect(s.pathStat('l')[1].filetype).toBe(FT.file);
    expect(s.readlink('l')[1]).toBe('a');
    const [, d] = s.open('.', { oflags: O.DIRECTORY, base: R.PATH_OPEN, inheriting: RDONLY });
    expect(s.pathStat('a', { dirfd: d })[0]).toBe(E.notcapable);
    expect(s.readlink('l', 16, d)[0]).toBe(E.notcapable);
    expect(s.open('a', { dirfd: d })[0]).toBe(0);
    expect(s.path1('path_unlink_file', 'a', d)).toBe(E.notcapable);
  });
});
