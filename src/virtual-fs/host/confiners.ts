/**
 * The two ways a host directory handle reaches its children, as strategy objects: a
 * HostDir picks one when it is made (from its HostContext) and calls it without asking
 * which it holds, so the hot paths carry no per-call mode checks.
 *
 *   proc  every child is `/proc/self/fd/<dirfd>/<name>`: the kernel resolves the magic
 *         link to exactly the directory the fd holds, wherever it has moved since.
 *   path  the fallback where /proc is missing: the handle keeps its host path and
 *         identity, checks before each use that the path still names this directory,
 *         and checks each opened fd against an lstat taken just before the open. Racy
 *         against a concurrent host process swapping an ancestor (docs/confinement.md).
 *
 * Neither follows a symlink in the component it is given: opens carry O_NOFOLLOW, walks
 * O_DIRECTORY|O_NOFOLLOW, and a symlink met by a walk is handed back to the resolver.
 */
import fs from 'node:fs';
import { fail } from '../errors.js';
import {
  closeQuietly, confinementHooks, hostFail, lstat, lstatBig, OPEN_DIR, PROC_FD, readlinkOrUndefined,
  type Confinement, type Ident,
} from './confine.js';
import type { TimesTarget } from './times.js';

/** How often a walk retries when the entry changes between the failed open and the lstat. */
const WALK_RETRIES = 3;

/** What a strategy reads of a directory handle: its live fd and, in the fallback, its path and identity. */
export interface DirRef {
  readonly fd: number;
  readonly path?: string;
  readonly ident?: Ident;
}

/** A child opened by a strategy: the fd, and what the fallback keeps to check it later. */
export interface Opened {
  fd: number;
  path: string | undefined;
  ident: Ident | undefined;
}

export type Touch = ReturnType<TimesTarget['touch']>;

export interface Confiner {
  readonly mode: Confinement;
  /** The host path naming child `name` of `dir` now (`.`: the directory itself). */
  child(dir: DirRef, name: string): string;
  /** The host path naming `dir` itself (readdir). */
  self(dir: DirRef): string;
  /** Open directory `name` of `dir`; a symlink there is handed back, never followed. */
  walk(dir: DirRef, name: string): Opened | { symlink: string };
  /** Open child `name` of `dir` with `flags` (which carry O_NOFOLLOW). */
  open(dir: DirRef, name: string, flags: number): Opened;
  /** How touch(1) names `dir` itself, or its child `name`. */
  touch(dir: DirRef, name?: string): Touch;
  /** How touch(1) names an open file kept as `fd` (and, in the fallback, its path and identity). */
  touchFile(fd: number, path: string | undefined, ident: Ident | undefined): Touch;
}

function openRaw(p: string, name: string, flags: number, op: string): number {
  try {
    return fs.openSync(p, flags, 0o666);
  } catch (e) {
    return hostFail(e, op, name);
  }
}

const proc: Confiner = {
  mode: 'proc',

  child: (dir, name) => `${PROC_FD}${dir.fd}/${name}`,

  self: (dir) => `${PROC_FD}${dir.fd}`,

  walk(dir, name) {
    const p = `${PROC_FD}${dir.fd}/${name}`;
    for (let attempt = 1; ; attempt++) {
      confinementHooks.beforeOpen?.(name, 'proc');
      try {
        return { fd: fs.openSync(p, OPEN_DIR), path: undefined, ident: undefined };
      } catch (e) {
        const code = (e as { code?: unknown }).code;
        if (code !== 'ELOOP' && code !== 'ENOTDIR') return hostFail(e, 'open directory', name);
        // A symlink (for the resolver to follow) or not a directory at all.
        const st = lstat(p, name);
        if (!st) fail('noent', `no such file or directory "${name}"`);
        if (st.isSymbolicLink()) {
          const target = readlinkOrUndefined(p, name);
          if (target !== undefined) return { symlink: target };
        } else if (!st.isDirectory()) {
          fail('notdir', `"${name}" is not a directory`);
        }
        // It changed between the open and the lstat: look again.
        if (attempt >= WALK_RETRIES) return hostFail(e, 'open directory', name);
      }
    }
  },

  open(dir, name, flags) {
    const p = `${PROC_FD}${dir.fd}/${name}`;
    confinementHooks.beforeOpen?.(name, 'proc');
    return { fd: openRaw(p, name, flags, 'open'), path: undefined, ident: undefined };
  },

  touch: (dir, name) => name === undefined
    ? { path: '/proc/self/fd/0', stdin: dir.fd, noDereference: false }
    : { path: `/proc/self/fd/0/${name}`, stdin: dir.fd, noDereference: true },

  touchFile: (fd) => ({ path: '/proc/self/fd/0', stdin: fd, noDereference: false }),
};

/** The fallback: the path must still name this very directory. */
function verify(dir: DirRef): string {
  const now = lstatBig(dir.path!, '.');
  if (!now) fail('noent', 'directory was moved or removed');
  if (now.dev !== dir.ident!.dev || now.ino !== dir.ident!.ino) {
    fail('notcapable', 'directory was replaced since it was opened');
  }
  return dir.path!;
}

/** The host path of child `name` (`x/.` for the directory itself), once `dir` is checked. */
function at(dir: DirRef, name: string): string {
  const base = verify(dir);
  return base === '/' ? `/${name}` : `${base}/${name}`;
}

/** The path a handle opened as `name` keeps (the directory's own for `.`). */
function keep(dir: DirRef, name: string): string {
  if (name === '.') return dir.path!;
  return dir.path === '/' ? `/${name}` : `${dir.path}/${name}`;
}

/**
 * After an open in the fallback: the fd must be the object lstat saw (or, for a fresh
 * create, the object now at the path), and the directory must still be where its path
 * says. Closes the fd and fails otherwise.
 */
function confirm(dir: DirRef, fd: number, before: fs.BigIntStats | undefined, name: string): Ident {
  try {
    const got = fs.fstatSync(fd, { bigint: true });
    const ref = before ?? fs.lstatSync(keep(dir, name), { bigint: true, throwIfNoEntry: false });
    if (!ref || ref.dev !== got.dev || ref.ino !== got.ino) {
      fail('notcapable', `"${name}" changed while it was being opened`);
    }
    verify(dir);
    return { dev: got.dev, ino: got.ino };
  } catch (e) {
    closeQuietly(fd);
    return hostFail(e, 'open', name);
  }
}

const path: Confiner = {
  mode: 'path',

  child: at,

  self: (dir) => verify(dir),

  walk(dir, name) {
    for (let attempt = 1; ; attempt++) {
      const p = at(dir, name);
      const st = lstatBig(p, name);
      if (!st) fail('noent', `no such file or directory "${name}"`);
      if (st.isSymbolicLink()) {
        const target = readlinkOrUndefined(p, name);
        if (target !== undefined) return { symlink: target };
        if (attempt >= WALK_RETRIES) fail('noent', `"${name}" keeps changing`);
        continue;
      }
      if (!st.isDirectory()) fail('notdir', `"${name}" is not a directory`);
      confinementHooks.beforeOpen?.(name, 'path');
      let fd: number;
      try {
        fd = fs.openSync(p, OPEN_DIR);
      } catch (e) {
        const code = (e as { code?: unknown }).code;
        if ((code === 'ELOOP' || code === 'ENOTDIR') && attempt < WALK_RETRIES) continue;
        return hostFail(e, 'open directory', name);
      }
      return { fd, path: p, ident: confirm(dir, fd, st, name) };
    }
  },

  open(dir, name, flags) {
    const p = at(dir, name);
    const before = lstatBig(p, name);
    confinementHooks.beforeOpen?.(name, 'path');
    const fd = openRaw(p, name, flags, 'open');
    return { fd, path: keep(dir, name), ident: confirm(dir, fd, before, name) };
  },

  touch: (dir, name) => ({ path: name === undefined ? verify(dir) : at(dir, name), noDereference: true }),

  touchFile(_fd, p, ident) {
    // The fallback names the file by path: check it is still this file first (racy, documented).
    const now = fs.lstatSync(p!, { bigint: true, throwIfNoEntry: false });
    if (!now || now.dev !== ident!.dev || now.ino !== ident!.ino) fail('noent', 'file moved; cannot set exact times');
    return { path: p!, noDereference: true };
  },
};

export const CONFINERS: Readonly<Record<Confinement, Confiner>> = { proc, path };
