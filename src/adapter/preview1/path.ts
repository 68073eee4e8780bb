/**
 * The path_* functions. Every path goes through the one resolver and the path operations
 * shared with preview2 (virtual-fs/path-ops.ts: trailing slashes, `.` as the leaf, follow
 * rules). This file only adds what preview1 itself defines: rights, lookupflags, oflags
 * and fdflags.
 */
import { fail } from '../../virtual-fs/errors.js';
import { DirHandle, type OpenRequest } from '../../virtual-fs/handle.js';
import {
  linkPath, mkdirPath, openPath, readlinkPath, renamePath, rmdirPath, setTimesPath, statPath, symlinkPath, unlinkPath,
} from '../../virtual-fs/path-ops.js';
import { LOOKUP_SYMLINK_FOLLOW, OFLAGS, RIGHTS, writeFilestat } from './abi.js';
import { rightsError, syscall, typeRights, type Imports, type Preview1Context } from './context.js';
import { decodeFdflags, timeChanges } from './fd.js';
import type { FdEntry } from './fd-table.js';
import { GuestMemory } from './memory.js';

const R = RIGHTS;

/** The fd as a base directory: notdir before rights, so a file fd says what is wrong with it. */
function dirOf(ctx: Preview1Context, fd: number, rights: bigint): FdEntry & { handle: DirHandle } {
  if (!(ctx.fds.get(fd).handle instanceof DirHandle)) fail('notdir', `fd ${fd} is not a directory`);
  return ctx.need(fd, rights) as FdEntry & { handle: DirHandle };
}

function follows(flags: number): boolean {
  if ((flags & ~LOOKUP_SYMLINK_FOLLOW) !== 0) fail('inval', `unknown lookupflags 0x${flags.toString(16)}`);
  return (flags & LOOKUP_SYMLINK_FOLLOW) !== 0;
}

export default function pathImports(ctx: Preview1Context): Imports {
  const { mem, fds } = ctx;
  const path = (ptr: number, len: number): string => mem.string(ptr, len);

  return {
    path_create_directory: syscall(ctx, (fd: number, ptr: number, len: number) => {
      const d = dirOf(ctx, fd, R.PATH_CREATE_DIRECTORY);
      mkdirPath(d.handle, path(ptr, len));
    }),

    path_filestat_get: syscall(ctx, (fd: number, flags: number, ptr: number, len: number, out: number) => {
      const d = dirOf(ctx, fd, R.PATH_FILESTAT_GET);
      const follow = follows(flags);
      const p = path(ptr, len);
      mem.check(out, 1); // the full size is checked by writeFilestat before it writes
      const st = statPath(d.handle, p, follow);
      writeFilestat(mem, out, st, ctx.version);
    }),

    path_filestat_set_times: syscall(ctx, (fd: number, flags: number, ptr: number, len: number, atim: bigint, mtim: bigint, fst: number) => {
      const d = dirOf(ctx, fd, R.PATH_FILESTAT_SET_TIMES);
      const follow = follows(flags);
      const [a, m] = timeChanges(atim, mtim, fst);
      setTimesPath(d.handle, path(ptr, len), follow, a, m);
    }),

    path_link: syscall(ctx, (oldFd: number, oldFlags: number, oldPtr: number, oldLen: number, newFd: number, newPtr: number, newLen: number) => {
      const src = dirOf(ctx, oldFd, R.PATH_LINK_SOURCE);
      const dst = dirOf(ctx, newFd, R.PATH_LINK_TARGET);
      const follow = follows(oldFlags);
      const from = path(oldPtr, oldLen);
      const to = path(newPtr, newLen);
      linkPath(src.handle, from, follow, dst.handle, to);
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
      const follow = follows(dirflags);
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
      const dir = d.handle;
      const handle = ctx.kernel.limits.openFile(() => openPath(dir, p, follow, req));
      handle.setFlags(flags);
      const opened = fds.insert({ handle, rightsBase: base & typeRights(handle.fileType), rightsInheriting: inheriting });
      mem.setU32(openedPtr, opened);
    }),

    path_readlink: syscall(ctx, (fd: number, ptr: number, len: number, buf: number, bufLen: number, usedPtr: number) => {
      const d = dirOf(ctx, fd, R.PATH_READLINK);
      const p = path(ptr, len);
      mem.check(buf, bufLen);
      mem.check(usedPtr, 4);
      const target = GuestMemory.encode(readlinkPath(d.handle, p));
      // A short buffer gets the first bytes and success (the suite's readlink test); the
      // guest sees bufused == buf_len and may retry with more room.
      const n = Math.min(target.byteLength, bufLen >>> 0);
      mem.write(buf, target.subarray(0, n));
      mem.setU32(usedPtr, n);
    }),

    path_remove_directory: syscall(ctx, (fd: number, ptr: number, len: number) => {
      const d = dirOf(ctx, fd, R.PATH_REMOVE_DIRECTORY);
      rmdirPath(d.handle, path(ptr, len));
    }),

    path_rename: syscall(ctx, (fd: number, oldPtr: number, oldLen: number, newFd: number, newPtr: number, newLen: number) => {
      const src = dirOf(ctx, fd, R.PATH_RENAME_SOURCE);
      const dst = dirOf(ctx, newFd, R.PATH_RENAME_TARGET);
      const from = path(oldPtr, oldLen);
      const to = path(newPtr, newLen);
      renamePath(src.handle, from, dst.handle, to);
    }),

    path_symlink: syscall(ctx, (oldPtr: number, oldLen: number, fd: number, newPtr: number, newLen: number) => {
      const d = dirOf(ctx, fd, R.PATH_SYMLINK);
      symlinkPath(path(oldPtr, oldLen), d.handle, path(newPtr, newLen));
    }),

    path_unlink_file: syscall(ctx, (fd: number, ptr: number, len: number) => {
      const d = dirOf(ctx, fd, R.PATH_UNLINK_FILE);
      unlinkPath(d.handle, path(ptr, len));
    }),
  };
}
