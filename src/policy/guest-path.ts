/**
 * Guest preopen names as one canonical spelling, so `/data`, `/data/` and `//data/.`
 * are recognised as the same mount point wherever they come from (flags, files, builder).
 */
import { isPlainName } from '../util/names.js';

/**
 * Fold `//`, `.` and a trailing `/`; refuse `..` (a mount point above its own name makes
 * no sense and would hide what it shadows). Absolute names share the guest's one
 * namespace; a relative name (`.`, as `wasmtime --dir .` gives) is a root of its own.
 * Returns an error text instead of throwing so each caller can attach its own location.
 */
export function normalizeGuestPath(name: string): { path: string } | { error: string } {
  if (name === '') return { error: 'a guest path cannot be empty' };
  if (name.includes('\0')) return { error: 'a guest path cannot contain NUL' };
  const absolute = name.startsWith('/');
  const parts: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') return { error: `guest path "${name}" contains ".."` };
    parts.push(part);
  }
  if (absolute) return { path: `/${parts.join('/')}` };
  return { path: parts.length === 0 ? '.' : parts.join('/') };
}

/** A name inside a `dir` entry: one path component. */
export function checkEntryName(name: string): string | undefined {
  return isPlainName(name) ? undefined : `"${name}" is not a file name (no "/", NUL, "." or "..", not empty)`;
}
