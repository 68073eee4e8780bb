/**
 * The Node platform: what the virtual host may take from a Node process. Host
 * directories and files (confined, src/virtual-fs/host), snapshots built from a local
 * directory at start-up, the process environment (filtered by the policy's env rule
 * before the guest sees any of it) and fd-backed stdio.
 */
import type { VirtualizeOptions } from '../../policy/types.js';
import { openHostDir, openHostFile } from '../../virtual-fs/host/index.js';
import { buildSnapshot } from '../../virtual-fs/snapshot-builder.js';
import type { Platform } from '../kernel/platform.js';
import { FdSink, FdSource, StdioGroup } from './stdio.js';

export interface NodePlatformOptions {
  /** Host fds behind the guest's stdio (node:wasi's stdin/stdout/stderr options). Default 0, 1, 2. */
  stdin?: number;
  stdout?: number;
  stderr?: number;
  /** Collect small writes before handing them to the OS (default: for non-terminals; see stdio.ts). */
  coalesce?: boolean;
  /**
   * Deliver buffered guest output before the host's own process.stdout / process.stderr
   * writes (default true). The CLI, which writes nothing while its guest runs, turns it
   * off so it never creates those streams (a stream on a pipe makes the pipe non-blocking).
   */
  orderHostWrites?: boolean;
}

export function nodePlatform(options: NodePlatformOptions = {}): Platform {
  // One group per platform: its sinks and source keep the guest's output order.
  const group = new StdioGroup({ orderHostWrites: options.orderHostWrites ?? true });
  const sink = (fd: number) => new FdSink(fd, { group, coalesce: options.coalesce });
  return {
    name: 'node',
    openHostDir: (path, opts) => openHostDir(path, opts),
    openHostFile: (path, opts) => openHostFile(path, opts),
    buildSnapshot: (opts: VirtualizeOptions) => buildSnapshot(opts).bytes,
    hrtime: process.hrtime.bigint,
    hostEnv: () => process.env,
    stdin: () => new FdSource(options.stdin ?? 0, { group }),
    stdout: () => sink(options.stdout ?? 1),
    stderr: () => sink(options.stderr ?? 2),
  };
}
