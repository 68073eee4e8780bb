/**
 * Path operations with their POSIX rules, once for both ABIs. The resolver finds the final
 * directory and child name; these add what the operation demands of that leaf: a trailing
 * slash means "a directory" (`file/` is notdir, a new entry cannot end in one), `.` as the
 * leaf is the base directory itself (not removable, not linkable, already existing), an
 * exclusive create never follows a final symlink, a hard link of a symlink links the
 * symlink, and a symlink target must be one the resolver could ever follow. The preview1
 * face adds rights and flag decoding; the preview2 face only converts types.
 */
import { fail, WasiError } from './errors.js';
import type { DirHandle, Handle, OpenRequest, Stat, TimeChange } from './handle.js';
import { checkSymlinkTarget, resolve, type LeafInfo } from './resolver.js';

/** `name/` must be a directory: anything else is notdir (a missing one stays noent). */
function requireDirForSlash(dir: DirHandle, name: string, leaf: LeafInfo): void {
  if (leaf.trailingSlash && dir.statAt(name).type !== 'directory') fail('notdir', `"${name}/" is not a directory`);
}

function exists(dir: DirHandle, name: string): boolean {
  try {
    dir.statAt(name);
    return true;
  } catch (err) {
    if (err instanceof WasiError) return false;
    throw err;
  }
}

/** Where a new entry goes: never `.` (the base itself), and `name/` only names an existing directory. */
function newLeaf(dir: DirHandle, name: string, leaf: LeafInfo): void {
  if (name === '.') fail('exist', 'the path names an existing directory');
  if (leaf.trailingSlash) {
    if (exists(dir, name)) fail('exist', `"${name}" exists`);
    fail('noent', `"${name}/": a new entry cannot end in a slash`);
  }
}

/**
 * Resolve following the final symlink, trying the plain lookup first: when the leaf is no
 * symlink, following changes nothing, and the resolver's leaf check (an lstat on a host
 * directory) is saved. `isLink` says a result came from a symlink leaf; `retry` says an
 * error may have (an open without follow fails on a symlink with loop, or notdir when a
 * directory was asked for). Either way the lookup is redone following.
 */
function followLeaf<T>(
  base: DirHandle, path: string,
  op: (dir: DirHandle, name: string, leaf: LeafInfo) => T,
  isLink: (r: T) => boolean,
  retry: (e: WasiError) => boolean,
): T {
  try {
    const r = resolve(base, path, { follow: false }, op);
    if (!isLink(r)) return r;
  } catch (e) {
    if (!(e instanceof WasiError) || !retry(e)) throw e;
  }
  return resolve(base, path, { follow: true }, op);
}

export function statPath(base: DirHandle, path: string, follow: boolean): Stat {
  const op = (dir: DirHandle, name: string, leaf: LeafInfo): Stat => {
    const s = dir.statAt(name);
    if (leaf.trailingSlash && s.type !== 'directory') fail('notdir', `"${name}/" is not a directory`);
    return s;
  };
  return follow
    ? followLeaf(base, path, op, (s) => s.type === 'symbolic-link', () => false)
    : resolve(base, path, { follow: false }, op);
}

export function openPath(base: DirHandle, path: string, follow: boolean, req: OpenRequest): Handle {
  const op = (dir: DirHandle, name: string, leaf: LeafInfo): Handle => {
    if (leaf.trailingSlash) {
      // Linux: O_CREAT on `name/` is EISDIR whether or not it exists.
      if (req.create) fail('isdir', `"${name}/" cannot be created as a file`);
      return dir.openAt(name, { ...req, directory: true });
    }
    return dir.openAt(name, req);
  };
  // O_CREAT|O_EXCL never follows the last component: an existing symlink is "exists".
  const handle = follow && !(req.create && req.exclusive)
    ? followLeaf(base, path, op, () => false, (e) => e.code === 'loop' || e.code === 'notdir')
    : resolve(base, path, { follow: false }, op);
  if (req.directory && handle.fileType !== 'directory') {
    handle.close();
    fail('notdir', `"${path}" is not a directory`);
  }
  return handle;
}

export function setTimesPath(base: DirHandle, path: string, follow: boolean, atim: TimeChange, mtim: TimeChange): void {
  resolve(base, path, { follow }, (dir, name, leaf) => {
    requireDirForSlash(dir, name, leaf);
    dir.setTimesAt(name, atim, mtim);
  });
}

export function mkdirPath(base: DirHandle, path: string): void {
  // `a/` is the usual way to write a directory's name: mkdir accepts the slash.
  resolve(base, path, { follow: false }, (dir, name) => {
    if (name === '.') fail('exist', 'the path names an existing directory');
    dir.mkdirAt(name);
  });
}

export function rmdirPath(base: DirHandle, path: string): void {
  resolve(base, path, { follow: false }, (dir, name) => {
    if (name === '.') fail('inval', 'cannot remove the base directory through "."');
    dir.rmdirAt(name);
  });
}

export function unlinkPath(base: DirHandle, path: string): void {
  resolve(base, path, { follow: false }, (dir, name, leaf) => {
    if (name === '.') fail('isdir', 'the path names a directory');
    // `file/` is notdir; `dir/` goes on to the backend, which refuses a directory.
    requireDirForSlash(dir, name, leaf);
    dir.unlinkAt(name);
  });
}

export function readlinkPath(base: DirHandle, path: string): string {
  return resolve(base, path, { follow: false }, (dir, name) => dir.readlinkAt(name));
}

export function symlinkPath(target: string, base: DirHandle, path: string): void {
  // The target is stored as given, but one the resolver would refuse to follow is refused now.
  checkSymlinkTarget(target);
  resolve(base, path, { follow: false }, (dir, name, leaf) => {
    newLeaf(dir, name, leaf);
    dir.symlinkAt(target, name);
  });
}

export function linkPath(srcBase: DirHandle, from: string, follow: boolean, dstBase: DirHandle, to: string): void {
  resolve(srcBase, from, { follow }, (sdir, sname, sleaf) => {
    if (sname === '.') fail('perm', 'cannot hard-link a directory');
    requireDirForSlash(sdir, sname, sleaf);
    resolve(dstBase, to, { follow: false }, (ddir, dname, dleaf) => {
      newLeaf(ddir, dname, dleaf);
      if (!sdir.sameDevice(ddir)) fail('xdev', 'a hard link cannot cross file systems');
      sdir.linkAt(sname, ddir, dname);
    });
  });
}

export function renamePath(srcBase: DirHandle, from: string, dstBase: DirHandle, to: string): void {
  resolve(srcBase, from, { follow: false }, (sdir, sname, sleaf) => {
    if (sname === '.') fail('busy', 'cannot rename the base directory');
    resolve(dstBase, to, { follow: false }, (ddir, dname, dleaf) => {
      if (dname === '.') fail('busy', 'cannot rename over the base directory');
      // A slash on either side says "directory": a file there is notdir.
      if (sleaf.trailingSlash || dleaf.trailingSlash) requireDirForSlash(sdir, sname, { trailingSlash: true });
      if (!sdir.sameDevice(ddir)) fail('xdev', 'a rename cannot cross file systems');
      sdir.renameAt(sname, ddir, dname);
    });
  });
}
