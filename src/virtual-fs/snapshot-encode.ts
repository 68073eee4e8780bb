/**
 * Snapshot encoding: a tree of directories, files and symlinks into one buffer laid out
 * as docs/snapshot-format.md says. Platform-neutral: the SHA-256 is injected (the Node
 * builder passes node:crypto), and file contents may be filled in place by a callback so
 * a builder reads host files straight into the final buffer with no intermediate copy.
 */
import { compareNames, isPlainName } from '../util/names.js';
import {
  alignUp, writeU64, toHex, SnapshotError,
  BIG_FILE, FILE_ALIGN, FLAG_MTIMES, H, HEADER_SIZE, KIND_DIR, KIND_FILE, KIND_SYMLINK,
  MAGIC, MAX_NAME_BYTES, MAX_NODES, NODE_SIZE, PAGE, VERSION,
} from './snapshot-format.js';

export interface EncodeDir {
  kind: 'directory';
  /** Any order; the encoder sorts by name (src/util/names.ts). */
  children: Iterable<[string, EncodeNode]>;
  mtime?: bigint;
}

export interface EncodeFile {
  kind: 'regular-file';
  size: number;
  /** The contents; when absent, `EncodeOptions.read` fills them. */
  bytes?: Uint8Array;
  mtime?: bigint;
}

export interface EncodeLink {
  kind: 'symbolic-link';
  target: string;
  mtime?: bigint;
}

export type EncodeNode = EncodeDir | EncodeFile | EncodeLink;

export interface EncodeOptions {
  /** SHA-256 of `body` (32 bytes). */
  sha256(body: Uint8Array): Uint8Array;
  /** Record each node's `mtime` (0 where a node has none). Off by default: no host metadata. */
  mtimes?: boolean;
  /** Fill `into` (exactly `file.size` bytes) for a file given without `bytes`. */
  read?(file: EncodeFile, into: Uint8Array): void;
  /** The largest buffer the runtime can allocate (Node: buffer.constants.MAX_LENGTH). */
  maxBytes?: number;
}

export interface EncodedSnapshot {
  bytes: Uint8Array;
  /** Lowercase hex SHA-256 of everything after the header. */
  hash: string;
  files: number;
  dirs: number;
  symlinks: number;
  contentBytes: number;
}

const encoder = new TextEncoder();

interface Laid {
  node: EncodeNode;
  name: Uint8Array;
  /** Directories: index of the first child, child count. */
  first: number;
  count: number;
  /** Files: absolute offset of the contents. Symlinks: target bytes. */
  offset: number;
  target?: Uint8Array;
}

/** Guest-style path of a directory, for messages. */
function join(dir: string, name: string): string {
  return dir === '/' ? `/${name}` : `${dir}/${name}`;
}

export function encodeSnapshot(root: EncodeNode, options: EncodeOptions): EncodedSnapshot {
  if (root.kind === 'symbolic-link') throw new SnapshotError('the root of a snapshot must be a directory or a file, not a symlink');

  // Breadth-first numbering: every directory's children get consecutive indices after
  // their parent's, so a child table is a range of the node table.
  const laid: Laid[] = [{ node: root, name: new Uint8Array(0), first: 0, count: 0, offset: 0 }];
  const dirPaths = new Map<number, string>([[0, '/']]);
  let dirs = 0;
  let files = 0;
  let symlinks = 0;
  let stringBytes = 0;
  for (let i = 0; i < laid.length; i++) {
    const entry = laid[i]!;
    const node = entry.node;
    if (node.kind === 'directory') {
      dirs++;
      const path = dirPaths.get(i)!;
      dirPaths.delete(i);
      const kids = [...node.children].sort((a, b) => compareNames(a[0], b[0]));
      entry.first = kids.length > 0 ? laid.length : 0;
      entry.count = kids.length;
      for (let k = 0; k < kids.length; k++) {
        const [name, child] = kids[k]!;
        if (!isPlainName(name)) throw new SnapshotError(`invalid file name ${JSON.stringify(name)} in "${path}"`);
        if (k > 0 && kids[k - 1]![0] === name) throw new SnapshotError(`two entries named ${JSON.stringify(name)} in "${path}"`);
        const bytes = encoder.encode(name);
        if (bytes.byteLength > MAX_NAME_BYTES) throw new SnapshotError(`file name longer than ${MAX_NAME_BYTES} bytes in "${path}"`);
        if (child.kind === 'directory') dirPaths.set(laid.length, join(path, name));
        laid.push({ node: child, name: bytes, first: 0, count: 0, offset: 0 });
        stringBytes += bytes.byteLength;
      }
      if (laid.length > MAX_NODES) throw new SnapshotError(`more than ${MAX_NODES} entries`);
    } else if (node.kind === 'regular-file') {
      files++;
    } else {
      symlinks++;
      entry.target = encoder.encode(node.target);
      stringBytes += entry.target.byteLength;
    }
  }

  const n = laid.length;
  const mtimes = options.mtimes === true;
  const stringsOffset = HEADER_SIZE + n * NODE_SIZE + (mtimes ? n * 8 : 0);
  const dataOffset = alignUp(stringsOffset + stringBytes, FILE_ALIGN);
  let end = dataOffset;
  let contentBytes = 0;
  for (const entry of laid) {
    if (entry.node.kind !== 'regular-file') continue;
    const size = entry.node.size;
    if (!Number.isSafeInteger(size) || size < 0) throw new SnapshotError(`invalid file size ${size}`);
    if (entry.node.bytes && entry.node.bytes.byteLength !== size) throw new SnapshotError('file size does not match its bytes');
    entry.offset = alignUp(end, size >= BIG_FILE ? PAGE : FILE_ALIGN);
    end = entry.offset + size;
    contentBytes += size;
  }
  const total = end;
  const limit = options.maxBytes ?? Number.MAX_SAFE_INTEGER;
  if (total > limit) {
    throw new SnapshotError(`snapshot would be ${total} bytes, more than the ${limit} this runtime can hold in one buffer`);
  }

  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(total); // zero-filled, so padding is deterministic
  } catch {
    throw new SnapshotError(`cannot allocate a ${total}-byte snapshot buffer`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

  bytes.set(MAGIC, H.magic);
  view.setUint32(H.version, VERSION, true);
  view.setUint32(H.flags, mtimes ? FLAG_MTIMES : 0, true);
  writeU64(view, H.totalLength, total);
  view.setUint32(H.nodeCount, n, true);
  view.setUint32(H.dirCount, dirs, true);
  view.setUint32(H.fileCount, files, true);
  view.setUint32(H.symlinkCount, symlinks, true);
  writeU64(view, H.contentBytes, contentBytes);
  writeU64(view, H.stringsOffset, stringsOffset);
  writeU64(view, H.stringsLength, stringBytes);
  writeU64(view, H.dataOffset, dataOffset);
  writeU64(view, H.dataLength, total - dataOffset);
  writeU64(view, H.mtimesOffset, mtimes ? HEADER_SIZE + n * NODE_SIZE : 0);

  let str = 0; // relative to the string table
  for (let i = 0; i < n; i++) {
    const entry = laid[i]!;
    const node = entry.node;
    const at = HEADER_SIZE + i * NODE_SIZE;
    bytes.set(entry.name, stringsOffset + str);
    view.setUint16(at + 2, entry.name.byteLength, true);
    view.setUint32(at + 4, str, true);
    str += entry.name.byteLength;
    if (node.kind === 'directory') {
      bytes[at] = KIND_DIR;
      writeU64(view, at + 8, entry.first);
      writeU64(view, at + 16, entry.count);
    } else if (node.kind === 'regular-file') {
      bytes[at] = KIND_FILE;
      writeU64(view, at + 8, entry.offset);
      writeU64(view, at + 16, node.size);
    } else {
      bytes[at] = KIND_SYMLINK;
      bytes.set(entry.target!, stringsOffset + str);
      writeU64(view, at + 8, str);
      writeU64(view, at + 16, entry.target!.byteLength);
      str += entry.target!.byteLength;
    }
    if (mtimes) view.setBigInt64(HEADER_SIZE + n * NODE_SIZE + i * 8, node.mtime ?? 0n, true);
  }

  for (const entry of laid) {
    const node = entry.node;
    if (node.kind !== 'regular-file') continue;
    const into = bytes.subarray(entry.offset, entry.offset + node.size);
    if (node.bytes) into.set(node.bytes);
    else if (options.read) options.read(node, into);
    else if (node.size > 0) throw new SnapshotError('a file has neither bytes nor a read callback');
  }

  const digest = options.sha256(bytes.subarray(HEADER_SIZE));
  if (digest.byteLength !== 32) throw new SnapshotError('sha256 must return 32 bytes');
  bytes.set(digest, H.hash);
  return { bytes, hash: toHex(digest), files, dirs, symlinks, contentBytes };
}
