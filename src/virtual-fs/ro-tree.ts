/**
 * Read-only trees: one pair of handle classes over any indexed tree, used for memory
 * entries (memory-tree.ts) and decoded snapshots (snapshot.ts). File reads are copies out
 * of a view into the tree's buffer; lookups are whatever the tree offers (both trees do a
 * binary search over sorted names, O(log n) per component). Every write is `rofs`, the
 * same code a read-only host preopen gives.
 */
import { fail } from './errors.js';
import { checkReadOnlyOpen, refuseReadOnly } from './read-only.js';
import {
  DirHandle, Handle,
  type DirEntry, type FileType, type OpenRequest, type Stat, type Walk, type Whence,
} from './handle.js';

export type RoNodeType = 'directory' | 'regular-file' | 'symbolic-link';

/** An immutable tree of numbered nodes. */
export interface RoTree {
  /** Device number reported by stat; distinct per mounted tree. */
  readonly dev: bigint;
  readonly root: number;
  type(node: number): RoNodeType;
  /** Child `name` of directory `dir`, or -1. */
  lookup(dir: number, name: string): number;
  /** Children of `dir`, sorted by name (byte order of UTF-8). */
  entries(dir: number): Iterable<[string, number]>;
  /** Contents of a regular file: a view, never a copy. */
  data(file: number): Uint8Array;
  /** Target of a symlink. */
  target(link: number): string;
  /** Modification time in ns (0n unless the tree records times). */
  mtime(node: number): bigint;
}

function statOf(tree: RoTree, node: number): Stat {
  const type = tree.type(node);
  const size =
    type === 'regular-file' ? BigInt(tree.data(node).byteLength)
    : type === 'symbolic-link' ? BigInt(new TextEncoder().encode(tree.target(node)).byteLength)
    : 0n;
  const t = tree.mtime(node);
  return { dev: tree.dev, ino: BigInt(node) + 1n, type, nlink: 1n, size, atim: t, mtim: t, ctim: t };
}

export class RoDir extends DirHandle {
  constructor(
    readonly tree: RoTree,
    readonly node: number,
  ) {
    super();
    this.readable = true;
  }

  override stat(): Stat { return statOf(this.tree, this.node); }
  override setTimes(): void { this.refuseWrite(); }

  override readdir(): DirEntry[] {
    const out: DirEntry[] = [];
    for (const [name, node] of this.tree.entries(this.node)) {
      out.push({ name, type: this.tree.type(node), ino: BigInt(node) + 1n });
    }
    return out;
  }

  private child(name: string): number {
    const n = this.tree.lookup(this.node, name);
    if (n < 0) fail('noent', `no such file or directory "${name}"`);
    return n;
  }

  walk(name: string): Walk {
    const n = this.child(name);
    const type = this.tree.type(n);
    if (type === 'directory') return { dir: new RoDir(this.tree, n) };
    if (type === 'symbolic-link') return { symlink: this.tree.target(n) };
    return fail('notdir', `"${name}" is not a directory`);
  }

  leafLink(name: string): string | undefined {
    const n = this.tree.lookup(this.node, name);
    return n >= 0 && this.tree.type(n) === 'symbolic-link' ? this.tree.target(n) : undefined;
  }

  override openAt(name: string, req: OpenRequest): Handle {
    const n = name === '.' ? this.node : this.tree.lookup(this.node, name);
    const type = n < 0 ? undefined : this.tree.type(n);
    checkReadOnlyOpen(name, type, req);
    return type === 'directory' ? new RoDir(this.tree, n) : new RoFile(this.tree, n);
  }

  override statAt(name: string): Stat {
    return name === '.' ? this.stat() : statOf(this.tree, this.child(name));
  }

  override readlinkAt(name: string): string {
    const n = this.child(name);
    if (this.tree.type(n) !== 'symbolic-link') fail('inval', `"${name}" is not a symlink`);
    return this.tree.target(n);
  }

  override sameDevice(other: DirHandle): boolean {
    return other instanceof RoDir && other.tree === this.tree;
  }
}

export class RoFile extends Handle {
  readonly fileType: FileType = 'regular-file';
  private readonly bytes: Uint8Array;
  /**
   * The cursor as a number: read is the hot path of a snapshot mount and BigInt arithmetic
   * there costs as much as a small copy. A seek past 2^53 (far beyond any file we hold)
   * is kept exactly in `farCursor` and reads as end of file.
   */
  private cursor = 0;
  private farCursor: bigint | undefined;

  constructor(
    readonly tree: RoTree,
    readonly node: number,
  ) {
    super();
    this.readable = true;
    this.bytes = tree.data(node);
  }

  override stat(): Stat { return statOf(this.tree, this.node); }

  override read(dst: Uint8Array, offset?: bigint): number {
    const size = this.bytes.length;
    const start = offset === undefined ? (this.farCursor === undefined ? this.cursor : size) : offset < BigInt(size) ? Number(offset) : size;
    if (start >= size) return 0;
    const n = Math.min(dst.length, size - start);
    dst.set(this.bytes.subarray(start, start + n));
    if (offset === undefined) this.cursor += n;
    return n;
  }

  override write(): number { return fail('badf', 'file is open read-only'); }

  override seek(offset: bigint, whence: Whence): bigint {
    const current = this.farCursor ?? BigInt(this.cursor);
    const base = whence === 'set' ? 0n : whence === 'cur' ? current : BigInt(this.bytes.length);
    const next = base + offset;
    if (next < 0n) fail('inval', 'seek before the start of the file');
    if (next <= BigInt(Number.MAX_SAFE_INTEGER)) {
      this.cursor = Number(next);
      this.farCursor = undefined;
    } else {
      this.farCursor = next;
    }
    return next;
  }

  override setSize(): void { refuseReadOnly(); }
  override allocate(): void { refuseReadOnly(); }
  override setTimes(): void { refuseReadOnly(); }
}
