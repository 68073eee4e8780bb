/**
 * The one path resolver. Every guest path, on every backend and from both ABIs, goes
 * through `resolve`: component by component from a directory handle, keeping a stack of
 * the directories walked so `..` pops one and can never pop the starting directory (not
 * even transiently, as `a/../../x` would with lexical folding after the fact). Symlinks
 * are spliced into the remaining components within a hop budget; absolute paths and
 * absolute symlink targets are refused, as are NUL bytes. Backends only ever see one
 * component (no slash) at a time.
 */
import { fail } from './errors.js';
import type { DirHandle } from './handle.js';

/** Symlinks followed in one resolution before it fails with `loop` (Linux's MAXSYMLINKS). */
export const MAX_SYMLINK_HOPS = 40;

export interface LeafInfo {
  /** The path ended in `/`: the object must be a directory (ops give notdir otherwise). */
  trailingSlash: boolean;
}

export interface ResolveOptions {
  /** Follow a symlink in the final component (preview1 LOOKUP_SYMLINK_FOLLOW). */
  follow: boolean;
}

/**
 * Resolve `path` from `start` and run `op` on the final directory and child name
 * (`.` when the path names the directory itself). Directories opened on the way are
 * released when `op` returns or throws.
 */
export function resolve<T>(
  start: DirHandle,
  path: string,
  options: ResolveOptions,
  op: (dir: DirHandle, name: string, leaf: LeafInfo) => T,
): T {
  if (path.length === 0) fail('noent', 'empty path');
  if (path.includes('\0')) fail('inval', 'path contains a NUL byte');
  if (path.charCodeAt(0) === 47 /* / */) fail('notcapable', `absolute path "${path}" is outside the preopen`);

  // Fast path: one plain component, the common case for open/stat in a preopen root.
  if (!options.follow && path.indexOf('/') < 0 && path !== '.' && path !== '..') {
    return op(start, path, { trailingSlash: false });
  }

  const stack: DirHandle[] = [start];
  let pending = path.split('/').reverse(); // popped from the end: the next component last
  let trailingSlash = path.endsWith('/');
  let hops = 0;
  try {
    for (;;) {
      // Drop empty and `.` components; the remaining last one (if any) is the leaf.
      while (pending.length > 0 && (pending[pending.length - 1] === '' || pending[pending.length - 1] === '.')) {
        pending.pop();
      }
      if (pending.length === 0) return op(stack[stack.length - 1]!, '.', { trailingSlash });
      const name = pending.pop()!;
      const isLast = !pending.some((c) => c !== '' && c !== '.');
      // `a/.` and `a/` name the directory `a` itself: it must be one, and a symlink there is
      // followed (as POSIX does), never treated as the leaf.
      if (isLast && pending.length > 0) trailingSlash = true;
      if (name === '..') {
        if (stack.length === 1) fail('notcapable', `path "${path}" climbs out of its directory`);
        stack.pop()!.release();
        continue;
      }
      const dir = stack[stack.length - 1]!;
      if (isLast) {
        if (options.follow || trailingSlash) {
          const target = dir.leafLink(name);
          if (target !== undefined) {
            hops = countHop(hops, path);
            pending = splice(pending, target, path);
            if (target.endsWith('/')) trailingSlash = true;
            continue;
          }
        }
        return op(dir, name, { trailingSlash });
      }
      const walked = dir.walk(name);
      if ('dir' in walked) {
        stack.push(walked.dir);
      } else {
        hops = countHop(hops, path);
        pending = splice(pending, walked.symlink, path);
      }
    }
  } finally {
    for (let i = stack.length - 1; i > 0; i--) stack[i]!.release();
  }
}

function countHop(hops: number, path: string): number {
  if (hops + 1 > MAX_SYMLINK_HOPS) fail('loop', `too many symlinks resolving "${path}"`);
  return hops + 1;
}

/** Put a symlink's target in front of what is left (pending is reversed). */
function splice(pending: string[], target: string, path: string): string[] {
  if (target.length === 0) fail('noent', `empty symlink target in "${path}"`);
  if (target.charCodeAt(0) === 47) fail('notcapable', `symlink in "${path}" points to absolute path "${target}"`);
  return pending.concat(target.split('/').reverse());
}

/**
 * Refuse a new symlink's target that this resolver would refuse to follow: empty (names
 * nothing), holding a NUL (cannot be stored), or absolute (it would name a host path).
 */
export function checkSymlinkTarget(target: string): void {
  if (target.length === 0) fail('noent', 'empty symlink target');
  if (target.includes('\0')) fail('inval', 'symlink target contains a NUL byte');
  if (target.charCodeAt(0) === 47) fail('notcapable', `absolute symlink target "${target}" is outside the preopen`);
}
