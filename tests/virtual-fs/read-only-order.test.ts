/**
 * Every read-only place refuses an open in one order (src/virtual-fs/read-only.ts): the
 * empty directories between nested mounts and single mounted files answer each request
 * with the code a read-only tree gives for the same situation. (Read-only host preopens
 * are held to the same tree in host-readonly.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import type { OpenRequest } from '../../src/virtual-fs/handle.js';
import { MemoryTree } from '../../src/virtual-fs/memory-tree.js';
import { EmptyDir } from '../../src/virtual-fs/mount-table.js';
import { RoDir } from '../../src/virtual-fs/ro-tree.js';
import { RoFileMount } from '../../src/virtual-fs/snapshot.js';
import { codeOf } from '../helpers/codes.js';

const REQUESTS: OpenRequest[] = [
  {}, { read: true }, { directory: true },
  { create: true }, { create: true, exclusive: true }, { exclusive: true },
  { create: true, truncate: true, write: true }, { truncate: true }, { write: true }, { append: true },
  { read: true, write: true }, { write: true, directory: true }, { create: true, directory: true },
];

describe('one refusal order for read-only opens', () => {
  it('an empty directory between mounts answers as an empty read-only tree', () => {
    const tree = new RoDir(MemoryTree.fromEntries({}, 1n), 0);
    const empty = new EmptyDir(7n);
    for (const name of ['.', 'nope']) {
      for (const req of REQUESTS) {
        expect(codeOf(() => empty.openAt(name, req)), `${name} ${JSON.stringify(req)}`).toBe(codeOf(() => tree.openAt(name, req)));
      }
    }
  });

  it('a mounted file answers as the same file in a read-only tree', () => {
    const tree = MemoryTree.fromEntries({ 'f.txt': { source: 'F' } }, 1n);
    const dir = new RoDir(tree, 0);
    const file = new RoFileMount(tree, tree.lookup(0, 'f.txt'));
    for (const req of REQUESTS) {
      expect(codeOf(() => file.open(req)), JSON.stringify(req)).toBe(codeOf(() => dir.openAt('f.txt', req)));
    }
  });
});
