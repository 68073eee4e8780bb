/**
 * fd_readdir's listing and its dirent encoding.
 *
 * A listing is taken once per fd when the guest reads from cookie 0 (opendir, rewinddir)
 * and kept for later cookies, so a cookie names the same position however the directory
 * changes meanwhile (POSIX lets readdir miss or repeat concurrently changed entries, never
 * skip unchanged ones). Entry i's d_next is i+1: the cookie that resumes after it. `.`
 * and `..` come first, as the suite and wasi-libc expect.
 *
 * Entries are written until the buffer is full; the last one is cut wherever the buffer
 * ends (witx: bufused == buf_len tells the guest there may be more, and it re-reads from
 * the last whole entry's d_next).
 */
import { WasiError } from '../../virtual-fs/errors.js';
import { DirHandle, type DirEntry, type Handle } from '../../virtual-fs/handle.js';
import { DIRENT_HEADER_SIZE, FILETYPE } from './abi.js';
import type { FdEntry } from './fd-table.js';
import { GuestMemory } from './memory.js';

const encoder = new TextEncoder();
const header = new Uint8Array(DIRENT_HEADER_SIZE);
const headerView = new DataView(header.buffer);

/**
 * The inode of a listed entry. Backends that cannot tell cheaply (Node's readdir has no
 * d_ino) give 0n; then it costs one lstat of that entry, paid only for entries that reach
 * the guest's buffer and only once per listing. `..` reports the directory's own inode,
 * as wasmtime does: a directory handle does not know its parent (and a preopen's parent
 * is outside the guest's view anyway).
 */
function inoOf(dir: Handle, entry: DirEntry, index: number): bigint {
  if (index < 2) return dir.stat().ino;
  if (!(dir instanceof DirHandle)) return 0n;
  try {
    return dir.inoAt(entry.name);
  } catch (err) {
    if (err instanceof WasiError) return 0n; // gone since the listing was taken
    throw err;
  }
}

export function readdirInto(mem: GuestMemory, e: FdEntry, buf: number, len: number, cookie: bigint): number {
  const dir = e.handle;
  if (cookie === 0n || e.listing === undefined) {
    e.listing = [
      { name: '.', type: 'directory', ino: 0n },
      { name: '..', type: 'directory', ino: 0n },
      ...dir.readdir(),
    ];
  }
  const list = e.listing;
  if (cookie >= BigInt(list.length)) return 0;
  // The whole range is checked once; entries are then stored straight into guest memory.
  const dv = mem.viewAt(buf, len);
  const u8 = mem.bytesAt(buf, len);
  const start = buf >>> 0;
  let used = 0;
  for (let i = Number(cookie); i < list.length && used < len; i++) {
    let entry = list[i]!;
    const room = len - used;
    // d_ino sits at offset 8: no need to find it for an entry cut before it.
    if (entry.ino === 0n && room > 8) {
      // A literal of the same shape as the backends' entries (a spread copies slower).
      entry = list[i] = { name: entry.name, type: entry.type, ino: inoOf(dir, entry, i) };
    }
    const at = start + used;
    const name = entry.name;
    if (room >= DIRENT_HEADER_SIZE) {
      // The name goes straight after its header: an ASCII one byte by byte, any other
      // through encodeInto; only an entry cut by the end of the buffer is encoded whole.
      const space = room - DIRENT_HEADER_SIZE;
      let namlen = asciiInto(u8, at + DIRENT_HEADER_SIZE, space, name);
      let cut: Uint8Array | undefined;
      if (namlen < 0) {
        const r = encoder.encodeInto(name, u8.subarray(at + DIRENT_HEADER_SIZE, at + room));
        if (r.read === name.length) namlen = r.written;
        else {
          cut = GuestMemory.encode(name);
          namlen = cut.byteLength;
          u8.set(cut.subarray(0, space), at + DIRENT_HEADER_SIZE);
        }
      }
      dv.setUint32(at, i + 1, true); // d_next: a u64 below 2^32
      dv.setUint32(at + 4, 0, true);
      dv.setBigUint64(at + 8, entry.ino, true);
      dv.setUint32(at + 16, namlen, true);
      dv.setUint32(at + 20, FILETYPE[entry.type], true); // the type byte and its padding
      used += DIRENT_HEADER_SIZE + Math.min(namlen, space);
    } else {
      // Not even the header fits: its first bytes, as the whole entry would have them.
      const namlen = GuestMemory.encode(name).byteLength;
      headerView.setBigUint64(0, BigInt(i + 1), true);
      headerView.setBigUint64(8, entry.ino, true);
      headerView.setUint32(16, namlen, true);
      headerView.setUint32(20, FILETYPE[entry.type], true);
      u8.set(header.subarray(0, room), at);
      used += room;
    }
  }
  return used;
}

/**
 * Write `name` at `at` when it is ASCII and fits in `room` bytes; its length, or -1 (not
 * ASCII, or cut by the end of the buffer: the caller encodes it properly).
 */
function asciiInto(u8: Uint8Array, at: number, room: number, name: string): number {
  const n = name.length;
  if (n > room) return -1;
  for (let k = 0; k < n; k++) {
    const c = name.charCodeAt(k);
    if (c >= 0x80) return -1;
    u8[at + k] = c;
  }
  return n;
}
