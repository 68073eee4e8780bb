/**
 * Temp-dir fixtures for the host backend tests: a preopen root beside an "outside" tree
 * holding a sentinel, and a snapshot of the outside tree that shows any read (atime: set
 * far in the past, so relatime updates it on a read), write (content, mtime), creation or
 * removal (names).
 */
import fs from 'node:fs';
import os from 'node:os';
import nodePath from 'node:path';
import type { DirHandle, Handle } from '../../src/virtual-fs/handle.js';
import { resolve } from '../../src/virtual-fs/resolver.js';

export const SECRET = `SECRET-${process.pid}-${Date.now()}`;
const OLD = new Date('2000-01-01T00:00:00Z');

export interface Fixture {
  base: string;
  root: string;
  root2: string;
  outside: string;
  /** Every path below `outside` (relative), listed once before the test starts. */
  outsideNames: string[];
  cleanup(): void;
}

/** Build `<tmp>/{root,root2,outside}`; `outside` holds the sentinel and a directory. */
export function makeFixture(layout: (f: Fixture) => void = () => {}): Fixture {
  const base = fs.realpathSync(fs.mkdtempSync(nodePath.join(os.tmpdir(), 'wasi-virt-host-')));
  const f: Fixture = {
    base,
    root: nodePath.join(base, 'root'),
    root2: nodePath.join(base, 'root2'),
    outside: nodePath.join(base, 'outside'),
    outsideNames: [],
    cleanup: () => fs.rmSync(base, { recursive: true, force: true }),
  };
  fs.mkdirSync(f.root);
  fs.mkdirSync(f.root2);
  fs.mkdirSync(nodePath.join(f.outside, 'dir'), { recursive: true });
  for (const p of ['secret.txt', 'dir/file.txt', 'dir/new.txt', 'dir/b.txt']) {
    fs.writeFileSync(nodePath.join(f.outside, p), SECRET);
  }
  layout(f);
  f.outsideNames = ['.', ...fs.readdirSync(f.outside, { recursive: true }).map(String).sort()];
  // Deepest first, so setting a child's times does not disturb its directory's afterwards.
  for (const rel of [...f.outsideNames].reverse()) fs.lutimesSync(nodePath.join(f.outside, rel), OLD, OLD);
  return f;
}

/**
 * Everything observable about the outside tree, without changing it: lstat of each known
 * path (no readdir, which would touch directory atimes). A directory's mtime and nlink
 * change when anything is created or removed in it, its atime when it is listed; a file's
 * atime when it is read (relatime: the old atime is far in the past), mtime when written.
 */
export function snapshotTree(f: Fixture): string[] {
  return f.outsideNames.map((rel) => {
    const p = nodePath.join(f.outside, rel);
    const st = fs.lstatSync(p, { bigint: true, throwIfNoEntry: false });
    if (!st) return `${rel} missing`;
    const extra = st.isSymbolicLink() ? ` -> ${fs.readlinkSync(p)}` : '';
    return `${rel} mode=${st.mode} size=${st.size} nlink=${st.nlink} ino=${st.ino} atime=${st.atimeNs} mtime=${st.mtimeNs}${extra}`;
  });
}

/** The outside files' contents, read with O_NOATIME so reading them here leaves no trace. */
export function outsideContents(f: Fixture): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rel of f.outsideNames) {
    const p = nodePath.join(f.outside, rel);
    if (!fs.lstatSync(p).isFile()) continue;
    const fd = fs.openSync(p, fs.constants.O_RDONLY | fs.constants.O_NOATIME);
    try {
      out[rel] = fs.readFileSync(fd, 'utf8');
    } finally {
      fs.closeSync(fd);
    }
  }
  return out;
}

export { codeOf as code } from '../helpers/codes.js';

export function readHandle(h: Handle): string {
  const chunks: Buffer[] = [];
  const buf = new Uint8Array(4096);
  for (;;) {
    const n = h.read(buf);
    if (n === 0) break;
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function readAt(root: DirHandle, path: string, follow = true): string {
  return resolve(root, path, { follow }, (dir, name) => {
    const h = dir.openAt(name, { read: true });
    try {
      return readHandle(h);
    } finally {
      h.close();
    }
  });
}

export function writeAt(root: DirHandle, path: string, text: string, follow = true): void {
  resolve(root, path, { follow }, (dir, name) => {
    const h = dir.openAt(name, { write: true, create: true, truncate: true });
    try {
      h.write(new TextEncoder().encode(text));
    } finally {
      h.close();
    }
  });
}
