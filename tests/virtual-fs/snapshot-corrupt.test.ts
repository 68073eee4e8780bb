import { afterAll, describe, expect, it } from 'vitest';
import { WasiError } from '../../src/virtual-fs/errors.js';
import { RoDir } from '../../src/virtual-fs/ro-tree.js';
import { buildSnapshot, sha256 } from '../../src/virtual-fs/snapshot-builder.js';
import { H, HEADER_SIZE, NODE_SIZE } from '../../src/virtual-fs/snapshot-format.js';
import { decodeSnapshot, readSnapshotHeader, SnapshotError, type SnapshotTree } from '../../src/virtual-fs/snapshot.js';
import { cleanup, codeOf, listVia, tempDir, writeTree } from './snapshot-helpers.js';

afterAll(cleanup);

const dir = tempDir();
writeTree(dir, {
  'a.txt': 'alpha',
  sub: { 'b.txt': 'bravo', deeper: { 'c.txt': 'charlie' }, link: { link: 'deeper/c.txt' } },
  'z.bin': new Uint8Array(100_000).fill(7),
});
const good = buildSnapshot({ path: dir, onProgress: () => {}, mtimes: true }).bytes;

function edited(f: (b: Uint8Array, v: DataView) => void): Uint8Array {
  const b = Uint8Array.from(good);
  f(b, new DataView(b.buffer));
  return b;
}

function decodeError(bytes: Uint8Array, options = {}): string {
  try {
    decodeSnapshot(bytes, 1n, options);
  } catch (e) {
    expect(e).toBeInstanceOf(SnapshotError);
    return (e as Error).message;
  }
  return 'decoded';
}

/** Visit every node through the RoTree interface, as a guest's full walk would. */
function walkAll(tree: SnapshotTree, budget = 10_000): number {
  let seen = 0;
  const visit = (node: number): void => {
    if (++seen > budget) return;
    const type = tree.type(node);
    tree.mtime(node);
    if (type === 'directory') {
      for (const [name, child] of tree.entries(node)) {
        tree.lookup(node, name);
        visit(child);
      }
    } else if (type === 'regular-file') {
      tree.data(node).reduce((a, b) => a + b, 0);
    } else {
      tree.target(node);
    }
  };
  visit(tree.root);
  return seen;
}

describe('corrupt snapshots', () => {
  it('accepts the good one, hash included', () => {
    const tree = decodeSnapshot(good, 1n, { sha256 });
    expect(walkAll(tree)).toBe(8);
    expect(listVia(new RoDir(tree, tree.root), 'sub').map(([n]) => n)).toEqual(['b.txt', 'deeper', 'link']);
  });

  it('refuses truncated, padded, foreign and future input with one line', () => {
    expect(decodeError(good.subarray(0, good.byteLength - 1))).toBe(
      `truncated snapshot: the header says ${good.byteLength} bytes, got ${good.byteLength - 1}`,
    );
    expect(decodeError(good.subarray(0, 40))).toBe('not a snapshot: 40 bytes is shorter than the 128-byte header');
    expect(decodeError(new Uint8Array(0))).toBe('not a snapshot: 0 bytes is shorter than the 128-byte header');
    const padded = new Uint8Array(good.byteLength + 3);
    padded.set(good);
    expect(decodeError(padded)).toBe(`corrupt snapshot: 3 bytes after its end (the header says ${good.byteLength})`);
    expect(decodeError(edited((b) => (b[0] = 0x7f)))).toBe('not a snapshot: bad magic bytes');
    expect(decodeError(new TextEncoder().encode('x'.repeat(200)))).toBe('not a snapshot: bad magic bytes');
    expect(decodeError(edited((_, v) => v.setUint32(H.version, 2, true)))).toBe(
      'snapshot format version 2 is not supported (this wasi-virt reads version 1)',
    );
    expect(decodeError(edited((_, v) => v.setUint32(H.flags, 6, true)))).toBe('corrupt snapshot: unknown flags 0x6');
    expect(decodeError(edited((_, v) => v.setUint32(H.fileCount, 9, true)))).toMatch(/^corrupt snapshot: 8 nodes but/);
    expect(decodeError(edited((_, v) => v.setUint32(H.nodeCount, 0x10000000, true)))).toMatch(/^corrupt snapshot:/);
    expect(decodeError(edited((_, v) => v.setUint32(H.stringsOffset + 4, 0xffffffff, true)))).toBe('corrupt snapshot: strings offset is out of range');
    expect(decodeError(edited((b) => (b[HEADER_SIZE] = 3)))).toBe('corrupt snapshot: root is neither a directory nor a file');
    expect(decodeError(edited((_, v) => v.setUint32(HEADER_SIZE + 16, 1000, true)))).toBe('corrupt snapshot: directory 0 has children out of range');
  });

  it('notices changed content only when asked to check the hash', () => {
    const bad = edited((b) => (b[b.byteLength - 10] ^= 0xff));
    expect(() => decodeSnapshot(bad, 1n)).not.toThrow();
    expect(decodeError(bad, { sha256 })).toBe(`corrupt snapshot: content does not match its hash ${readSnapshotHeader(good).hash}`);
  });

  it('turns a bad record met while the guest runs into an io error, not a host exception', () => {
    const tree0 = decodeSnapshot(good, 1n);
    const sub = tree0.lookup(0, 'sub');
    const subAt = HEADER_SIZE + sub * NODE_SIZE;
    // A directory claiming itself as its child: a cycle, refused rather than followed.
    const cyclic = decodeSnapshot(edited((_, v) => v.setUint32(subAt + 8, sub, true)), 1n);
    const root = new RoDir(cyclic, cyclic.root);
    expect(codeOf(() => listVia(root, 'sub'))).toBe('io');
    // A name pointing past the string table.
    const badName = decodeSnapshot(edited((_, v) => v.setUint32(subAt + 4, 0xfffffff0, true)), 1n);
    expect(codeOf(() => listVia(new RoDir(badName, 0), '.'))).toBe('io');
    // A file's contents pointing into the node table.
    const file = tree0.lookup(0, 'a.txt');
    const badData = decodeSnapshot(edited((_, v) => v.setUint32(HEADER_SIZE + file * NODE_SIZE + 8, 0, true)), 1n);
    expect(codeOf(() => badData.data(file))).toBe('io');
    // An unknown kind.
    const badKind = decodeSnapshot(edited((b) => (b[HEADER_SIZE + file * NODE_SIZE] = 9)), 1n);
    expect(codeOf(() => badKind.type(file))).toBe('io');
  });

  it('survives random damage: every failure is a SnapshotError or a WasiError', () => {
    // xorshift: a fixed seed keeps the run reproducible.
    let s = 0x9e3779b9;
    const rand = (n: number) => {
      s ^= s << 13; s >>>= 0;
      s ^= s >>> 17;
      s ^= s << 5; s >>>= 0;
      return s % n;
    };
    const header = readSnapshotHeader(good);
    const structure = header.data.offset; // header, node table, mtimes, strings
    const outcomes = { decoded: 0, refused: 0, ioDuringWalk: 0 };
    for (let round = 0; round < 3000; round++) {
      const b = Uint8Array.from(good);
      const flips = 1 + rand(4);
      for (let i = 0; i < flips; i++) {
        const at = round % 3 === 0 ? H.nodeCount + rand(HEADER_SIZE - H.nodeCount) : HEADER_SIZE + rand(structure - HEADER_SIZE);
        b[at] = rand(4) === 0 ? 0xff : rand(256);
      }
      let tree: SnapshotTree;
      try {
        tree = decodeSnapshot(b, 1n);
      } catch (e) {
        if (!(e instanceof SnapshotError)) throw e;
        outcomes.refused++;
        continue;
      }
      try {
        walkAll(tree);
        outcomes.decoded++;
      } catch (e) {
        if (!(e instanceof WasiError) || e.code !== 'io') throw e;
        outcomes.ioDuringWalk++;
      }
    }
    expect(outcomes.refused).toBeGreaterThan(0);
    expect(outcomes.ioDuringWalk).toBeGreaterThan(0);
    expect(outcomes.decoded).toBeGreaterThan(0);
  });
});
