/**
 * The path_* functions. Every path goes through the one resolver (virtual-fs/resolver.ts),
 * which folds `.`/`..` inside the base fd, follows symlinks within its budget, refuses
 * absolute paths and NULs, and hands the final directory and child name to the operation
 * here. This file only adds what preview1 itself defines: rights, lookupflags, oflags,
 * and what a trailing slash demands of the object it names.
 */
import { fail, WasiError } from '../../virtual-fs/errors.js';
import { DirHandle, type OpenRequest } from '../../virtual-fs/handle.js';
import { resolve, type LeafInfo } from '../../virtual-fs/resolver.js';
import { LOOKUP_SYMLINK_FOLLOW, OFLAGS, RIGHTS, writeFilestat } from './abi.js';
import { rightsError, syscall, typeRights, type Imports, type Preview1Context } from './context.js';
import { decodeFdflags, timeChanges } from './fd.js';
import type { FdEntry } from './fd-table.js';
import { GuestMemory } from './memory.js';

const R = RIGHTS;

/** The fd as a base directory: notdir before rights, so a file fd says what is wrong with it. */
function dirOf(ctx: Preview1Context, fd: number, rights: bigint): FdEntry & { handle: DirHandle } {
  const e = ctx.fds.get(fd);
  if (!(e.handle instanceof DirHandle)) fail('notdir', `fd ${fd} is not a directory`);
  const missing = rights & ~e.rightsBase;
  if (missing !== 0n) fail(rightsError('directory', missing), `fd ${fd} lacks the rights for this call`);
  return e as FdEntry & { handle: DirHandle };
}

function follows(flags: number): boolean {
  if ((flags & ~LOOKUP_SYMLINK_FOLLOW) !== 0) fail('inval', `unknown lookupflags 0x${flags.toString(16)}`);
  return (flags & LOOKUP_SYMLINK_FOLLOW) !== 0;
}

/** `name/` must be a directory: anything else is notdir (a missing one stays noent). */
function requireDirForSlash(dir: DirHandle, name: string, leaf: LeafInfo): void {
  if (leaf.trailingSlash && dir.statAt(name).type !== 'directory') fail('notdir', `"${name}/" is not a directory`);
}

/** Does the leaf exist (without following it)? */
function exists(dir: DirHandle, name: string): boolean {
  try {
    dir.statAt(name);
    return true;
  } catch (err) {
    if (err instanceof WasiError) return false;
    throw err;
  }
}

/** Where a new entry goes: never `.` (the base itself), and `name/` only names an existing directory. */
function newLeaf(dir: DirHandle, name: string, leaf: LeafInfo): void {
  if (name === '.') fail('exist', 'the path names an existing directory');
  if (leaf.trailingSlash) {
    if (exists(dir, name)) fail('exist', `"${name}" exists`);
    fail('noent', `"${name}/": a new entry cannot end in a slash`);
  }
}

export default function pathImports(ctx: Preview1Context): Imports {
  const { mem, fds } = ctx;
  const path = (ptr: number, len: number): string => mem.string(ptr, len);

  return {
    path_create_directory: syscall(ctx, (fd: number, ptr: number, len: number) => {
      const d = dirOf(ctx, fd, R.PATH_CREATE_DIRECTORY);
      // `a/` is the usual way to write a directory's name: mkdir accepts the slash.
      resolve(d.handle, path(ptr, len), { follow: false }, (dir, name) => {
        if (name === '.') fail('exist', 'the path names an existing directory');
        dir.mkdirAt(name);
      });
    }),

    path_filestat_get: syscall(ctx, (fd: number, flags: number, ptr: number, len: number, out: number) => {
      const d = dirOf(ctx, fd, R.PATH_FILESTAT_GET);
      const follow = follows(flags);
      const p = path(ptr, len);
      mem.check(out, 1); // the full size is checked by writeFilestat before it writes
      const st = resolve(d.handle, p, { follow }, (dir, name, leaf) => {
        const s = dir.statAt(name);
        if (leaf.trailingSlash && s.type !== 'directory') fail('notdir', `"${name}/" is not a directory`);
        return s;
      });
      writeFilestat(mem, out, st, ctx.version);
    }),

    path_filestat_set_times: syscall(ctx, (fd: number, flags: number, ptr: number, len: number, atim: bigint, mtim: bigint, fst: number) => {
      const d = dirOf(ctx, fd, R.PATH_FILESTAT_SET_TIMES);
      const follow = follows(flags);
      const [a, m] = timeChanges(atim, mtim, fst);
      resolve(d.handle, path(ptr, len), { follow }, (dir, name, leaf) => {
        requireDirForSlash(dir, name, leaf);
        dir.setTimesAt(name, a, m);
      });
    }),

    path_link: syscall(ctx, (oldFd: number, oldFlags: number, oldPtr: number, oldLen: number, newFd: number, newPtr: number, newLen: number) => {
      const src = dirOf(ctx, oldFd, R.PATH_LINK_SOURCE);
      const dst = dirOf(ctx, newFd, R.PATH_LINK_TARGET);
      const follow = follows(oldFlags);
      const from = path(oldPtr, oldLen);
      const to = path(newPtr, newLen);
      resolve(src.handle, from, { follow }, (sdir, sname, sleaf) => {
        if (sname === '.') fail('perm', 'cannot hard-link a directory');
        requireDirForSlash(sdir, sname, sleaf);
        resolve(dst.handle, to, { follow: false }, (ddir, dname, dleaf) => {
          newLeaf(ddir, dname, dleaf);
          if (!sdir.sameDevice(ddir)) fail('xdev', 'a hard link cannot cross file systems');
          sdir.linkAt(sname, ddir, dname);
        });
      });
    }),

    path_open: syscall(ctx, (fd: number, dirflags: number, ptr: number, len: number, oflags: number,
      rightsBase: bigint, rightsInheriting: bigint, fdflags: number, openedPtr: number) => {
      const d = fds.get(fd);
      if (!(d.handle instanceof DirHandle)) fail('notdir', `fd ${fd} is not a directory`);
      if ((oflags & ~0xf) !== 0) fail('inval', `unknown oflags 0x${oflags.toString(16)}`);
      const create = (oflags & OFLAGS.CREAT) !== 0;
      const exclusive = (oflags & OFLAGS.EXCL) !== 0;
      const truncate = (oflags & OFLAGS.TRUNC) !== 0;
      const directory = (oflags & OFLAGS.DIRECTORY) !== 0;
      // Creation and truncation are the base directory's rights, not the new fd's.
      const needed = R.PATH_OPEN | (create ? R.PATH_CREATE_FILE : 0n) | (truncate ? R.PATH_FILESTAT_SET_SIZE : 0n);
      const missing = needed & ~d.rightsBase;
      if (missing !== 0n) fail(rightsError('directory', missing), `fd ${fd} lacks the rights for this open`);
      if (directory && (create || exclusive || truncate)) fail('inval', 'O_DIRECTORY with O_CREAT, O_EXCL or O_TRUNC');
      const flags = decodeFdflags(fdflags);
      // O_CREAT|O_EXCL never follows the last component: an existing symlink is "exists".
      const follow = follows(dirflags) && !(create && exclusive);
      const p = path(ptr, len);
      mem.check(openedPtr, 4);

      // Rights the guest did not hold are masked, not refused (wasi-libc asks for "all
      // but"), and the access mode is what the rights ask for, as in wasmtime.
      const base = BigInt.asUintN(64, rightsBase) & d.rightsInheriting;
      const inheriting = BigInt.asUintN(64, rightsInheriting) & d.rightsInheriting;
      const write = (base & R.FD_WRITE) !== 0n;
      const req: OpenRequest = {
        create, exclusive, truncate, directory,
        read: (base & (R.FD_READ | R.FD_READDIR)) !== 0n,
        write,
        append: write && flags.append,
      };
      const handle = resolve(d.handle, p, { follow }, (dir, name, leaf) => {
        if (leaf.trailingSlash) {
          // Linux: O_CREAT on `name/` is EISDIR whether or not it exists.
          if (create) fail('isdir', `"${name}/" cannot be created as a file`);
          return dir.openAt(name, { ...req, directory: true });
        }
        return dir.openAt(name, req);
      });
      if (directory && handle.fileType !== 'directory') {
        handle.close();
        fail('notdir', `"${p}" is not a directory`);
      }
      handle.setFlags(flags);
      const opened = fds.insert({ handle, rightsBase: base & typeRights(handle.fileType), rightsInheriting: inheriting });
      mem.setU32(openedPtr, opened);
    }),

    path_readlink: syscall(ctx, (fd: number, ptr: number, len: number, buf: number, bufLen: number, usedPtr: number) => {
      const d = dirOf(ctx, fd, R.PATH_READLINK);
      const p = path(ptr, len);
      mem.check(buf, bufLen);
      mem.check(usedPtr, 4);
      const target = GuestMemory.encode(resolve(d.handle, p, { follow: false }, (dir, name) => dir.readlinkAt(name)));
      // A short buffer gets the first bytes and success (the suite's readlink test); the
      // guest sees bufused == buf_len and may retry with more room.
      const n = Math.min(target.byteLength, bufLen >>> 0);
      mem.write(buf, target.subarray(0, n));
      mem.setU32(usedPtr, n);
    }),

    path_remove_directory: syscall(ctx, (fd: number, ptr: number, len: number) => {
      const d = dirOf(ctx, fd, R.PATH_REMOVE_DIRECTORY);
      resolve(d.handle, path(ptr, len), { follow: false }, (dir, name) => {
        if (name === '.') fail('inval', 'cannot remove the base directory through "."');
        dir.rmdirAt(name);
      });
    }),

    path_rename: syscall(ctx, (fd: number, oldPtr: number, oldLen: number, newFd: number, newPtr: number, newLen: number) => {
      const src = dirOf(ctx, fd, R.PATH_RENAME_SOURCE);
      const dst = dirOf(ctx, newFd, R.PATH_RENAME_TARGET);
      const from = path(oldPtr, oldLen);
      const to = path(newPtr, newLen);
      resolve(src.handle, from, { follow: false }, (sdir, sname, sleaf) => {
        if (sname === '.') fail('busy', 'cannot rename the base directory');
        resolve(dst.handle, to, { follow: false }, (ddir, dname, dleaf) => {
          if (dname === '.') fail('busy', 'cannot rename over the base directory');
          // A slash on either side says "directory": a file there is notdir.
          if (sleaf.trailingSlash || dleaf.trailingSlash) requireDirForSlash(sdir, sname, { trailingSlash: true });
          if (!sdir.sameDevice(ddir)) fail('xdev', 'a rename cannot cross file systems');
          sdir.renameAt(sname, ddir, dname);
        });
      });
    }),

    path_symlink: syscall(ctx, (oldPtr: number, oldLen: number, fd: number, newPtr: number, newLen: number) => {
      const d = dirOf(ctx, fd, R.PATH_SYMLINK);
      const target = path(oldPtr, oldLen);
      const p = path(newPtr, newLen);
      // The target is stored as given, but one the resolver would refuse to follow is
      // refused now: an absolute target would name a host path (the suite's
      // symlink_create insists), a NUL cannot be stored, an empty target names nothing.
      if (target.length === 0) fail('noent', 'empty symlink target');
      if (target.includes('\0')) fail('inval', 'symlink target contains a NUL byte');
      if (target.charCodeAt(0) === 47) fail('notcapable', `absolute symlink target "${target}" is outside the preopen`);
      resolve(d.handle, p, { follow: false }, (dir, name, leaf) => {
        newLeaf(dir, name, leaf);
        dir.symlinkAt(target, name);
      });
    }),

    path_unlink_file: syscall(ctx, (fd: number, ptr: number, len: number) => {
      const d = dirOf(ctx, fd, R.PATH_UNLINK_FILE);
      resolve(d.handle, path(ptr, len), { follow: false }, (dir, name, leaf) => {
        if (name === '.') fail('isdir', 'the path names a directory');
        // `file/` is notdir; `dir/` goes on to the backend, which refuses a directory.
        requireDirForSlash(dir, name, leaf);
        dir.unlinkAt(name);
      });
    }),
  };
}
