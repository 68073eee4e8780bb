/**
 * Building every snapshot a policy's mounts need, once, for compose (which packs them
 * into the bundle's snapshot file) and inspect (which reports them).
 *
 * The bundle's snapshot file is the snapshots back to back, each starting on a 4 KiB
 * boundary: the format aligns large files to 4 KiB inside a snapshot (docs/
 * snapshot-format.md), so a page-aligned start keeps them page-aligned in the file.
 */
import { realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { readSnapshotHeader } from '../virtual-fs/snapshot.js';
import { buildSnapshot, type LeftOut } from '../virtual-fs/snapshot-builder.js';
import type { Policy, VirtualizeOptions } from '../policy/types.js';
import type { SnapshotEntry } from '../adapter/bundle/manifest.js';
import { virtualizeEntries } from '../adapter/bundle/mounts.js';
import type { MountSummary } from '../inspect/report.js';
import { UserFacingError } from '../util/user-facing.js';

export const SNAPSHOT_ALIGN = 4096;

/** A mount whose snapshot cannot be built: one line naming the mount. */
export class MountBuildError extends UserFacingError {
  override name = 'MountBuildError';
}

export interface BuiltMount {
  key: string;
  source: string;
  bytes: Uint8Array;
  summary: MountSummary;
}

export type SnapshotBuilder = (options: VirtualizeOptions) => Uint8Array;

const defaultBuilder: SnapshotBuilder = (options) => buildSnapshot(options).bytes;

export interface BuildMountsOptions {
  prebuilt?: Record<string, Uint8Array>;
  build?: SnapshotBuilder;
  /**
   * A host directory no snapshot may contain: compose's output. `--mount /=. -o out`
   * would otherwise embed the previous bundle in the next one, growing it each time.
   */
  leaveOut?: string;
  /** List what each mount's exclude patterns left out (inspect; a walk per pattern). */
  explain?: boolean;
}

/** The real path of `p`, or of its nearest existing ancestor joined with the rest. */
function realish(p: string): string {
  const abs = resolve(p);
  try {
    return realpathSync.native(abs);
  } catch {
    const parent = dirname(abs);
    return parent === abs ? abs : join(realish(parent), basename(abs));
  }
}

function globEscape(rel: string): string {
  return rel.split(sep).map((part) => part.replace(/[*?[\]{}()!@+\\]/g, '\\$&')).join('/');
}

/** `opts` with `leaveOut` excluded when it lies inside the mounted directory. */
function withoutOutput(opts: VirtualizeOptions, leaveOut: string | undefined): VirtualizeOptions {
  if (!leaveOut) return opts;
  const rel = relative(realish(opts.path), realish(leaveOut));
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return opts;
  return { ...opts, exclude: [...(opts.exclude ?? []), globEscape(rel)] };
}

/** Build (or take from `prebuilt`, by key) the snapshot of every mount of `policy`. */
export function buildMounts(policy: Policy, options: BuildMountsOptions = {}): BuiltMount[] {
  const build = options.build ?? defaultBuilder;
  return virtualizeEntries(policy).map(({ key, options: opts }) => {
    let bytes: Uint8Array;
    let leftOut: LeftOut[] | undefined;
    try {
      const prebuilt = options.prebuilt?.[key];
      if (prebuilt) bytes = prebuilt;
      else if (options.explain && !options.build) ({ bytes, leftOut } = buildSnapshot({ ...withoutOutput(opts, options.leaveOut), explain: true }));
      else bytes = build(withoutOutput(opts, options.leaveOut));
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      throw new MountBuildError(`mount "${key}": ${msg}`);
    }
    const h = readSnapshotHeader(bytes);
    return {
      key,
      source: opts.path,
      bytes,
      summary: {
        guest: key,
        source: opts.path,
        hash: h.hash,
        files: h.files,
        dirs: h.dirs,
        symlinks: h.symlinks,
        contentBytes: h.contentBytes,
        snapshotBytes: h.totalBytes,
        root: h.rootType,
        ...(leftOut?.length ? { leftOut } : {}),
      },
    };
  });
}

export interface PackedSnapshots {
  entries: SnapshotEntry[];
  /** The file's pieces in order (snapshots and the zero padding between them). */
  pieces: Uint8Array[];
  size: number;
}

export function packSnapshots(mounts: BuiltMount[]): PackedSnapshots {
  const entries: SnapshotEntry[] = [];
  const pieces: Uint8Array[] = [];
  let at = 0;
  for (const m of mounts) {
    const pad = (SNAPSHOT_ALIGN - (at % SNAPSHOT_ALIGN)) % SNAPSHOT_ALIGN;
    if (pad > 0) {
      pieces.push(new Uint8Array(pad));
      at += pad;
    }
    entries.push({ key: m.key, offset: at, length: m.bytes.byteLength, hash: m.summary.hash });
    pieces.push(m.bytes);
    at += m.bytes.byteLength;
  }
  return { entries, pieces, size: at };
}
