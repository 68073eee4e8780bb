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
  let used = 0;
  for (let i = Number(cookie); i < list.length && used < len; i++) {
    let entry = list[i]!;
    const room = len - used;
    // d_ino sits at offset 8: no need to find it for an entry cut before it.
    if (entry.ino === 0n && room > 8) {
      entry = list[i] = { ...entry, ino: inoOf(dir, entry, i) };
    }
    // The name goes straight into guest memory after its header (no per-entry encode);
    // only an entry cut by the end of the buffer is encoded whole, to know its length.
    let namlen = -1;
    if (room > DIRENT_HEADER_SIZE) {
      const space = mem.bytes(buf + used + DIRENT_HEADER_SIZE, room - DIRENT_HEADER_SIZE);
      const r = encoder.encodeInto(entry.name, space);
      if (r.read === entry.name.length) namlen = r.written;
    }
    let cut: Uint8Array | undefined;
    if (namlen < 0) {
      cut = GuestMemory.encode(entry.name);
      namlen = cut.byteLength;
    }
    headerView.setBigUint64(0, BigInt(i + 1), true);
    headerView.setBigUint64(8, entry.ino, true);
    headerView.setUint32(16, namlen, true);
    headerView.setUint32(20, FILETYPE[entry.type], true); // the type byte and its padding
    const h = Math.min(DIRENT_HEADER_SIZE, room);
    mem.write(buf + used, h === DIRENT_HEADER_SIZE ? header : header.subarray(0, h));
    used += h;
    if (room > DIRENT_HEADER_SIZE) {
      const n = Math.min(namlen, room - DIRENT_HEADER_SIZE);
      if (cut) mem.write(buf + used, cut.subarray(0, n));
      used += n;
    }
  }
  return used;
}
