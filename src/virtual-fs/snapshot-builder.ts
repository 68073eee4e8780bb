/**
 * The snapshot builder (Node only): globs a host directory (or takes one host file) into
 * a snapshot, reading each file straight into its place in the final buffer. What goes
 * in, what stays out and every limit are documented in docs/snapshot-format.md; every
 * refusal is a one-line SnapshotError naming the host path.
 */
import { constants as bufferConstants } from 'node:buffer';
import { createHash } from 'node:crypto';
import {
  closeSync, constants as fsConstants, lstatSync, openSync, readdirSync, readlinkSync, readSync,
  realpathSync, statSync, type Stats,
} from 'node:fs';
import { isAbsolute, join, posix, resolve as resolvePath, sep } from 'node:path';
import fg from 'fast-glob';
import type { VirtualizeOptions } from '../policy/types.js';
import { MAX_SYMLINK_HOPS } from './resolver.js';
import { encodeSnapshot, type EncodeDir, type EncodeFile, type EncodeNode, type EncodedSnapshot } from './snapshot-encode.js';
import { SnapshotError } from './snapshot-format.js';
import { formatBytes } from '../util/format.js';

export { SnapshotError } from './snapshot-format.js';

/**
 * Always left out (user `exclude` patterns add to these) unless `keep-vcs` is set:
 * version-control metadata, which is large, changes on every commit and is rarely what
 * a guest wants. A `.git` *file* (worktrees, submodules) matches too.
 */
export const DEFAULT_EXCLUDE: readonly string[] = ['**/.git', '**/.hg', '**/.svn', '**/.bzr', '**/_darcs', '**/CVS', '**/.jj'];

/**
 * Called as files are read (counts so far), and once more with `done` when the build
 * ends, whether it succeeded or failed (a live progress line must end before an error).
 */
export type ProgressCallback = (files: number, bytes: number, done?: boolean) => void;

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

/** A file or directory an exclude pattern left out (a directory stands for all it holds). */
export interface LeftOut {
  /** Relative to the mounted directory, `/`-separated. */
  path: string;
  /** The pattern that matched it first (a built-in one, or the user's). */
  rule: string;
}

/** What a build gives: the encoded snapshot and its counts, and with `explain` what was left out. */
export type SnapshotBuild = EncodedSnapshot & { leftOut?: LeftOut[] };

/** Node's limit on one buffer, hence on one snapshot (4 GiB on Node 20 / 64-bit). */
export const MAX_SNAPSHOT_BYTES: number = bufferConstants.MAX_LENGTH;

/** readSync takes at most 2 GiB - 1 per call. */
const READ_CHUNK = 1 << 30;

interface HostFile extends EncodeFile {
  host: string;
}

function describeType(st: { isFIFO(): boolean; isSocket(): boolean; isBlockDevice(): boolean; isCharacterDevice(): boolean }): string {
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isCharacterDevice()) return 'a character device';
  return 'neither a file, a directory nor a symlink';
}

function hostError(what: string, host: string, err: unknown): SnapshotError {
  const code = (err as { code?: string } | null)?.code;
  const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied'
    : code === 'ENOENT' ? 'it vanished while the snapshot was built'
    : code ?? String((err as Error)?.message ?? err);
  return new SnapshotError(`cannot ${what} "${host}": ${why}`);
}

/** SHA-256 with node:crypto, fed in pieces so bodies over 2 GiB hash too. */
export function sha256(body: Uint8Array): Uint8Array {
  const h = createHash('sha256');
  for (let at = 0; at < body.byteLength; at += READ_CHUNK) h.update(body.subarray(at, at + READ_CHUNK));
  return new Uint8Array(h.digest());
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Node decodes host names as UTF-8 and turns invalid bytes into U+FFFD, so two host
 * names can become one guest name and the decoded name no longer opens the file. A name
 * holding U+FFFD is checked against the raw bytes; a name that is not UTF-8 is refused.
 */
function checkUtf8Names(hostDir: string, checked: Set<string>): void {
  if (checked.has(hostDir)) return;
  checked.add(hostDir);
  let raw: Buffer[];
  try {
    raw = readdirSync(hostDir, { encoding: 'buffer' });
  } catch (e) {
    throw hostError('list', hostDir, e);
  }
  for (const name of raw) {
    try {
      strictUtf8.decode(name);
    } catch {
      throw new SnapshotError(
        `"${join(hostDir, name.toString('utf8'))}" has a name that is not valid UTF-8 (bytes ${name.toString('hex')}); guest file names must be UTF-8`,
      );
    }
  }
}

function checkPatterns(patterns: readonly string[], what: string): string[] {
  return patterns.map((p) => {
    if (typeof p !== 'string' || p === '') throw new SnapshotError(`${what} patterns must be non-empty strings`);
    if (p.startsWith('/') || /^[A-Za-z]:/.test(p) || p.split('/').includes('..')) {
      throw new SnapshotError(`${what} pattern "${p}" must stay inside the mounted directory (relative, without "..")`);
    }
    return p.length > 1 ? p.replace(/\/+$/, '') : p;
  });
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
    if (options.explain) leftOut = explainExcludes(root, excludePatterns(options));
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

interface Walked {
  tree: EncodeDir;
  contentBytes: number;
}

type DirNode = EncodeDir & { children: Map<string, EncodeNode> };

/** The built-in excludes (unless `keep-vcs`), then the user's. */
function excludePatterns(options: VirtualizeOptions): string[] {
  return checkPatterns([...(options['keep-vcs'] ? [] : DEFAULT_EXCLUDE), ...(options.exclude ?? [])], 'exclude');
}

/**
 * fast-glob's `ignore` drops an entry a pattern matches but still walks into it, so a
 * pattern that names a directory (`sub*`, `.*`) must also name what it holds.
 */
function withContents(patterns: readonly string[]): string[] {
  return patterns.flatMap((p) => (p.endsWith('/**') ? [p] : [p, `${p}/**`]));
}

/** The outermost entries each pattern leaves out, credited to the first pattern that matches. */
function explainExcludes(root: string, exclude: readonly string[]): LeftOut[] {
  const seen = new Map<string, string>();
  // `p/*`, not `p/**`, which would match the directory `p` itself: what a matched
  // directory holds is neither listed nor walked into.
  const contents = exclude.map((p) => `${p.replace(/\/\*\*$/, '')}/*`);
  for (const rule of exclude) {
    let hits: string[];
    try {
      hits = fg.sync(rule, { cwd: root, dot: true, onlyFiles: false, followSymbolicLinks: false, ignore: contents, caseSensitiveMatch: true });
    } catch (e) {
      throw hostError('list', root, e);
    }
    for (const path of hits) if (!seen.has(path)) seen.set(path, rule);
  }
  return [...seen].map(([path, rule]) => ({ path, rule })).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function walkDirectory(root: string, options: VirtualizeOptions, outside: 'error' | 'skip', mtimes: boolean): Walked {
  const include = checkPatterns(options.include ?? ['**'], 'include');
  const exclude = withContents(excludePatterns(options));
  let rootReal: string;
  try {
    rootReal = realpathSync.native(root);
  } catch (e) {
    throw hostError('resolve', root, e);
  }

  let entries: fg.Entry[];
  try {
    entries = fg.sync(include, {
      cwd: root,
      dot: true,
      onlyFiles: false,
      followSymbolicLinks: false,
      objectMode: true,
      ignore: exclude,
      suppressErrors: false,
      caseSensitiveMatch: true,
      unique: true,
    });
  } catch (e) {
    const p = (e as { path?: string }).path;
    throw hostError('list', p ?? root, e);
  }

  const mtimeOf = (host: string): bigint | undefined => {
    if (!mtimes) return undefined;
    try {
      return lstatSync(host, { bigint: true }).mtimeNs;
    } catch (e) {
      throw hostError('stat', host, e);
    }
  };
  const top: DirNode = { kind: 'directory', children: new Map(), mtime: mtimeOf(root) };
  const dirs = new Map<string, DirNode>([['', top]]);
  const checked = new Set<string>();
  let contentBytes = 0;

  const dirAt = (rel: string): DirNode => {
    let d = dirs.get(rel);
    if (d) return d;
    const cut = rel.lastIndexOf('/');
    const parent = dirAt(cut < 0 ? '' : rel.slice(0, cut));
    d = { kind: 'directory', children: new Map(), mtime: mtimeOf(join(root, rel)) };
    const name = rel.slice(cut + 1);
    const existing = parent.children.get(name);
    if (existing) {
      if (existing.kind === 'directory') return existing as DirNode;
      throw new SnapshotError(`"${join(root, rel)}" is both a directory and a file in the listing`);
    }
    parent.children.set(name, d);
    dirs.set(rel, d);
    return d;
  };

  for (const entry of entries) {
    const rel = entry.path;
    const host = join(root, rel);
    if (rel.startsWith('../') || isAbsolute(rel)) throw new SnapshotError(`"${host}" lies outside the mounted directory`);
    if (rel.includes('\ufffd')) {
      // Check every directory on the way, outermost first, so the message names the first bad component.
      const parts = rel.split('/');
      for (let i = 0; i < parts.length; i++) if (parts[i]!.includes('\ufffd')) checkUtf8Names(join(root, ...parts.slice(0, i)), checked);
    }
    const cut = rel.lastIndexOf('/');
    const parentRel = cut < 0 ? '' : rel.slice(0, cut);
    const name = rel.slice(cut + 1);
    const d = entry.dirent;
    if (d.isDirectory()) {
      dirAt(rel);
      continue;
    }
    let node: EncodeNode;
    if (d.isFile()) {
      let st: Stats;
      try {
        st = lstatSync(host);
      } catch (e) {
        throw hostError('stat', host, e);
      }
      if (!st.isFile()) throw new SnapshotError(`"${host}" changed type while the snapshot was built`);
      contentBytes += st.size;
      node = { kind: 'regular-file', size: st.size, host, mtime: mtimeOf(host) } as HostFile;
    } else if (d.isSymbolicLink()) {
      const target = linkTarget(root, rootReal, rel, host);
      if (target === undefined) {
        if (outside === 'skip') continue;
        let raw = '';
        try { raw = readlinkSync(host); } catch { /* named in the message anyway */ }
        throw new SnapshotError(
          `symlink "${host}" points outside the mounted directory (to "${raw}"); remove it, or set outside-symlinks to "skip" to leave such links out`,
        );
      }
      node = { kind: 'symbolic-link', target, mtime: mtimeOf(host) };
    } else {
      throw new SnapshotError(`"${host}" is ${describeType(d)}; snapshots hold only directories, regular files and symlinks (exclude it)`);
    }
    const parent = dirAt(parentRel);
    if (parent.children.has(name)) throw new SnapshotError(`"${host}" appears twice in the listing`);
    parent.children.set(name, node);
  }
  return { tree: top, contentBytes };
}

/** `abs` relative to the mount root (either spelling of it), or undefined when outside. */
function insideRel(abs: string, root: string, rootReal: string): string | undefined {
  const norm = resolvePath(abs);
  for (const base of [root, rootReal]) {
    if (norm === base) return '';
    const prefix = base.endsWith(sep) ? base : base + sep;
    if (norm.startsWith(prefix)) return norm.slice(prefix.length).split(sep).join('/');
  }
  return undefined;
}

/**
 * The guest target of the symlink at `rel`, or undefined when following it would leave
 * the mount. Absolute targets inside the mount become relative ones (the resolver refuses
 * absolute targets). The check follows the target the way the guest's resolver will,
 * through the host tree: `..` pops the directory actually reached, and symlinks met on
 * the way are followed, so `a/../..` through a link is judged where it really lands.
 */
function linkTarget(root: string, rootReal: string, rel: string, host: string): string | undefined {
  let target: string;
  try {
    target = readlinkSync(host);
  } catch (e) {
    throw hostError('read symlink', host, e);
  }
  if (target.includes('\ufffd')) {
    const raw = readlinkSync(host, { encoding: 'buffer' });
    try {
      strictUtf8.decode(raw);
    } catch {
      throw new SnapshotError(`symlink "${host}" has a target that is not valid UTF-8 (bytes ${raw.toString('hex')})`);
    }
  }
  const linkDir = posix.dirname(rel) === '.' ? '' : posix.dirname(rel);
  if (isAbsolute(target)) {
    const inside = insideRel(target, root, rootReal);
    if (inside === undefined) return undefined;
    const relative = posix.relative(`/${linkDir}`, `/${inside}`) || '.';
    target = target.endsWith('/') && relative !== '.' ? `${relative}/` : relative;
  }
  return escapes(root, rootReal, linkDir === '' ? [] : linkDir.split('/'), target) ? undefined : target;
}

function escapes(root: string, rootReal: string, start: string[], target: string): boolean {
  const stack = [...start];
  let pending = target.split('/').reverse();
  let hops = 0;
  const more = (): boolean => pending.some((c) => c !== '' && c !== '.');
  while (pending.length > 0) {
    const c = pending.pop()!;
    if (c === '' || c === '.') continue;
    if (c === '..') {
      if (stack.length === 0) return true;
      stack.pop();
      continue;
    }
    stack.push(c);
    const host = join(root, ...stack);
    let st: Stats;
    try {
      st = lstatSync(host);
    } catch {
      return false; // dangling: the guest gets noent without leaving
    }
    if (st.isSymbolicLink()) {
      if (++hops > MAX_SYMLINK_HOPS) return false; // the guest gets loop
      const next = readlinkSync(host);
      stack.pop();
      if (isAbsolute(next)) {
        const inside = insideRel(next, root, rootReal);
        if (inside === undefined) return true;
        stack.length = 0;
        pending = pending.concat(inside.split('/').reverse());
      } else {
        pending = pending.concat(next.split('/').reverse());
      }
    } else if (!st.isDirectory() && more()) {
      return false; // the guest gets notdir
    }
  }
  return false;
}

export interface ProgressOptions {
  /** Where to print; default process.stderr. */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Print even when the stream is not a terminal (one line per second instead of a live line). */
  always?: boolean;
  /** Stay quiet for builds shorter than this; default 1000 ms. */
  delayMs?: number;
  /** Prefix of each line. */
  label?: string;
}


/**
 * A progress callback printing "files, bytes" for builds that take longer than
 * `delayMs`: a live line on a terminal, or (with `always`) a line per second elsewhere.
 */
export function progressReporter(options: ProgressOptions = {}): ProgressCallback {
  const stream = options.stream ?? process.stderr;
  const tty = (stream as { isTTY?: boolean }).isTTY === true;
  const enabled = tty || options.always === true;
  const delay = options.delayMs ?? 1000;
  const every = tty ? 100 : 1000;
  const label = options.label ? `wasi-virt: ${options.label}: ` : 'wasi-virt: snapshot: ';
  const start = performance.now();
  let last = -Infinity;
  let shown = false;
  return (files, bytes, done) => {
    if (!enabled) return;
    const now = performance.now();
    if (done ? !shown : now - start < delay || now - last < every) return;
    last = now;
    shown = true;
    const line = `${label}${files.toLocaleString('en-US')} files, ${formatBytes(bytes)}`;
    stream.write(tty ? `\r\x1b[K${line}${done ? '\n' : ''}` : `${line}\n`);
  };
}
