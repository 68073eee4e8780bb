import { createHash, randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolve } from '../../src/virtual-fs/resolver.js';
import { RoDir } from '../../src/virtual-fs/ro-tree.js';
import { buildSnapshot } from '../../src/virtual-fs/snapshot-builder.js';
import { PAGE } from '../../src/virtual-fs/snapshot-format.js';
import { decodeSnapshot } from '../../src/virtual-fs/snapshot.js';
import { cleanup, listVia, tempDir } from './snapshot-helpers.js';

afterAll(cleanup);

const quiet = { onProgress: () => {} };

describe('large snapshots', () => {
  it('carries a 64 MiB file byte for byte, as a page-aligned view', () => {
    const dir = tempDir();
    const path = join(dir, 'big.bin');
    const want = createHash('sha256');
    const fd = openSync(path, 'w');
    for (let i = 0; i < 64; i++) {
      const chunk = randomBytes(1 << 20);
      want.update(chunk);
      writeSync(fd, chunk);
    }
    closeSync(fd);
    writeFileSync(join(dir, 'small.txt'), 'small');

    const built = buildSnapshot({ path: dir, ...quiet });
    expect(built.contentBytes).toBe(64 * 2 ** 20 + 5);
    const tree = decodeSnapshot(built.bytes, 1n);
    const root = new RoDir(tree, tree.root);
    const got = createHash('sha256');
    resolve(root, 'big.bin', { follow: true }, (d, n) => {
      const h = d.openAt(n, { read: true });
      const buf = new Uint8Array(1 << 20);
      let total = 0;
      for (let k; (k = h.read(buf)) > 0; total += k) got.update(buf.subarray(0, k));
      expect(total).toBe(64 * 2 ** 20);
      h.close();
    });
    expect(got.digest('hex')).toBe(want.digest('hex'));
    const view = tree.data(tree.lookup(tree.root, 'big.bin'));
    expect(view.buffer).toBe(built.bytes.buffer);
    expect(view.byteOffset % PAGE).toBe(0);
  });

  it('holds a tree of 10,000 files, every one readable and listed in order', () => {
    const dir = tempDir();
    const content = (d: number, f: number) => `file ${f} of dir ${d}\n`.repeat(1 + ((d * 31 + f) % 5));
    for (let d = 0; d < 100; d++) {
      const sub = join(dir, `dir-${String(d).padStart(3, '0')}`);
      mkdirSync(sub);
      for (let f = 0; f < 100; f++) writeFileSync(join(sub, `f${f}.txt`), content(d, f));
    }
    const built = buildSnapshot({ path: dir, ...quiet });
    expect([built.files, built.dirs, built.symlinks]).toEqual([10_000, 101, 0]);

    const tree = decodeSnapshot(built.bytes, 1n);
    const root = new RoDir(tree, tree.root);
    const dirs = listVia(root, '.');
    expect(dirs).toHaveLength(100);
    const dec = new TextDecoder();
    let seen = 0;
    for (let d = 0; d < 100; d++) {
      const names = listVia(root, dirs[d]![0]).map(([n]) => n);
      expect(names).toEqual(Array.from({ length: 100 }, (_, f) => `f${f}.txt`).sort());
      for (let f = 0; f < 100; f++) {
        const node = tree.lookup(tree.lookup(tree.root, dirs[d]![0]), `f${f}.txt`);
        expect(dec.decode(tree.data(node))).toBe(content(d, f));
        seen++;
      }
    }
    expect(seen).toBe(10_000);
  });
});
