/**
 * The snapshot format pinned to its documentation: the worked example in
 * docs/snapshot-format.md is encoded and compared byte for byte with the hex dump there.
 * Round-trip tests cannot catch a field written at the wrong offset when the decoder reads
 * it from the same wrong offset; this one can (the bytes are what other tools read).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSnapshotHeader } from '../../src/virtual-fs/snapshot.js';
import { encodeSnapshot, type EncodeNode } from '../../src/virtual-fs/snapshot-encode.js';
import { ROOT } from '../helpers/guests.js';

const text = (s: string): EncodeNode => ({ kind: 'regular-file', size: s.length, bytes: new TextEncoder().encode(s) });

/** The example's tree: `a.txt`, `docs/b.md` and `readme -> docs/b.md`. */
const EXAMPLE: EncodeNode = {
  kind: 'directory',
  children: [
    ['readme', { kind: 'symbolic-link', target: 'docs/b.md' }],
    ['docs', { kind: 'directory', children: [['b.md', text('# b\n')]] }],
    ['a.txt', text('hi\n')],
  ],
};

interface Row { offset: number; head: number[]; elided?: '..' | '...'; tail: number[] }

/**
 * The dump's rows. A row ending in `..` repeats its last byte up to the next row; a row
 * with `...` in it shows the first and last bytes of a run that ends where the next row
 * starts (the SHA-256).
 */
function dumpRows(): Row[] {
  const doc = readFileSync(join(ROOT, 'docs', 'snapshot-format.md'), 'utf8');
  const block = doc.split('### Worked example')[1]!.split('```')[1]!;
  const rows: Row[] = [];
  for (const line of block.split('\n')) {
    const m = /^([0-9a-f]{4}): ((?:[0-9a-f]{2}|\.\.\.?)(?: (?:[0-9a-f]{2}|\.\.\.?))*)/.exec(line);
    if (!m) continue;
    const row: Row = { offset: Number.parseInt(m[1]!, 16), head: [], tail: [] };
    for (const tok of m[2]!.split(' ')) {
      if (tok === '..' || tok === '...') row.elided = tok;
      else (row.elided ? row.tail : row.head).push(Number.parseInt(tok, 16));
    }
    rows.push(row);
  }
  return rows;
}

describe('snapshot bytes', () => {
  const rows = dumpRows();
  const built = encodeSnapshot(EXAMPLE, { sha256: (b) => new Uint8Array(createHash('sha256').update(b).digest()) });
  const bytes = built.bytes;

  it('the documented dump is read whole', () => {
    expect(rows.length).toBe(19);
    expect(rows.at(-1)!.offset + rows.at(-1)!.head.length).toBe(308);
  });

  it('encoding the example gives exactly the documented bytes', () => {
    expect(bytes.length).toBe(rows.at(-1)!.offset + rows.at(-1)!.head.length);
    rows.forEach((row, i) => {
      const end = rows[i + 1]?.offset ?? bytes.length;
      expect([...bytes.subarray(row.offset, row.offset + row.head.length)], `row ${row.offset.toString(16)}`).toEqual(row.head);
      if (row.elided === '..') {
        const fill = row.head.at(-1)!;
        expect([...bytes.subarray(row.offset + row.head.length, end)].every((b) => b === fill), `row ${row.offset.toString(16)}`).toBe(true);
      } else if (row.elided === '...') {
        expect([...bytes.subarray(end - row.tail.length, end)], `row ${row.offset.toString(16)} tail`).toEqual(row.tail);
      } else {
        expect(row.offset + row.head.length, `row ${row.offset.toString(16)} is whole`).toBe(end);
      }
    });
  });

  // The example has as many directories as files, so it cannot tell their two counts apart.
  it('each count sits at its own offset (nodes 24, directories 28, files 32, symlinks 36)', () => {
    const tree: EncodeNode = {
      kind: 'directory',
      children: [['x', text('1')], ['y', text('2')], ['z', text('3')], ['l', { kind: 'symbolic-link', target: 'x' }]],
    };
    const b = encodeSnapshot(tree, { sha256: () => new Uint8Array(32) }).bytes;
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    expect([24, 28, 32, 36].map((o) => dv.getUint32(o, true))).toEqual([5, 1, 3, 1]);
    const h = readSnapshotHeader(b);
    expect([h.nodes, h.dirs, h.files, h.symlinks]).toEqual([5, 1, 3, 1]);
  });
});
