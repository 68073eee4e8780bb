/**
 * The platform of every runtime that has `node:` modules (Node, Deno, Bun): host
 * directories and files (confined, src/virtual-fs/host), the process environment (filtered
 * by the policy's env rule before the guest sees any of it), fd-backed stdio and the
 * nanosecond timer. `wasi-virt run` and a composed bundle run on this same code; only the
 * snapshot builder is added on top for the CLI and the library (src/adapter/node/platform.ts),
 * because a bundle carries its snapshots and must never read a mount's source again.
 */
import { openHostDir, openHostFile } from '../../virtual-fs/host/index.js';
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

export function hostPlatform(options: NodePlatformOptions = {}): Platform {
  // One group per platform: its sinks and source keep the guest's output order.
  const group = new StdioGroup({ orderHostWrites: options.orderHostWrites ?? true });
  const sink = (fd: number) => new FdSink(fd, { group, coalesce: options.coalesce });
  return {
    name: 'node',
    openHostDir: (path, opts) => openHostDir(path, opts),
    openHostFile: (path, opts) => openHostFile(path, opts),
    hrtime: process.hrtime.bigint,
    hostEnv: () => process.env,
    stdin: () => new FdSource(options.stdin ?? 0, { group }),
    stdout: () => sink(options.stdout ?? 1),
    stderr: () => sink(options.stderr ?? 2),
  };
}
