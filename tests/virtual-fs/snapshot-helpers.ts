/** Shared by the snapshot tests: temp trees on the real file system, and reads through the resolver. */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import type { DirHandle, FileType } from '../../src/virtual-fs/handle.js';
import { resolve } from '../../src/virtual-fs/resolver.js';
import { compareNames } from '../../src/util/names.js';

const made: string[] = [];

export function tempDir(prefix = 'wv-snap-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  made.push(d);
  return d;
}

export function cleanup(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** Lay out `spec` under `root`: string or bytes = file, `{ link }` = symlink, object = directory. */
export type Spec = { [name: string]: string | Uint8Array | { link: string } | Spec };

export function writeTree(root: string, spec: Spec): void {
  mkdirSync(root, { recursive: true });
  for (const [name, v] of Object.entries(spec)) {
    const p = join(root, name);
    if (typeof v === 'string' || v instanceof Uint8Array) {
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, v);
    } else if ('link' in v && typeof v.link === 'string') {
      symlinkSync(v.link, p);
    } else {
      writeTree(p, v as Spec);
    }
  }
}

export function readVia(root: DirHandle, path: string, follow = true): Uint8Array {
  return resolve(root, path, { follow }, (dir, name) => {
    const h = dir.openAt(name, { read: true });
    try {
      const chunks: Uint8Array[] = [];
      let total = 0;
      for (;;) {
        const buf = new Uint8Array(1 << 16);
        const n = h.read(buf);
        if (n === 0) break;
        chunks.push(buf.subarray(0, n));
        total += n;
      }
      const out = new Uint8Array(total);
      let at = 0;
      for (const c of chunks) {
        out.set(c, at);
        at += c.byteLength;
      }
      return out;
    } finally {
      h.close();
    }
  });
}

export function textVia(root: DirHandle, path: string): string {
  return new TextDecoder().decode(readVia(root, path));
}

export function listVia(root: DirHandle, path: string): [string, FileType][] {
  return resolve(root, path, { follow: true }, (dir, name) => {
    const h = dir.openAt(name, { read: true, directory: true });
    try {
      return h.readdir().map((e) => [e.name, e.type] as [string, FileType]);
    } finally {
      h.close();
    }
  });
}

export { codeOf } from '../helpers/codes.js';

/** Every directory listing, file and symlink under host `dir` equals what the guest sees at `guest`. */
export function expectSameTree(host: string, root: DirHandle, guest = '.'): number {
  const dirents = readdirSync(host, { withFileTypes: true }).sort((a, b) => compareNames(a.name, b.name));
  const want = dirents.map((d): [string, FileType] => [
    d.name, d.isDirectory() ? 'directory' : d.isSymbolicLink() ? 'symbolic-link' : 'regular-file',
  ]);
  expect(listVia(root, guest), `listing of ${guest}`).toEqual(want);
  let checked = 1;
  for (const d of dirents) {
    const g = guest === '.' ? d.name : `${guest}/${d.name}`;
    const h = join(host, d.name);
    if (d.isDirectory()) checked += expectSameTree(h, root, g);
    else if (d.isSymbolicLink()) {
      expect(resolve(root, g, { follow: false }, (dir, n) => dir.readlinkAt(n)), `target of ${g}`).toBe(readlinkSync(h));
      checked++;
    } else {
      expect(Buffer.from(readVia(root, g)).equals(readFileSync(h)), `contents of ${g}`).toBe(true);
      checked++;
    }
  }
  return checked;
}
