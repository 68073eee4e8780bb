/**
 * The platform a bundle runs on: Node's host directories, environment and fd stdio, and
 * deliberately no snapshot builder. A bundle carries every snapshot it needs; if one
 * were missing, reading the mount's source directory from whatever host runs the bundle
 * would quietly break the promise that the bundle is self-contained, so a missing
 * snapshot is an error instead (and the builder, with fast-glob, stays out of out/).
 */
import { openHostDir, openHostFile } from '../../virtual-fs/host/index.js';
import type { Platform } from '../kernel/platform.js';
import { FdSink, FdSource, StdioGroup } from '../node/stdio.js';

export function bundlePlatform(): Platform {
  // One group: stdout, stderr and stdin keep the order the guest used them in.
  const group = new StdioGroup();
  return {
    name: 'node',
    openHostDir: (path, opts) => openHostDir(path, opts),
    openHostFile: (path, opts) => openHostFile(path, opts),
    hostEnv: () => process.env,
    stdin: () => new FdSource(0, { group }),
    stdout: () => new FdSink(1, { group }),
    stderr: () => new FdSink(2, { group }),
  };
}
