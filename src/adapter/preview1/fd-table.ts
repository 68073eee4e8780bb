/**
 * The preview1 file-descriptor table. An fd is an index into it; its entry holds the
 * kernel handle (the open object) plus preview1's rights, which only this face knows
 * about. Fds 0-2 hold the virtual stdio handles, then one fd per preopen.
 */
import { fail } from '../../virtual-fs/errors.js';
import type { DirEntry, Handle } from '../../virtual-fs/handle.js';

export interface FdEntry {
  handle: Handle;
  rightsBase: bigint;
  rightsInheriting: bigint;
  /** Set for a preopened directory: the name fd_prestat_dir_name reports. */
  preopen?: string;
  /**
   * fd_readdir's listing (`.` and `..` first), taken when the guest reads from cookie 0
   * and reused for later cookies so they stay stable while the directory changes.
   */
  listing?: DirEntry[];
}

export class FdTable {
  private readonly entries: (FdEntry | undefined)[] = [];
  /** No free slot below this: keeps insert from rescanning a long run of open fds. */
  private lowestFree = 0;

  get(fd: number): FdEntry {
    const e = fd >= 0 ? this.entries[fd] : undefined;
    if (!e) fail('badf', `fd ${fd} is not open`);
    return e;
  }

  /** Put an entry in the lowest free slot (POSIX's rule) and return its fd. */
  insert(entry: FdEntry): number {
    let fd = this.lowestFree;
    while (this.entries[fd]) fd++;
    this.entries[fd] = entry;
    this.lowestFree = fd + 1;
    return fd;
  }

  private freed(fd: number): void {
    this.entries[fd] = undefined;
    if (fd < this.lowestFree) this.lowestFree = fd;
  }

  /** Remove and return the entry (the caller closes the handle). */
  remove(fd: number): FdEntry {
    const e = this.get(fd);
    this.freed(fd);
    return e;
  }

  /** fd_renumber: `to` must be open; its old handle is closed; `from` moves there. */
  renumber(from: number, to: number): void {
    const src = this.get(from);
    const dst = this.get(to);
    if (from === to) return;
    dst.handle.close();
    this.entries[to] = src;
    this.freed(from);
  }

  /** Every open entry, for teardown. */
  *open(): Iterable<[number, FdEntry]> {
    for (let fd = 0; fd < this.entries.length; fd++) {
      const e = this.entries[fd];
      if (e) yield [fd, e];
    }
  }
}
