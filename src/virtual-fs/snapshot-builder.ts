/**
 * The snapshot builder (Node only): globs a host directory (or takes one host file) into
 * a snapshot, reading each file straight into its place in the final buffer. What goes
 * in, what stays out and every limit are documented in docs/snapshot-format.md; every
 * refusal is a one-line SnapshotError naming the host path.
 */
import { constants as bufferConstants } from 'node:buffer';
import { createHash } from 'node:crypto';
import { closeSync, constants as fsConstants, openSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import type { VirtualizeOptions } from '../policy/types.js';
import { encodeSnapshot, type EncodeNode, type EncodedSnapshot } from './snapshot-encode.js';
import { SnapshotError } from './snapshot-format.js';
import { describeType, hostError } from './snapshot-host-errors.js';
import { progressReporter, type ProgressCallback } from './snapshot-progress.js';
import { explainExcludes, walkDirectory, type HostFile, type LeftOut } from './snapshot-walk.js';

export { SnapshotError } from './snapshot-format.js';
export { DEFAULT_EXCLUDE, type LeftOut } from './snapshot-walk.js';
export { progressReporter, type ProgressCallback, type ProgressOptions } from './snapshot-progress.js';

export interface SnapshotBuildOptions extends VirtualizeOptions {
  /** Default: `progressReporter()`, which prints to a TTY stderr only for builds over ~1 s. */
  onProgress?: ProgressCallback;
  /** Record modification times (ns). Off by default so a snapshot depends only on contents. */
  mtimes?: boolean;
  /** Refuse a snapshot larger than this many bytes; default (and ceiling) MAX_SNAPSHOT_BYTES. */
  maxBytes?: number;
  /** Also list what the exclude patterns left out, and by which (costs a walk per pattern). */
  explain?: boolean;
}

/** What a build gives: the encoded snapshot and its counts, and with `explain` what was left out. */
export type SnapshotBuild = EncodedSnapshot & { leftOut?: LeftOut[] };

/** Node's limit on one buffer, hence on one snapshot (4 GiB on Node 20 / 64-bit). */
export const MAX_SNAPSHOT_BYTES: number = bufferConstants.MAX_LENGTH;

/** readSync takes at most 2 GiB - 1 per call. */
const READ_CHUNK = 1 << 30;

/** SHA-256 with node:crypto, fed in pieces so bodies over 2 GiB hash too. */
export function sha256(body: Uint8Array): Uint8Array {
  const h = createHash('sha256');
  for (let at = 0; at < body.byteLength; at += READ_CHUNK) h.update(body.subarray(at, at + READ_CHUNK));
  return new Uint8Array(h.digest());
}

/** Build a snapshot of `options.path` (a directory, or one file). */
export function buildSnapshot(options: SnapshotBuildOptions): SnapshotBuild {
  if (!options || typeof options.path !== 'string' || options.path === '') {
    throw new SnapshotError('a mount needs a host path');
  }
  const outside = options['outside-symlinks'] ?? 'error';
  if (outside !== 'error' && outside !== 'skip') {
    throw new SnapshotError(`outside-symlinks must be "error" or "skip", not ${JSON.stringify(outside)}`);
  }
  const onProgress = options.onProgress ?? progressReporter({ label: `snapshot of ${options.path}` });
  const mtimes = options.mtimes === true;
  const root = resolvePath(options.path);

  let rootStat: Stats;
  try {
    rootStat = statSync(root); // a symlinked mount source is followed, as WASI-Virt does
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new SnapshotError(`mount source "${options.path}" does not exist`);
    throw hostError('read mount source', options.path, e);
  }

  let tree: EncodeNode;
  let totalContent = 0;
  let leftOut: LeftOut[] | undefined;
  if (rootStat.isFile()) {
    // The real path: reads refuse a symlink in the last component (O_NOFOLLOW).
    const host = realpathSync.native(root);
    tree = { kind: 'regular-file', size: rootStat.size, host, mtime: mtimes ? statSync(host, { bigint: true }).mtimeNs : undefined } as HostFile;
    totalContent = rootStat.size;
  } else if (rootStat.isDirectory()) {
    const walked = walkDirectory(root, options, outside, mtimes);
    tree = walked.tree;
    totalContent = walked.contentBytes;
    if (options.explain) leftOut = explainExcludes(root, options);
  } else {
    throw new SnapshotError(`mount source "${options.path}" is ${describeType(rootStat)}; a mount must be a directory or a file`);
  }
  const limit = Math.min(options.maxBytes ?? MAX_SNAPSHOT_BYTES, MAX_SNAPSHOT_BYTES);
  if (totalContent > limit) {
    const why = limit === MAX_SNAPSHOT_BYTES ? 'one snapshot can hold in this Node (buffer.constants.MAX_LENGTH)' : 'maxBytes allows';
    throw new SnapshotError(`mount source "${options.path}" holds ${totalContent} bytes of files, more than the ${limit} ${why}`);
  }

  let files = 0;
  let bytesRead = 0;
  let built;
  let readFailure: unknown;
  try {
    built = encodeSnapshot(tree, {
      sha256,
      mtimes,
      maxBytes: limit,
      read(file, into) {
        try {
          readInto((file as HostFile).host, into);
        } catch (e) {
          readFailure = e;
          throw e;
        }
        files++;
        bytesRead += into.byteLength;
        onProgress(files, bytesRead);
      },
    });
  } catch (e) {
    if (e instanceof SnapshotError && e !== readFailure) {
      throw new SnapshotError(`mount source "${options.path}": ${e.message}`);
    }
    throw e;
  } finally {
    onProgress(files, bytesRead, true);
  }
  return leftOut ? { ...built, leftOut } : built;
}

/** Read exactly `into.byteLength` bytes of host file `host` into `into`. */
function readInto(host: string, into: Uint8Array): void {
  let fd: number;
  try {
    // O_NOFOLLOW: a file swapped for a symlink since the walk is refused, not followed out.
    // O_NONBLOCK: a file swapped for a FIFO cannot hang the build.
    fd = openSync(host, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW | fsConstants.O_NONBLOCK);
  } catch (e) {
    throw hostError('read', host, e);
  }
  try {
    let at = 0;
    while (at < into.byteLength) {
      let n: number;
      try {
        n = readSync(fd, into, at, Math.min(into.byteLength - at, READ_CHUNK), at);
      } catch (e) {
        throw hostError('read', host, e);
      }
      if (n === 0) throw new SnapshotError(`cannot read "${host}": it shrank while the snapshot was built`);
      at += n;
    }
  } finally {
    closeSync(fd);
  }
}
