/**
 * wasi_snapshot_preview1 constants and struct layouts (witx), plus the older
 * `wasi_unstable` (snapshot 0) where it differs: whence order, filestat (nlink u32, 56
 * bytes) and subscription (an extra clock identifier, 56 bytes).
 */
import type { FileType, Stat } from '../../virtual-fs/handle.js';
import type { GuestMemory } from './memory.js';

export type Version = 'preview1' | 'unstable';
export const MODULE_NAME: Record<Version, string> = { preview1: 'wasi_snapshot_preview1', unstable: 'wasi_unstable' };

/** The 46 functions of wasi_snapshot_preview1 (wasi_unstable has the same names). */
export const FUNCTIONS = [
  'args_get', 'args_sizes_get', 'environ_get', 'environ_sizes_get', 'clock_res_get', 'clock_time_get',
  'fd_advise', 'fd_allocate', 'fd_close', 'fd_datasync', 'fd_fdstat_get', 'fd_fdstat_set_flags',
  'fd_fdstat_set_rights', 'fd_filestat_get', 'fd_filestat_set_size', 'fd_filestat_set_times', 'fd_pread',
  'fd_prestat_get', 'fd_prestat_dir_name', 'fd_pwrite', 'fd_read', 'fd_readdir', 'fd_renumber', 'fd_seek',
  'fd_sync', 'fd_tell', 'fd_write', 'path_create_directory', 'path_filestat_get', 'path_filestat_set_times',
  'path_link', 'path_open', 'path_readlink', 'path_remove_directory', 'path_rename', 'path_symlink',
  'path_unlink_file', 'poll_oneoff', 'proc_exit', 'proc_raise', 'sched_yield', 'random_get',
  'sock_accept', 'sock_recv', 'sock_send', 'sock_shutdown',
] as const;

export const FILETYPE: Record<FileType, number> = {
  unknown: 0, 'block-device': 1, 'character-device': 2, directory: 3, 'regular-file': 4,
  // preview1 splits sockets into dgram (5) and stream (6); the kernel reports 'socket' for either.
  socket: 6, 'symbolic-link': 7, fifo: 0,
};

export const RIGHTS = {
  FD_DATASYNC: 1n << 0n, FD_READ: 1n << 1n, FD_SEEK: 1n << 2n, FD_FDSTAT_SET_FLAGS: 1n << 3n,
  FD_SYNC: 1n << 4n, FD_TELL: 1n << 5n, FD_WRITE: 1n << 6n, FD_ADVISE: 1n << 7n, FD_ALLOCATE: 1n << 8n,
  PATH_CREATE_DIRECTORY: 1n << 9n, PATH_CREATE_FILE: 1n << 10n, PATH_LINK_SOURCE: 1n << 11n,
  PATH_LINK_TARGET: 1n << 12n, PATH_OPEN: 1n << 13n, FD_READDIR: 1n << 14n, PATH_READLINK: 1n << 15n,
  PATH_RENAME_SOURCE: 1n << 16n, PATH_RENAME_TARGET: 1n << 17n, PATH_FILESTAT_GET: 1n << 18n,
  PATH_FILESTAT_SET_SIZE: 1n << 19n, PATH_FILESTAT_SET_TIMES: 1n << 20n, FD_FILESTAT_GET: 1n << 21n,
  FD_FILESTAT_SET_SIZE: 1n << 22n, FD_FILESTAT_SET_TIMES: 1n << 23n, PATH_SYMLINK: 1n << 24n,
  PATH_REMOVE_DIRECTORY: 1n << 25n, PATH_UNLINK_FILE: 1n << 26n, POLL_FD_READWRITE: 1n << 27n,
  SOCK_SHUTDOWN: 1n << 28n, SOCK_ACCEPT: 1n << 29n,
} as const;
export const ALL_RIGHTS = (1n << 30n) - 1n;

export const OFLAGS = { CREAT: 1, DIRECTORY: 2, EXCL: 4, TRUNC: 8 } as const;
export const FDFLAGS = { APPEND: 1, DSYNC: 2, NONBLOCK: 4, RSYNC: 8, SYNC: 16 } as const;
export const LOOKUP_SYMLINK_FOLLOW = 1;
export const FSTFLAGS = { ATIM: 1, ATIM_NOW: 2, MTIM: 4, MTIM_NOW: 8 } as const;
export const CLOCKID = { REALTIME: 0, MONOTONIC: 1, PROCESS_CPUTIME: 2, THREAD_CPUTIME: 3 } as const;
export const EVENTTYPE = { CLOCK: 0, FD_READ: 1, FD_WRITE: 2 } as const;
export const SUBCLOCKFLAGS_ABSTIME = 1;
export const ADVICE = ['normal', 'sequential', 'random', 'willneed', 'dontneed', 'noreuse'] as const;
export const PREOPENTYPE_DIR = 0;

/** Whence numbering: preview1 set/cur/end = 0/1/2; wasi_unstable cur/end/set = 0/1/2. */
export const WHENCE: Record<Version, readonly ('set' | 'cur' | 'end')[]> = {
  preview1: ['set', 'cur', 'end'],
  unstable: ['cur', 'end', 'set'],
};

/** Sizes of the structs that differ by version. */
export const FILESTAT_SIZE: Record<Version, number> = { preview1: 64, unstable: 56 };
export const SUBSCRIPTION_SIZE: Record<Version, number> = { preview1: 48, unstable: 56 };
export const EVENT_SIZE = 32;
export const FDSTAT_SIZE = 24;
export const DIRENT_HEADER_SIZE = 24;

/**
 * A filestat written straight into guest memory, every byte of it (the padding after the
 * type byte is zeroed, so no old guest bytes show through). The range is checked once,
 * before the first store, so a bad pointer writes nothing.
 */
export function writeFilestat(mem: GuestMemory, ptr: number, st: Stat, version: Version): void {
  const dv = mem.viewAt(ptr, FILESTAT_SIZE[version]);
  const p = ptr >>> 0;
  // setBigUint64 stores a value modulo 2^64: a pre-1970 time lands as its two's complement.
  dv.setBigUint64(p, st.dev, true);
  dv.setBigUint64(p + 8, st.ino, true);
  if (version === 'preview1') {
    dv.setUint32(p + 16, FILETYPE[st.type], true); // the type byte and three bytes of padding
    dv.setUint32(p + 20, 0, true);
    dv.setBigUint64(p + 24, st.nlink, true);
    dv.setBigUint64(p + 32, st.size, true);
    dv.setBigUint64(p + 40, st.atim, true);
    dv.setBigUint64(p + 48, st.mtim, true);
    dv.setBigUint64(p + 56, st.ctim, true);
  } else {
    dv.setUint32(p + 16, FILETYPE[st.type], true);
    dv.setUint32(p + 20, Number(st.nlink & 0xffffffffn), true);
    dv.setBigUint64(p + 24, st.size, true);
    dv.setBigUint64(p + 32, st.atim, true);
    dv.setBigUint64(p + 40, st.mtim, true);
    dv.setBigUint64(p + 48, st.ctim, true);
  }
}
