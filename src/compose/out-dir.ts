/**
 * The output directory. Compose writes into a new or empty directory, or over a bundle
 * it wrote before; it never deletes anything it did not write. `out/package.json` is the
 * marker: besides `"type": "module"` (the bundle is ES modules, whatever package the
 * directory sits in), it lists under `wasi-virt.files` every file compose wrote. A
 * second compose removes exactly those (leaving whatever else was added) and writes
 * the new bundle.
 */
import { lstatSync, mkdirSync, readdirSync, readFileSync, rmdirSync, statSync, unlinkSync, accessSync, constants } from 'node:fs';
import { dirname, isAbsolute, join, normalize, sep } from 'node:path';
import { hostReason } from '../util/host-error.js';

export const MARKER = 'package.json';

/** Compose refuses its output directory or cannot write it. */
export class OutDirError extends Error {
  readonly userFacing = true;
  override name = 'OutDirError';
}

export interface BundleMarker {
  bundle: number;
  name: string;
  files: string[];
}

/** The marker of a previous bundle in `dir`, if its package.json is one. */
export function readMarker(dir: string): BundleMarker | undefined {
  let pkg: unknown;
  try {
    pkg = JSON.parse(readFileSync(join(dir, MARKER), 'utf8'));
  } catch {
    return undefined;
  }
  const m = (pkg as { 'wasi-virt'?: unknown } | null)?.['wasi-virt'] as Partial<BundleMarker> | undefined;
  if (!m || typeof m.bundle !== 'number' || !Array.isArray(m.files) || !m.files.every((f) => typeof f === 'string')) return undefined;
  return { bundle: m.bundle, name: String(m.name ?? ''), files: m.files };
}

/** A marker path that stays inside the directory (a hand-edited marker must not delete elsewhere). */
function inside(rel: string): boolean {
  if (rel === '' || isAbsolute(rel)) return false;
  const n = normalize(rel);
  return n !== '..' && !n.startsWith(`..${sep}`) && !n.split(sep).includes('..');
}

/** Whether reaching `rel` inside `out` passes a symlinked directory (which could lead anywhere). */
function throughSymlink(out: string, rel: string): boolean {
  const parts = normalize(rel).split(sep);
  let p = out;
  for (const part of parts.slice(0, -1)) {
    p = join(p, part);
    try {
      if (!lstatSync(p).isDirectory()) return true;
    } catch {
      return true;
    }
  }
  return false;
}

/**
 * Make `out` ready for a bundle: create it, or check it is empty, or remove the files of
 * the bundle already there. Throws OutDirError (one line) when it cannot or must not.
 */
export function prepareOutDir(out: string): void {
  let st;
  try {
    st = statSync(out);
  } catch (e) {
    if ((e as { code?: string }).code !== 'ENOENT') throw new OutDirError(`cannot use output directory "${out}": ${hostReason(e)}`);
    try {
      mkdirSync(out, { recursive: true });
    } catch (e2) {
      throw new OutDirError(`cannot create output directory "${out}": ${hostReason(e2)}`);
    }
    return;
  }
  if (!st.isDirectory()) throw new OutDirError(`output "${out}" exists and is not a directory`);
  try {
    accessSync(out, constants.W_OK);
  } catch (e) {
    throw new OutDirError(`cannot write to output directory "${out}": ${hostReason(e)}`);
  }
  const entries = readdirSync(out);
  if (entries.length === 0) return;
  const marker = readMarker(out);
  if (!marker) {
    throw new OutDirError(`output directory "${out}" is not empty and holds no wasi-virt bundle; give an empty or new directory (nothing was written)`);
  }
  removeBundle(out, marker);
}

/** Remove the files a marker lists (never following a symlink), then directories left empty. */
function removeBundle(out: string, marker: BundleMarker): void {
  const dirs = new Set<string>();
  for (const rel of [...marker.files, MARKER]) {
    if (!inside(rel) || throughSymlink(out, rel)) continue;
    const p = join(out, rel);
    try {
      if (lstatSync(p).isDirectory()) continue;
      unlinkSync(p);
    } catch (e) {
      if ((e as { code?: string }).code === 'ENOENT') continue;
      throw new OutDirError(`cannot replace the bundle in "${out}": ${rel}: ${hostReason(e)}`);
    }
    for (let d = dirname(normalize(rel)); d !== '.' && d !== ''; d = dirname(d)) dirs.add(d);
  }
  // Deepest first; a directory still holding something that is not ours stays.
  for (const d of [...dirs].sort((a, b) => b.split(sep).length - a.split(sep).length)) {
    try {
      rmdirSync(join(out, d));
    } catch {
      // not empty, or already gone
    }
  }
}
