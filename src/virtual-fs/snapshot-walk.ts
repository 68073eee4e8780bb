/**
 * The directory walk of the snapshot builder (Node only): the include / exclude globs
 * (fast-glob), and each entry found turned into a node of the tree to encode. Files keep
 * their host path; the builder reads them into the final buffer later.
 */
import { lstatSync, readlinkSync, realpathSync, type Stats } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join } from 'node:path';
import type FastGlob from 'fast-glob';
import type { VirtualizeOptions } from '../policy/types.js';
import type { EncodeDir, EncodeFile, EncodeNode } from './snapshot-encode.js';
import { SnapshotError } from './snapshot-format.js';
import { describeType, hostError } from './snapshot-host-errors.js';
import { linkTarget, type MountRoot } from './snapshot-links.js';
import { checkUtf8Names } from './snapshot-names.js';

// fast-glob (CommonJS, ~20 files with micromatch and picomatch) is required on the first
// directory walk, not when this module loads: every `wasi-virt run` and every import of
// the package root load it, and most never build a snapshot.
let fg: typeof FastGlob | undefined;
function fastGlob(): typeof FastGlob {
  fg ??= createRequire(import.meta.url)('fast-glob') as typeof FastGlob;
  return fg;
}

/**
 * Always left out (user `exclude` patterns add to these) unless `keep-vcs` is set:
 * version-control metadata, which is large, changes on every commit and is rarely what
 * a guest wants. A `.git` *file* (worktrees, submodules) matches too.
 */
export const DEFAULT_EXCLUDE: readonly string[] = ['**/.git', '**/.hg', '**/.svn', '**/.bzr', '**/_darcs', '**/CVS', '**/.jj'];

/** A file of the tree: its host path, read when the snapshot is encoded. */
export interface HostFile extends EncodeFile {
  host: string;
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

/** A file or directory an exclude pattern left out (a directory stands for all it holds). */
export interface LeftOut {
  /** Relative to the mounted directory, `/`-separated. */
  path: string;
  /** The pattern that matched it first (a built-in one, or the user's). */
  rule: string;
}

/** The outermost entries each exclude pattern leaves out, credited to the first pattern that matches. */
export function explainExcludes(root: string, options: VirtualizeOptions): LeftOut[] {
  const exclude = excludePatterns(options);
  const seen = new Map<string, string>();
  // `p/*`, not `p/**`, which would match the directory `p` itself: what a matched
  // directory holds is neither listed nor walked into.
  const contents = exclude.map((p) => `${p.replace(/\/\*\*$/, '')}/*`);
  for (const rule of exclude) {
    let hits: string[];
    try {
      hits = fastGlob().sync(rule, { cwd: root, dot: true, onlyFiles: false, followSymbolicLinks: false, ignore: contents, caseSensitiveMatch: true });
    } catch (e) {
      throw hostError('list', root, e);
    }
    for (const path of hits) if (!seen.has(path)) seen.set(path, rule);
  }
  return [...seen].map(([path, rule]) => ({ path, rule })).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export interface Walked {
  tree: EncodeDir;
  contentBytes: number;
}

type DirNode = EncodeDir & { children: Map<string, EncodeNode> };

export function walkDirectory(root: string, options: VirtualizeOptions, outside: 'error' | 'skip', mtimes: boolean): Walked {
  const include = checkPatterns(options.include ?? ['**'], 'include');
  const exclude = withContents(excludePatterns(options));
  let mount: MountRoot;
  try {
    mount = { root, rootReal: realpathSync.native(root) };
  } catch (e) {
    throw hostError('resolve', root, e);
  }

  let entries: FastGlob.Entry[];
  try {
    entries = fastGlob().sync(include, {
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
      const target = linkTarget(mount, rel, host);
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

