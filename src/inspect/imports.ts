/**
 * Which facets of the policy each WASI import touches: preview1 functions by name,
 * preview2 interfaces by their unversioned name. An import nothing here names is not one
 * wasi-virt provides (instantiation would fail unless the embedder supplies it).
 */
import { WASI_P3_VERSION } from '../adapter/preview3/version.js';
import type { Facet } from './effects.js';

export const PREVIEW1_MODULES = ['wasi_snapshot_preview1', 'wasi_unstable'] as const;

const FS: Facet[] = ['fs'];

/** preview1 (and wasi_unstable, same names): the facets each function can reach. */
export const PREVIEW1_FACETS: Record<string, Facet[]> = {
  args_get: ['args'], args_sizes_get: ['args'],
  environ_get: ['env'], environ_sizes_get: ['env'],
  clock_res_get: ['clocks'], clock_time_get: ['clocks'],
  // fds 0-2 are the stdio streams; data moves through read and write only.
  fd_read: ['stdin', 'fs'], fd_write: ['stdout', 'stderr', 'fs'],
  fd_advise: FS, fd_allocate: FS, fd_close: FS, fd_datasync: FS, fd_fdstat_get: FS, fd_fdstat_set_flags: FS,
  fd_fdstat_set_rights: FS, fd_filestat_get: FS, fd_filestat_set_size: FS, fd_filestat_set_times: FS,
  fd_pread: FS, fd_prestat_get: FS, fd_prestat_dir_name: FS, fd_pwrite: FS, fd_readdir: FS, fd_renumber: FS,
  fd_seek: FS, fd_sync: FS, fd_tell: FS,
  path_create_directory: FS, path_filestat_get: FS, path_filestat_set_times: FS, path_link: FS, path_open: FS,
  path_readlink: FS, path_remove_directory: FS, path_rename: FS, path_symlink: FS, path_unlink_file: FS,
  poll_oneoff: ['clocks', 'stdin'],
  proc_exit: ['exit'], proc_raise: ['signals'], sched_yield: ['sched'],
  random_get: ['random'],
  sock_accept: ['p1-sockets'], sock_recv: ['p1-sockets'], sock_send: ['p1-sockets'], sock_shutdown: ['p1-sockets'],
};

/** wasi:cli's interfaces, the same in 0.2 and 0.3. */
const CLI_FACETS: Record<string, Facet[]> = {
  'wasi:cli/environment': ['env', 'args'],
  'wasi:cli/exit': ['exit'],
  'wasi:cli/stdin': ['stdin'],
  'wasi:cli/stdout': ['stdout'],
  'wasi:cli/stderr': ['stderr'],
  'wasi:cli/terminal-input': ['terminal'],
  'wasi:cli/terminal-output': ['terminal'],
  'wasi:cli/terminal-stdin': ['stdin'],
  'wasi:cli/terminal-stdout': ['stdout'],
  'wasi:cli/terminal-stderr': ['stderr'],
};

/** WASI 0.2 interfaces wasi-virt serves (import keys of the preview2 face, unversioned). */
export const PREVIEW2_FACETS: Record<string, Facet[]> = {
  ...CLI_FACETS,
  'wasi:clocks/monotonic-clock': ['clocks'],
  'wasi:clocks/wall-clock': ['clocks'],
  'wasi:filesystem/types': ['fs'],
  'wasi:filesystem/preopens': ['fs'],
  'wasi:io/error': ['io'],
  'wasi:io/poll': ['io'],
  'wasi:io/streams': ['io'],
  'wasi:random/random': ['random'],
  'wasi:random/insecure': ['random'],
  'wasi:random/insecure-seed': ['random'],
  'wasi:sockets/network': ['sockets'],
  'wasi:sockets/instance-network': ['sockets'],
  'wasi:sockets/ip-name-lookup': ['sockets'],
  'wasi:sockets/tcp': ['sockets'],
  'wasi:sockets/tcp-create-socket': ['sockets'],
  'wasi:sockets/udp': ['sockets'],
  'wasi:sockets/udp-create-socket': ['sockets'],
  'wasi:http/types': ['http'],
  'wasi:http/outgoing-handler': ['http'],
};

/** WASI 0.3 interfaces the preview3 face serves (0.3 has no wasi:io; its `types` interfaces hold only types). */
export const PREVIEW3_FACETS: Record<string, Facet[]> = {
  ...CLI_FACETS,
  'wasi:cli/types': ['io'],
  'wasi:clocks/monotonic-clock': ['clocks'],
  'wasi:clocks/system-clock': ['clocks'],
  'wasi:clocks/types': ['clocks'],
  'wasi:filesystem/types': ['fs'],
  'wasi:filesystem/preopens': ['fs'],
  'wasi:random/random': ['random'],
  'wasi:random/insecure': ['random'],
  'wasi:random/insecure-seed': ['random'],
  'wasi:sockets/types': ['sockets'],
  'wasi:sockets/ip-name-lookup': ['sockets'],
  'wasi:http/types': ['http'],
  'wasi:http/client': ['http'],
};

/** The facets of a WASI interface at a version, or undefined when wasi-virt does not serve it. */
export function facetsOf(iface: string, version: string | undefined): Facet[] | undefined {
  return version === WASI_P3_VERSION ? PREVIEW3_FACETS[iface] : PREVIEW2_FACETS[iface];
}

/** WASI 0.2.x is served (later 0.2 revisions only add members), and the one 0.3 candidate; other versions are not. */
export function servedVersion(version: string | undefined): boolean {
  return version === undefined || version === WASI_P3_VERSION || /^0\.2\.\d+(?:[-+].*)?$/.test(version);
}

/** A WASI 0.3 import (its component needs JSPI to run). */
export function isPreview3Version(version: string | undefined): boolean {
  return version?.startsWith('0.3.') ?? false;
}
