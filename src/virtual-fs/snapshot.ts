/**
 * Snapshot decoding (format: docs/snapshot-format.md). Decoding reads and checks the
 * header only, O(1): the tree answers straight from the buffer, so a lookup is a binary
 * search over a directory's range of the node table (O(log n) per component, comparing
 * the guest's name against the stored UTF-8 without encoding it) and file contents are
 * `subarray` views, never copies. Each node record is bounds-checked when read, so
 * corrupt input gives an error, never a read outside a section; a corrupt record found
 * while the guest runs is an `io` WasiError. Platform-neutral.
 */
import { fail, WasiError } from './errors.js';
import type { OpenRequest, Stat } from './handle.js';
import type { FileMount } from './mount-table.js';
import { checkReadOnlyOpen } from './read-only.js';
import { RoDir, RoFile, type RoNodeType, type RoTree } from './ro-tree.js';
import {
  readSnapshotHeader, readU64, toHex, SnapshotError, type SnapshotHeader,
  HEADER_SIZE, KIND_DIR, KIND_FILE, KIND_SYMLINK, NODE_SIZE,
} from './snapshot-format.js';

export { readSnapshotHeader, SnapshotError, type SnapshotHeader } from './snapshot-format.js';

export interface DecodeOptions {
  /**
   * Check the content hash with this SHA-256 (O(size)); a mismatch is a SnapshotError.
   * Without it nothing is hashed: the bounds checks already keep corrupt input from
   * reading outside the buffer, and the hash is for identity and tamper checks.
   */
  sha256?(body: Uint8Array): Uint8Array;
}

const decoder = new TextDecoder();

function corrupt(what: string): never {
  return fail('io', `corrupt snapshot: ${what}`);
}

/** A decoded snapshot: an RoTree over the one buffer it was given. */
export class SnapshotTree implements RoTree {
  readonly root = 0;
  private readonly view: DataView;
  private readonly n: number;
  private readonly strings: number;
  private readonly stringsEnd: number;
  private readonly dataStart: number;
  private readonly dataEnd: number;
  private readonly mtimes: number;

  constructor(
    private readonly bytes: Uint8Array,
    readonly dev: bigint,
    readonly header: SnapshotHeader,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.n = header.nodes;
    this.strings = header.strings.offset;
    this.stringsEnd = header.strings.offset + header.strings.length;
    this.dataStart = header.data.offset;
    this.dataEnd = header.data.offset + header.data.length;
    this.mtimes = header.mtimesOffset;
  }

  private at(node: number): number {
    if (!(node >= 0 && node < this.n) || node !== Math.floor(node)) corrupt(`node ${node} out of range`);
    return HEADER_SIZE + node * NODE_SIZE;
  }

  type(node: number): RoNodeType {
    const kind = this.bytes[this.at(node)];
    if (kind === KIND_DIR) return 'directory';
    if (kind === KIND_FILE) return 'regular-file';
    if (kind === KIND_SYMLINK) return 'symbolic-link';
    return corrupt(`node ${node} has kind ${kind}`);
  }

  /** The child range [first, end) of directory `dir`. */
  private children(dir: number): [number, number] {
    const at = this.at(dir);
    if (this.bytes[at] !== KIND_DIR) corrupt(`node ${dir} is not a directory`);
    const count = readField(this.view, at + 16);
    if (count === 0) return [0, 0];
    const first = readField(this.view, at + 8);
    // Children always come after their parent: no cycles, however the input is forged.
    if (first <= dir || first + count > this.n) corrupt(`directory ${dir} has children out of range`);
    return [first, first + count];
  }

  /** Absolute offset of the `len`-byte name of the node whose record is at `at`. */
  private nameStart(at: number, len: number): number {
    const start = this.strings + this.view.getUint32(at + 4, true);
    if (start + len > this.stringsEnd) corrupt('name out of range');
    return start;
  }

  lookup(dir: number, name: string): number {
    // The hot path of every guest path: children() inlined, no tuple allocated.
    const bytes = this.bytes;
    const view = this.view;
    const rec = this.at(dir);
    if (bytes[rec] !== KIND_DIR) corrupt(`node ${dir} is not a directory`);
    if (view.getUint32(rec + 20, true) !== 0 || view.getUint32(rec + 12, true) !== 0) corrupt(`directory ${dir} has children out of range`);
    const count = view.getUint32(rec + 16, true);
    if (count === 0) return -1;
    let lo = view.getUint32(rec + 8, true);
    let hi = lo + count - 1;
    if (lo <= dir || hi >= this.n) corrupt(`directory ${dir} has children out of range`);
    const strings = this.strings;
    const stringsEnd = this.stringsEnd;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const at = HEADER_SIZE + mid * NODE_SIZE;
      const len = view.getUint16(at + 2, true);
      const start = strings + view.getUint32(at + 4, true);
      if (start + len > stringsEnd) corrupt('name out of range');
      const c = compareUtf8(bytes, start, len, name);
      if (c === 0) return mid;
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  *entries(dir: number): Iterable<[string, number]> {
    const [first, end] = this.children(dir);
    for (let i = first; i < end; i++) yield [this.name(i), i];
  }

  /** The name of `node` within its directory ('' for the root). */
  name(node: number): string {
    const at = this.at(node);
    const len = this.view.getUint16(at + 2, true);
    return decodeUtf8(this.bytes, this.nameStart(at, len), len);
  }

  data(file: number): Uint8Array {
    const at = this.at(file);
    if (this.bytes[at] !== KIND_FILE) corrupt(`node ${file} is not a file`);
    const offset = readField(this.view, at + 8);
    const size = readField(this.view, at + 16);
    if (offset < this.dataStart || offset + size > this.dataEnd) corrupt(`file ${file} out of range`);
    return this.bytes.subarray(offset, offset + size);
  }

  target(link: number): string {
    const at = this.at(link);
    if (this.bytes[at] !== KIND_SYMLINK) corrupt(`node ${link} is not a symlink`);
    const start = this.strings + readField(this.view, at + 8);
    const len = readField(this.view, at + 16);
    if (start + len > this.stringsEnd) corrupt(`symlink ${link} out of range`);
    return decodeUtf8(this.bytes, start, len);
  }

  mtime(node: number): bigint {
    if (this.mtimes === 0) return 0n;
    this.at(node);
    return this.view.getBigInt64(this.mtimes + node * 8, true);
  }
}

function readField(view: DataView, at: number): number {
  try {
    return readU64(view, at, 'field');
  } catch {
    return corrupt('field out of range');
  }
}

/**
 * Decode a snapshot for mounting as device `dev`. O(1): only the header is read (and,
 * with `options.sha256`, the whole buffer hashed). Bad input is a one-line SnapshotError.
 */
export function decodeSnapshot(bytes: Uint8Array, dev: bigint, options: DecodeOptions = {}): SnapshotTree {
  const header = readSnapshotHeader(bytes);
  if (options.sha256 && !hashMatches(bytes, options.sha256)) {
    throw new SnapshotError(`corrupt snapshot: content does not match its hash ${header.hash}`);
  }
  const tree = new SnapshotTree(bytes, dev, header);
  if (header.rootType === 'directory') {
    try {
      tree.entries(0)[Symbol.iterator]().next(); // the root's child range, checked now rather than at first use
    } catch (e) {
      if (e instanceof WasiError) throw new SnapshotError(e.detail ?? e.message);
      throw e;
    }
  }
  return tree;
}

/** True when the stored SHA-256 matches the content (every byte after the header). */
export function hashMatches(bytes: Uint8Array, sha256: (body: Uint8Array) => Uint8Array): boolean {
  const header = readSnapshotHeader(bytes);
  return toHex(sha256(bytes.subarray(HEADER_SIZE))) === header.hash;
}

/**
 * What a snapshot mounts as: its root directory, or, for a snapshot of a single file
 * (`--mount /guest/file.txt=./file.txt`), that file.
 */
export function snapshotRoot(tree: RoTree): RoDir | FileMount {
  return tree.type(tree.root) === 'directory' ? new RoDir(tree, tree.root) : new RoFileMount(tree, tree.root);
}

/** A read-only file from a tree, mounted on its own at a guest path. */
export class RoFileMount implements FileMount {
  constructor(
    readonly tree: RoTree,
    readonly node: number,
  ) {}

  open(req: OpenRequest): RoFile {
    checkReadOnlyOpen('', 'regular-file', req, 'the mounted file');
    return new RoFile(this.tree, this.node);
  }

  stat(): Stat {
    return new RoFile(this.tree, this.node).stat();
  }
}

/**
 * Compare the stored UTF-8 `bytes[start, start+len)` with `name`, encoding `name` on
 * the fly (lone surrogates as U+FFFD, as TextEncoder does). Byte order of UTF-8 is code
 * point order, the order compareNames sorts by. Returns <0, 0, >0 as stored vs name.
 */
export function compareUtf8(bytes: Uint8Array, start: number, len: number, name: string): number {
  let j = 0;
  const n = name.length;
  for (let i = 0; i < n; i++) {
    let c = name.charCodeAt(i);
    if (c < 0x80) {
      if (j === len) return -1;
      const b = bytes[start + j++]!;
      if (b !== c) return b - c;
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = i + 1 < n ? name.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      } else {
        c = 0xfffd;
      }
    }
    // Encode c (>= 0x80) and compare its bytes one by one.
    let count: number;
    let lead: number;
    if (c < 0x800) { count = 1; lead = 0xc0 | (c >> 6); }
    else if (c < 0x10000) { count = 2; lead = 0xe0 | (c >> 12); }
    else { count = 3; lead = 0xf0 | (c >> 18); }
    if (j === len) return -1;
    let b = bytes[start + j++]!;
    if (b !== lead) return b - lead;
    for (let k = count - 1; k >= 0; k--) {
      const cont = 0x80 | ((c >> (6 * k)) & 0x3f);
      if (j === len) return -1;
      b = bytes[start + j++]!;
      if (b !== cont) return b - cont;
    }
  }
  return j < len ? 1 : 0;
}

function decodeUtf8(bytes: Uint8Array, start: number, len: number): string {
  // Most names are short ASCII; building them directly beats TextDecoder's call overhead.
  if (len <= 64) {
    let s = '';
    for (let i = start; i < start + len; i++) {
      const b = bytes[i]!;
      if (b >= 0x80) return decodeSlow(bytes, start, len);
      s += String.fromCharCode(b);
    }
    return s;
  }
  return decodeSlow(bytes, start, len);
}

function decodeSlow(bytes: Uint8Array, start: number, len: number): string {
  const view = bytes.subarray(start, start + len);
  // TextDecoder refuses views of shared memory; a snapshot may live in one.
  const shared = typeof SharedArrayBuffer !== 'undefined' && bytes.buffer instanceof SharedArrayBuffer;
  return decoder.decode(shared ? view.slice() : view);
}
