/**
 * How a host directory handle names its children to the kernel. Node has no `openat`, so
 * on Linux a child is reached through the directory's own descriptor: the magic link
 * `/proc/self/fd/<dirfd>` resolves to exactly the directory the fd holds (wherever it has
 * been moved since), and the one component after it is looked up inside that directory.
 * Where `/proc` is missing (or in tests) the "path" fallback tracks path strings and checks
 * identities around each use; it is racy against concurrent host-side changes (see
 * docs/confinement.md).
 */
import type { ByteQuota } from '../quota.js';
import fs from 'node:fs';
import { fail, fromHostError, WasiError } from '../errors.js';

export type Confinement = 'proc' | 'path';

export interface HostContext {
  readonly confinement: Confinement;
  /** Every write path under this preopen is refused with `rofs`. */
  readonly readonly: boolean;
  /** What writes into files under this preopen draw on (the policy's `limits.write-bytes`). */
  readonly quota?: ByteQuota | undefined;
}

export const PROC_FD = '/proc/self/fd/';

export const O = fs.constants;
/** Open flags every child open carries: never follow the last component; never block on a FIFO. */
export const OPEN_BASE = O.O_NOFOLLOW | O.O_NONBLOCK;
export const OPEN_DIR = O.O_RDONLY | O.O_DIRECTORY | O.O_NOFOLLOW;

let detected: Confinement | undefined;

/** `proc` when `/proc/self/fd/<fd>/.` reaches the directory an fd holds, else `path`. */
export function detectConfinement(): Confinement {
  if (detected !== undefined) return detected;
  detected = 'path';
  let fd = -1;
  try {
    fd = fs.openSync('/', OPEN_DIR);
    const a = fs.fstatSync(fd, { bigint: true });
    const b = fs.statSync(`${PROC_FD}${fd}/.`, { bigint: true });
    if (a.dev === b.dev && a.ino === b.ino) detected = 'proc';
  } catch {
    // No usable /proc: stay on the fallback.
  } finally {
    if (fd >= 0) fs.closeSync(fd);
  }
  return detected;
}

/**
 * Test hooks: run just before the open syscall of a walk or an open (after any check the
 * fallback makes), so tests can swap a symlink in at the worst moment deterministically.
 */
export const confinementHooks: { beforeOpen?: (name: string, confinement: Confinement) => void } = {};

/**
 * The resolver hands backends single components only; checking again here keeps the
 * guarantee for any caller that skips it (a face calling `openAt` directly).
 */
export function checkName(name: string): void {
  if (name === '' || name === '..' || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
    fail('notcapable', `"${name}" is not a single path component`);
  }
}

/**
 * A host failure as a WasiError whose detail names only the guest-side component (Node's
 * own message carries the host path, which must not reach a guest-visible trace).
 */
export function hostFail(err: unknown, op: string, name: string): never {
  if (err instanceof WasiError) throw err;
  const code = (err as { code?: unknown } | null)?.code;
  throw new WasiError(fromHostError(err).code, `${op} "${name}" failed${typeof code === 'string' ? ` (${code})` : ''}`);
}

/** fsync(2), or fdatasync(2) when only the data must reach the disk. */
export function syncFd(fd: number, dataOnly: boolean): void {
  if (dataOnly) fs.fdatasyncSync(fd);
  else fs.fsyncSync(fd);
}

/** Close an fd on an error path without masking the original error. */
export function closeQuietly(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    // Already gone; nothing more to release.
  }
}

/** A host object's identity (the path fallback checks paths against it). */
export interface Ident {
  dev: bigint;
  ino: bigint;
}

// Made once: these calls are the whole of a stat, and of readdir's d_ino per entry.
const NUMBER_STAT = { bigint: false, throwIfNoEntry: false } as const;
const BIGINT_STAT = { bigint: true, throwIfNoEntry: false } as const;

/** lstat that reports a missing entry as undefined and any other failure as a WasiError. */
export function lstat(p: string, name: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(p, NUMBER_STAT);
  } catch (e) {
    return hostFail(e, 'stat', name);
  }
}

export function lstatBig(p: string, name: string): fs.BigIntStats | undefined {
  try {
    return fs.lstatSync(p, BIGINT_STAT);
  } catch (e) {
    return hostFail(e, 'stat', name);
  }
}

/** readlink, or undefined when it stopped being a symlink (the caller re-checks). */
export function readlinkOrUndefined(p: string, name: string): string | undefined {
  try {
    return fs.readlinkSync(p);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code === 'EINVAL' || code === 'ENOENT') return undefined;
    return hostFail(e, 'readlink', name);
  }
}
