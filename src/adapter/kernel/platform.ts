/**
 * What the virtual host needs from the JavaScript host it runs in. Platform-neutral code
 * takes one of these; `src/adapter/node/platform.ts` supplies the Node one (host directories,
 * snapshot building, fd-backed stdio). A browser platform supplies fewer.
 */
import type { VirtualizeOptions } from '../../policy/types.js';
import type { DirHandle } from '../../virtual-fs/handle.js';
import type { FileMount } from '../../virtual-fs/mount-table.js';
import type { ByteQuota } from '../../virtual-fs/quota.js';
import type { InputSource, OutputSink } from './stdio.js';

/** How to open a host path: read-only, and what its writes draw on (`limits.write-bytes`). */
export interface HostOpenOptions {
  readonly: boolean;
  quota?: ByteQuota;
}

export interface Platform {
  readonly name: string;
  /** A confined host directory (`runtime-dir`, `--preopen`). */
  openHostDir?(path: string, options: HostOpenOptions): DirHandle;
  /** A single host file (`runtime-file`). */
  openHostFile?(path: string, options: HostOpenOptions): FileMount;
  /** Snapshot a host file or directory now (`virtualize` without a prebuilt snapshot). */
  buildSnapshot?(options: VirtualizeOptions): Uint8Array;
  /**
   * Monotonic nanoseconds from an arbitrary origin, if the runtime reads them faster than
   * `performance.now()` (Node's process.hrtime.bigint: about half the cost per clock read). Called as a plain function.
   */
  hrtime?: () => bigint;
  /** The host's environment variables, for env allow/deny rules. */
  hostEnv?(): Record<string, string | undefined>;
  stdin?(): InputSource;
  stdout?(): OutputSink;
  stderr?(): OutputSink;
}

export const NEUTRAL_PLATFORM: Platform = { name: 'neutral' };
