/**
 * Read-only places (snapshots, policy trees, `:ro` host directories, mounted files, the
 * empty directories between mounts): the one error they give for a write, and the one
 * order in which an open there is refused, so every backend answers the same open alike.
 */
import { fail } from './errors.js';
import type { FileType, OpenRequest } from './handle.js';

/** The error every read-only place gives for a write. */
export function refuseReadOnly(): never {
  fail('rofs', 'read-only file system');
}

/** True when an open asks to change something (create, truncate, write or append). */
export function wantsWrite(req: OpenRequest): boolean {
  return !!(req.create || req.truncate || req.write || req.append);
}

/**
 * Check an open in a read-only place against what is there (`found`: the type at the
 * name, undefined when nothing is; `name` `.` is the directory itself). Throws the code
 * POSIX gives, in its order (noent / exist, loop, isdir, notdir before rofs); returns when
 * the open may go on, read-only. `label` names the object in messages.
 */
export function checkReadOnlyOpen(name: string, found: FileType | undefined, req: OpenRequest, label = `"${name}"`): void {
  if (name === '.') {
    if (req.exclusive) fail('exist', '"." exists');
  } else {
    if (found === undefined) {
      if (req.create) refuseReadOnly();
      fail('noent', `no such file or directory ${label}`);
    }
    if (req.create && req.exclusive) fail('exist', `${label} exists`);
    if (found === 'symbolic-link') fail('loop', `${label} is a symlink`);
    if (found === 'directory') {
      if (req.write || req.append || req.truncate) fail('isdir', `${label} is a directory`);
    } else if (req.directory) {
      fail('notdir', `${label} is not a directory`);
    }
  }
  if (wantsWrite(req)) refuseReadOnly();
}
