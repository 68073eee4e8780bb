/**
 * The fd_* functions: translate each call to an operation on the handle behind the fd.
 * Order of checks in every call: the fd (badf), its rights (rightsError in context.ts),
 * the guest's pointers (fault), then the operation; a fault is found before anything
 * happens, so a bad pointer never follows a consumed read or a written file.
 */
import { fail, WasiError } from '../../virtual-fs/errors.js';
import type { FileType, Handle, HandleFlags, TimeChange } from '../../virtual-fs/handle.js';
import {
  ADVICE, FDFLAGS, FDSTAT_SIZE, FILETYPE, FSTFLAGS, PREOPENTYPE_DIR, RIGHTS, WHENCE, writeFilestat,
} from './abi.js';
import { syscall, type Imports, type Preview1Context } from './context.js';
import { readdirInto } from './readdir.js';
import { GuestMemory } from './memory.js';

const R = RIGHTS;
const U32_MAX = 0xffffffff;

/**
 * The file type preview1 reports. Stdio that is not a terminal reports `unknown`, as
 * wasmtime does: wasi-libc's and Rust's isatty() test for a character device without
 * seek rights, so a redirected stdout must not look like one.
 */
export function reportedType(h: Handle): number {
  if (h.fileType === 'character-device' && !h.isTerminal()) return FILETYPE.unknown;
  return FILETYPE[h.fileType];
}

export function encodeFdflags(f: HandleFlags): number {
  return (f.append ? FDFLAGS.APPEND : 0) | (f.dsync ? FDFLAGS.DSYNC : 0) | (f.nonblock ? FDFLAGS.NONBLOCK : 0)
    | (f.rsync ? FDFLAGS.RSYNC : 0) | (f.sync ? FDFLAGS.SYNC : 0);
}

export function decodeFdflags(flags: number): HandleFlags {
  if ((flags & ~0x1f) !== 0) fail('inval', `unknown fdflags 0x${flags.toString(16)}`);
  return {
    append: (flags & FDFLAGS.APPEND) !== 0, dsync: (flags & FDFLAGS.DSYNC) !== 0,
    nonblock: (flags & FDFLAGS.NONBLOCK) !== 0, rsync: (flags & FDFLAGS.RSYNC) !== 0, sync: (flags & FDFLAGS.SYNC) !== 0,
  };
}

/** fstflags to the two changes; both a time and NOW for one field is inval (checked before anything changes). */
export function timeChanges(atim: bigint, mtim: bigint, fst: number): [TimeChange, TimeChange] {
  if ((fst & ~0xf) !== 0) fail('inval', `unknown fstflags 0x${fst.toString(16)}`);
  if ((fst & FSTFLAGS.ATIM) && (fst & FSTFLAGS.ATIM_NOW)) fail('inval', 'ATIM and ATIM_NOW both set');
  if ((fst & FSTFLAGS.MTIM) && (fst & FSTFLAGS.MTIM_NOW)) fail('inval', 'MTIM and MTIM_NOW both set');
  const a: TimeChange = fst & FSTFLAGS.ATIM ? BigInt.asUintN(64, atim) : fst & FSTFLAGS.ATIM_NOW ? 'now' : undefined;
  const m: TimeChange = fst & FSTFLAGS.MTIM ? BigInt.asUintN(64, mtim) : fst & FSTFLAGS.MTIM_NOW ? 'now' : undefined;
  return [a, m];
}

/** Streams read from embedder code (a stdin source) that could grow guest memory mid-call. */
function isStream(type: FileType): boolean {
  return type === 'character-device' || type === 'fifo' || type === 'socket';
}

/**
 * Scatter/gather between a handle and the guest's iovecs. The iovec array and every
 * buffer are checked first; then buffers are transferred in order, each view fetched
 * just before use (an earlier transfer may have grown memory and detached the last
 * view), stopping at the first short transfer. A failure after some bytes moved returns
 * the count so far (readv/writev do the same); the next call sees the error.
 */
function transfer(mem: GuestMemory, h: Handle, iovs: number, count: number, offset: bigint | undefined, write: boolean): number {
  const base = mem.checkArray(iovs, count, 8);
  const n = count >>> 0;
  // One buffer (what a read or write loop passes): the same checks and outcome as the
  // loop below, without walking the array twice.
  if (n === 1) {
    const ptr = mem.u32(base);
    const len = mem.u32(base + 4);
    const dst = mem.bytes(ptr, len);
    if (len === 0) return 0;
    if (write) return h.write(dst, offset);
    if (!isStream(h.fileType)) return h.read(dst, offset);
  }
  let total = 0;
  for (let i = 0; i < n; i++) {
    const len = mem.u32(base + i * 8 + 4);
    mem.check(mem.u32(base + i * 8), len);
    total += len;
  }
  // The count comes back as a u32 (iovecs may overlap, so the sum can pass 4 GiB).
  if (total > U32_MAX) fail('inval', 'iovec lengths add up to more than 4 GiB');
  const stream = !write && isStream(h.fileType);
  let done = 0;
  let at = offset;
  for (let i = 0; i < n; i++) {
    const ptr = mem.u32(base + i * 8);
    const len = mem.u32(base + i * 8 + 4);
    if (len === 0) continue;
    let moved: number;
    try {
      if (write) {
        moved = h.write(mem.bytes(ptr, len), at);
      } else if (stream) {
        // A stream's source is embedder code: read into host memory, then copy in, so a
        // source that grows guest memory cannot leave the read aimed at a detached view.
        const scratch = new Uint8Array(len);
        moved = h.read(scratch, at);
        mem.write(ptr, scratch.subarray(0, moved));
      } else {
        moved = h.read(mem.bytes(ptr, len), at);
      }
    } catch (err) {
      if (done > 0 && err instanceof WasiError) break;
      throw err;
    }
    done += moved;
    if (at !== undefined) at += BigInt(moved);
    if (moved < len) break;
  }
  return done;
}

export default function fdImports(ctx: Preview1Context): Imports {
  const { mem, fds } = ctx;
  const whence = WHENCE[ctx.version];

  return {
    fd_advise: syscall(ctx, (fd: number, offset: bigint, len: bigint, advice: number) => {
      const e = ctx.need(fd, R.FD_ADVISE);
      const a = ADVICE[advice];
      if (a === undefined) fail('inval', `unknown advice ${advice}`);
      e.handle.advise(BigInt.asUintN(64, offset), BigInt.asUintN(64, len), a);
    }),

    fd_allocate: syscall(ctx, (fd: number, offset: bigint, len: bigint) => {
      const e = ctx.need(fd, R.FD_ALLOCATE);
      const o = BigInt.asUintN(64, offset), l = BigInt.asUintN(64, len);
      if (o + l > 0x7fffffffffffffffn) fail('fbig', 'allocation ends past the largest file offset');
      e.handle.allocate(o, l);
    }),

    fd_close: syscall(ctx, (fd: number) => {
      // Pinned handles (stdio, mount roots) stay open for the host: close() leaves them.
      const h = fds.remove(fd).handle;
      h.close();
      ctx.kernel.limits.closed(h);
    }),

    fd_datasync: syscall(ctx, (fd: number) => {
      ctx.need(fd, R.FD_DATASYNC).handle.sync(true);
    }),

    fd_fdstat_get: syscall(ctx, (fd: number, ptr: number) => {
      const e = fds.get(fd);
      mem.check(ptr, FDSTAT_SIZE);
      mem.setU8(ptr, reportedType(e.handle));
      mem.setU8(ptr + 1, 0);
      mem.setU16(ptr + 2, encodeFdflags(e.handle.flags));
      mem.setU32(ptr + 4, 0);
      mem.setU64(ptr + 8, e.rightsBase);
      mem.setU64(ptr + 16, e.rightsInheriting);
    }),

    fd_fdstat_set_flags: syscall(ctx, (fd: number, flags: number) => {
      const e = ctx.need(fd, R.FD_FDSTAT_SET_FLAGS);
      e.handle.setFlags(decodeFdflags(flags));
    }),

    fd_fdstat_set_rights: syscall(ctx, (fd: number, base: bigint, inheriting: bigint) => {
      const e = fds.get(fd);
      const b = BigInt.asUintN(64, base), i = BigInt.asUintN(64, inheriting);
      // Rights only ever shrink.
      if ((b & ~e.rightsBase) !== 0n || (i & ~e.rightsInheriting) !== 0n) {
        fail('notcapable', `fd ${fd}: fd_fdstat_set_rights can only drop rights`);
      }
      e.rightsBase = b;
      e.rightsInheriting = i;
    }),

    fd_filestat_get: syscall(ctx, (fd: number, ptr: number) => {
      const e = ctx.need(fd, R.FD_FILESTAT_GET);
      const st = e.handle.stat();
      writeFilestat(mem, ptr, st, ctx.version);
      // Stdio reports its type as fd_fdstat_get does (see reportedType).
      if (st.type === 'character-device') mem.setU8(ptr + 16, reportedType(e.handle));
    }),

    fd_filestat_set_size: syscall(ctx, (fd: number, size: bigint) => {
      const e = ctx.need(fd, R.FD_FILESTAT_SET_SIZE);
      const s = BigInt.asUintN(64, size);
      if (s > 0x7fffffffffffffffn) fail('fbig', 'size past the largest file offset');
      e.handle.setSize(s);
    }),

    fd_filestat_set_times: syscall(ctx, (fd: number, atim: bigint, mtim: bigint, fst: number) => {
      const e = fds.get(fd);
      const [a, m] = timeChanges(atim, mtim, fst);
      ctx.need(fd, R.FD_FILESTAT_SET_TIMES);
      e.handle.setTimes(a, m);
    }),

    fd_pread: syscall(ctx, (fd: number, iovs: number, count: number, offset: bigint, nreadPtr: number) => {
      const e = ctx.need(fd, R.FD_READ | R.FD_SEEK);
      mem.check(nreadPtr, 4);
      mem.setU32(nreadPtr, transfer(mem, e.handle, iovs, count, BigInt.asUintN(64, offset), false));
    }),

    fd_prestat_get: syscall(ctx, (fd: number, ptr: number) => {
      const e = fds.get(fd);
      if (e.preopen === undefined) fail('badf', `fd ${fd} is not a preopen`);
      mem.check(ptr, 8);
      mem.setU32(ptr, PREOPENTYPE_DIR); // the tag byte and its padding
      mem.setU32(ptr + 4, GuestMemory.encode(e.preopen).byteLength);
    }),

    fd_prestat_dir_name: syscall(ctx, (fd: number, ptr: number, len: number) => {
      const e = fds.get(fd);
      if (e.preopen === undefined) fail('badf', `fd ${fd} is not a preopen`);
      const name = GuestMemory.encode(e.preopen);
      // Too short a buffer is an error (wasmtime's nametoolong), never a silent cut.
      if (name.byteLength > len >>> 0) fail('nametoolong', `preopen name needs ${name.byteLength} bytes`);
      mem.write(ptr, name);
    }),

    fd_pwrite: syscall(ctx, (fd: number, iovs: number, count: number, offset: bigint, nwrittenPtr: number) => {
      const e = ctx.need(fd, R.FD_WRITE | R.FD_SEEK);
      mem.check(nwrittenPtr, 4);
      mem.setU32(nwrittenPtr, transfer(mem, e.handle, iovs, count, BigInt.asUintN(64, offset), true));
    }),

    fd_read: syscall(ctx, (fd: number, iovs: number, count: number, nreadPtr: number) => {
      const e = ctx.need(fd, R.FD_READ);
      mem.check(nreadPtr, 4);
      // O_NONBLOCK (set at open or with fd_fdstat_set_flags): a read that would block is EAGAIN.
      if (e.handle.flags.nonblock && !e.handle.readReady()) fail('again', `fd ${fd} has nothing to read yet`);
      mem.setU32(nreadPtr, transfer(mem, e.handle, iovs, count, undefined, false));
    }),

    fd_readdir: syscall(ctx, (fd: number, buf: number, len: number, cookie: bigint, bufusedPtr: number) => {
      const e = ctx.need(fd, R.FD_READDIR);
      mem.check(buf, len);
      mem.check(bufusedPtr, 4);
      mem.setU32(bufusedPtr, readdirInto(mem, e, buf, len >>> 0, BigInt.asUintN(64, cookie)));
    }),

    fd_renumber: syscall(ctx, (from: number, to: number) => {
      // Both must be open (preview1 never creates an fd here). The old handle at `to`
      // is closed unless pinned: renumbering onto 1 replaces the guest's fd 1 only.
      fds.renumber(from, to);
    }),

    fd_seek: syscall(ctx, (fd: number, offset: bigint, how: number, newPtr: number) => {
      const e = fds.get(fd);
      const w = whence[how];
      if (w === undefined) fail('inval', `unknown whence ${how}`);
      const delta = BigInt.asIntN(64, offset);
      // Asking where the cursor is needs only FD_TELL (uvwasi and wasmtime agree).
      ctx.need(fd, delta === 0n && w === 'cur' ? R.FD_TELL : R.FD_SEEK);
      mem.check(newPtr, 8);
      mem.setU64(newPtr, e.handle.seek(delta, w));
    }),

    fd_sync: syscall(ctx, (fd: number) => {
      ctx.need(fd, R.FD_SYNC).handle.sync(false);
    }),

    fd_tell: syscall(ctx, (fd: number, ptr: number) => {
      const e = ctx.need(fd, R.FD_TELL);
      mem.check(ptr, 8);
      mem.setU64(ptr, e.handle.seek(0n, 'cur'));
    }),

    fd_write: syscall(ctx, (fd: number, iovs: number, count: number, nwrittenPtr: number) => {
      const e = ctx.need(fd, R.FD_WRITE);
      mem.check(nwrittenPtr, 4);
      mem.setU32(nwrittenPtr, transfer(mem, e.handle, iovs, count, undefined, true));
    }),
  };
}
