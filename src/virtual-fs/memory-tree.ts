/**
 * Memory entries from a policy (`dir`, `source`, `file`, `symlink`) as a read-only tree.
 * Entries of the other kinds (`virtualize`, `runtime-file`, `runtime-dir`) are not
 * memory: they are handed to `onMount` with their path so the caller mounts a snapshot
 * or a host directory there, at any depth.
 */
import type { FsEntry } from '../policy/types.js';
import { compareNames, isPlainName, searchNames } from '../util/names.js';
import type { RoNodeType, RoTree } from './ro-tree.js';

interface Node {
  type: RoNodeType;
  names?: string[];
  kids?: number[];
  data?: Uint8Array;
  target?: string;
}

const encoder = new TextEncoder();

export class MemoryTree implements RoTree {
  readonly root = 0;
  private readonly nodes: Node[] = [];

  constructor(readonly dev: bigint) {
    this.nodes.push({ type: 'directory', names: [], kids: [] });
  }

  /**
   * Build from the entries of a `dir`. `onMount(path, entry)` receives each mount-kind
   * entry with its components relative to this tree's root; the tree holds an empty
   * directory there so listings show it (the mount table puts the real thing on top).
   */
  static fromEntries(
    entries: Record<string, FsEntry>,
    dev: bigint,
    onMount: (path: string[], entry: FsEntry) => void = () => {
      throw new Error('mount entries need a host');
    },
  ): MemoryTree {
    const tree = new MemoryTree(dev);
    tree.fill(0, entries, [], onMount);
    return tree;
  }

  private fill(dir: number, entries: Record<string, FsEntry>, at: string[], onMount: (p: string[], e: FsEntry) => void): void {
    const names = Object.keys(entries).sort(compareNames);
    const kids: number[] = [];
    for (const name of names) {
      if (!isPlainName(name)) throw new Error(`invalid file name "${name}" at "/${at.join('/')}"`);
      const entry = entries[name]!;
      const path = [...at, name];
      const id = this.nodes.length;
      if ('dir' in entry) {
        this.nodes.push({ type: 'directory', names: [], kids: [] });
        this.fill(id, entry.dir, path, onMount);
      } else if ('source' in entry) {
        this.nodes.push({ type: 'regular-file', data: encoder.encode(entry.source) });
      } else if ('file' in entry) {
        this.nodes.push({ type: 'regular-file', data: Uint8Array.from(entry.file) });
      } else if ('symlink' in entry) {
        this.nodes.push({ type: 'symbolic-link', target: entry.symlink });
      } else {
        onMount(path, entry);
        const isFile = 'runtime-file' in entry;
        this.nodes.push(isFile ? { type: 'regular-file', data: new Uint8Array(0) } : { type: 'directory', names: [], kids: [] });
      }
      kids.push(id);
    }
    this.nodes[dir]!.names = names;
    this.nodes[dir]!.kids = kids;
  }

  type(node: number): RoNodeType { return this.nodes[node]!.type; }

  lookup(dir: number, name: string): number {
    const n = this.nodes[dir]!;
    const i = searchNames(n.names!, name);
    return i < 0 ? -1 : n.kids![i]!;
  }

  *entries(dir: number): Iterable<[string, number]> {
    const n = this.nodes[dir]!;
    for (let i = 0; i < n.names!.length; i++) yield [n.names![i]!, n.kids![i]!];
  }

  data(file: number): Uint8Array { return this.nodes[file]!.data!; }
  target(link: number): string { return this.nodes[link]!.target!; }
  mtime(): bigint { return 0n; }
}
