/**
 * Guest preopen names as one canonical spelling, so `/data`, `/data/` and `//data/.`
 * are recognised as the same mount point wherever they come from (flags, files, builder).
 */
import { isPlainName } from '../util/names.js';

/**
 * Absolute names share the guest's one namespace, so they are folded (`//`, `.`, a
 * trailing `/`) and `..` is refused (a mount point above its own name would hide what it
 * shadows). A relative name (`.`, `fs-tests.dir`, as `wasmtime --dir` gives) is a root of
 * its own that the guest finds by comparing names, so it is kept exactly as written, as
 * wasmtime reports it. Returns an error text instead of throwing so each caller can
 * attach its own location.
 */
export function normalizeGuestPath(name: string): { path: string } | { error: string } {
  if (name === '') return { error: 'a guest path cannot be empty' };
  if (name.includes('\0')) return { error: 'a guest path cannot contain NUL' };
  if (!name.startsWith('/')) return { path: name };
  const parts: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') return { error: `guest path "${name}" contains ".."` };
    parts.push(part);
  }
  return { path: `/${parts.join('/')}` };
}

/** A name inside a `dir` entry: one path component. */
export function checkEntryName(name: string): string | undefined {
  return isPlainName(name) ? undefined : `"${name}" is not a file name (no "/", NUL, "." or "..", not empty)`;
}

/**
 * The key of an entry nested inside `dir` entries: its preopen's name, then the names on
 * the way (`/` + `etc` is `/etc`, `.` + `x` is `./x`). The kernel mounts it there, and
 * compose, bundles and inspect find its snapshot by it, so all of them build it here.
 */
export function nestedKey(parent: string, names: readonly string[]): string {
  return `${parent.replace(/\/+$/, '')}/${names.join('/')}`;
}
