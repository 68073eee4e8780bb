/**
 * The snapshot format's constants, its error class and its header, shared by the encoder
 * (snapshot-encode.ts), the decoder (snapshot.ts) and tools (`inspect`). Byte layout:
 * docs/snapshot-format.md. Platform-neutral.
 */

/** `\x89WVSNAP\n`: the high first byte and the newline catch text-mode transfers, as PNG's do. */
export const MAGIC = Uint8Array.of(0x89, 0x57, 0x56, 0x53, 0x4e, 0x41, 0x50, 0x0a);
export const VERSION = 1;
export const HEADER_SIZE = 128;
export const NODE_SIZE = 24;

/** Header flag: an i64 mtime (ns) per node follows the node table. */
export const FLAG_MTIMES = 1;
const KNOWN_FLAGS = FLAG_MTIMES;

export const KIND_DIR = 1;
export const KIND_FILE = 2;
export const KIND_SYMLINK = 3;

/** Every file starts at a multiple of this... */
export const FILE_ALIGN = 16;
/** ...and a file at least BIG_FILE bytes long at a multiple of PAGE (page-aligned copies). */
export const PAGE = 4096;
export const BIG_FILE = 64 * 1024;

/** Name lengths are u16 in the node table (Linux allows 255 bytes). */
export const MAX_NAME_BYTES = 0xffff;
/** Node indices are u32. */
export const MAX_NODES = 0xffffffff;

/** Header field offsets. */
export const H = {
  magic: 0,
  version: 8,
  flags: 12,
  totalLength: 16,
  nodeCount: 24,
  dirCount: 28,
  fileCount: 32,
  symlinkCount: 36,
  contentBytes: 40,
  stringsOffset: 48,
  stringsLength: 56,
  dataOffset: 64,
  dataLength: 72,
  mtimesOffset: 80,
  reserved: 88,
  hash: 96,
} as const;

/** A snapshot that cannot be built or decoded; the message is one line naming the culprit. */
export class SnapshotError extends Error {
  readonly userFacing = true;
  override name = 'SnapshotError';
}

export interface SnapshotHeader {
  version: number;
  /** Lowercase hex SHA-256 of every byte after the header (as stored; see verifySnapshot). */
  hash: string;
  totalBytes: number;
  nodes: number;
  dirs: number;
  files: number;
  symlinks: number;
  /** Sum of the regular files' sizes. */
  contentBytes: number;
  /** The snapshot records modification times. */
  mtimes: boolean;
  /** A single-file snapshot has a regular file at its root. */
  rootType: 'directory' | 'regular-file';
  strings: { offset: number; length: number };
  data: { offset: number; length: number };
  /** Offset of the mtime table, or 0. */
  mtimesOffset: number;
}

export function alignUp(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}

/** A u64 field as a safe integer; larger values only appear in corrupt input. */
export function readU64(view: DataView, at: number, what: string): number {
  const lo = view.getUint32(at, true);
  const hi = view.getUint32(at + 4, true);
  if (hi > 0x1fffff) throw new SnapshotError(`corrupt snapshot: ${what} is out of range`);
  return hi * 0x1_0000_0000 + lo;
}

export function writeU64(view: DataView, at: number, value: number): void {
  view.setUint32(at, value % 0x1_0000_0000, true);
  view.setUint32(at + 4, Math.floor(value / 0x1_0000_0000), true);
}

export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += (b < 16 ? '0' : '') + b.toString(16);
  return s;
}

/**
 * Read and check the header: magic, version, flags, the length against the buffer, and
 * that every section lies inside it in order. O(1); the node records themselves are
 * checked when they are read (snapshot.ts).
 */
export function readSnapshotHeader(bytes: Uint8Array): SnapshotHeader {
  if (!(bytes instanceof Uint8Array)) throw new SnapshotError('a snapshot must be a Uint8Array');
  if (bytes.byteLength < HEADER_SIZE) {
    throw new SnapshotError(`not a snapshot: ${bytes.byteLength} bytes is shorter than the ${HEADER_SIZE}-byte header`);
  }
  for (let i = 0; i < MAGIC.length; i++) {
    if (bytes[i] !== MAGIC[i]) throw new SnapshotError('not a snapshot: bad magic bytes');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, HEADER_SIZE);
  const version = view.getUint32(H.version, true);
  if (version !== VERSION) {
    throw new SnapshotError(`snapshot format version ${version} is not supported (this wasi-virt reads version ${VERSION})`);
  }
  const flags = view.getUint32(H.flags, true);
  if ((flags & ~KNOWN_FLAGS) !== 0) throw new SnapshotError(`corrupt snapshot: unknown flags 0x${flags.toString(16)}`);
  const totalBytes = readU64(view, H.totalLength, 'total length');
  if (totalBytes > bytes.byteLength) {
    throw new SnapshotError(`truncated snapshot: the header says ${totalBytes} bytes, got ${bytes.byteLength}`);
  }
  if (totalBytes < bytes.byteLength) {
    throw new SnapshotError(`corrupt snapshot: ${bytes.byteLength - totalBytes} bytes after its end (the header says ${totalBytes})`);
  }
  const nodes = view.getUint32(H.nodeCount, true);
  const dirs = view.getUint32(H.dirCount, true);
  const files = view.getUint32(H.fileCount, true);
  const symlinks = view.getUint32(H.symlinkCount, true);
  if (nodes === 0 || dirs + files + symlinks !== nodes) {
    throw new SnapshotError(`corrupt snapshot: ${nodes} nodes but ${dirs} dirs + ${files} files + ${symlinks} symlinks`);
  }
  const contentBytes = readU64(view, H.contentBytes, 'content size');
  const strings = { offset: readU64(view, H.stringsOffset, 'strings offset'), length: readU64(view, H.stringsLength, 'strings length') };
  const data = { offset: readU64(view, H.dataOffset, 'data offset'), length: readU64(view, H.dataLength, 'data length') };
  const mtimesOffset = readU64(view, H.mtimesOffset, 'mtime table offset');
  const mtimes = (flags & FLAG_MTIMES) !== 0;

  // Sections in order: header, node table, [mtimes], strings, data.
  let at = HEADER_SIZE + nodes * NODE_SIZE;
  if (mtimes) {
    if (mtimesOffset !== at) throw new SnapshotError('corrupt snapshot: mtime table is misplaced');
    at += nodes * 8;
  } else if (mtimesOffset !== 0) {
    throw new SnapshotError('corrupt snapshot: mtime table without its flag');
  }
  if (strings.offset !== at) throw new SnapshotError('corrupt snapshot: string table is misplaced');
  at += strings.length;
  if (data.offset < at || data.offset + data.length !== totalBytes) {
    throw new SnapshotError('corrupt snapshot: data section is misplaced');
  }
  if (contentBytes > data.length) throw new SnapshotError('corrupt snapshot: content larger than its data section');

  const rootKind = bytes[HEADER_SIZE];
  if (rootKind !== KIND_DIR && rootKind !== KIND_FILE) throw new SnapshotError('corrupt snapshot: root is neither a directory nor a file');

  return {
    version,
    hash: toHex(bytes.subarray(H.hash, H.hash + 32)),
    totalBytes,
    nodes,
    dirs,
    files,
    symlinks,
    contentBytes,
    mtimes,
    rootType: rootKind === KIND_DIR ? 'directory' : 'regular-file',
    strings,
    data,
    mtimesOffset,
  };
}
