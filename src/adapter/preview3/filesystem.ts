/**
 * wasi:filesystem@0.3 (types, preopens). A 0.3 `Descriptor` wraps the 0.2 face's
 * descriptor over the same kernel handle and only translates: async functions, the
 * `descriptor-type` and `error-code` variants, and streams in place of wasi:io. Path
 * resolution, confinement, read-only rules and error codes stay in the kernel.
 */
import { fail } from '../../virtual-fs/errors.js';
import { DirHandle, type DirEntry, type Handle } from '../../virtual-fs/handle.js';
import type {
  Descriptor as Descriptor2, DescriptorFlags, DescriptorStat as Stat2, NewTimestamp, OpenFlags, PathFlags,
} from '../preview2/filesystem.js';
import { CHUNK, drain, fsErrorCode, fsFailure, OK, producer, WitError, type Ctx, type GuestStream, type Result } from './context.js';
import type { Instant } from './clocks.js';

export interface DescriptorType { tag: string }

export interface DescriptorStat {
  type: DescriptorType;
  linkCount: bigint;
  size: bigint;
  dataAccessTimestamp?: Instant;
  dataModificationTimestamp?: Instant;
  statusChangeTimestamp?: Instant;
}

function toStat(s: Stat2): DescriptorStat {
  return {
    type: { tag: s.type },
    linkCount: s.linkCount,
    size: s.size,
    dataAccessTimestamp: s.dataAccessTimestamp,
    dataModificationTimestamp: s.dataModificationTimestamp,
    statusChangeTimestamp: s.statusChangeTimestamp,
  };
}

export class Descriptor {
  constructor(readonly ctx: Ctx, readonly p2: Descriptor2) {}

  // #private: jco binds every prototype method as a WIT method.
  /** Run a 0.2 call; its `error-code` string becomes the 0.3 variant. */
  async #call<T>(f: () => T): Promise<T> {
    await this.ctx.drains.settle();
    try {
      return f();
    } catch (e) {
      if (typeof e === 'string') throw new WitError({ tag: e });
      throw fsFailure(e);
    }
  }

  get #handle(): Handle {
    return this.p2.handle;
  }

  readViaStream(offset: bigint): [Iterable<Uint8Array>, Promise<Result>] {
    const handle = this.#handle;
    let at = offset;
    return producer(() => {
      if (!handle.readable) fail('badf', `"${this.p2.label}" is not open for reading`);
      const buf = new Uint8Array(CHUNK);
      const n = handle.read(buf, at);
      if (n === 0) return null;
      at += BigInt(n);
      return buf.subarray(0, n);
    }, (e) => fsErrorCode(e));
  }

  /** Write the guest's stream at `at` (a position, or the end of the file at each chunk). */
  async #writeFrom(data: GuestStream, at: bigint | 'append'): Promise<Result> {
    const handle = this.#handle;
    try {
      if (!handle.writable) {
        data[Symbol.dispose]?.();
        fail('badf', `"${this.p2.label}" is not open for writing`);
      }
      let pos = at;
      await this.ctx.drains.run(() => drain(data, (bytes) => {
        let where = pos === 'append' ? handle.stat().size : pos;
        let rest = bytes;
        while (rest.byteLength > 0) {
          const n = handle.write(rest, where);
          if (n <= 0) fail('io', 'the file took no bytes');
          where += BigInt(n);
          rest = rest.subarray(n);
        }
        if (pos !== 'append') pos = where;
      }));
      return OK;
    } catch (e) {
      return { tag: 'err', val: fsErrorCode(e) };
    }
  }

  writeViaStream(data: GuestStream, offset: bigint): Promise<Result> {
    return this.#writeFrom(data, offset);
  }

  appendViaStream(data: GuestStream): Promise<Result> {
    return this.#writeFrom(data, 'append');
  }

  advise(offset: bigint, length: bigint, advice: string): Promise<void> {
    return this.#call(() => {
      // As wasmtime answers: advice is about file data, so a directory has none to take.
      if (this.#handle instanceof DirHandle) fail('badf', `"${this.p2.label}" is a directory: no file data to advise on`);
      this.p2.advise(offset, length, advice);
    });
  }

  syncData(): Promise<void> {
    return this.#call(() => this.p2.syncData());
  }

  sync(): Promise<void> {
    return this.#call(() => this.p2.sync());
  }

  getFlags(): Promise<DescriptorFlags> {
    return this.#call(() => this.p2.getFlags());
  }

  getType(): Promise<DescriptorType> {
    return this.#call(() => ({ tag: this.p2.getType() }));
  }

  setSize(size: bigint): Promise<void> {
    return this.#call(() => this.p2.setSize(size));
  }

  setTimes(atime: NewTimestamp, mtime: NewTimestamp): Promise<void> {
    return this.#call(() => this.p2.setTimes(atime, mtime));
  }

  readDirectory(): [Iterable<{ type: DescriptorType; name: string }>, Promise<Result>] {
    const handle = this.#handle;
    let entries: DirEntry[] | undefined;
    let at = 0;
    return producer(() => {
      entries ??= handle.readdir();
      const e = entries[at++];
      return e ? { type: { tag: e.type }, name: e.name } : null;
    }, (e) => fsErrorCode(e));
  }

  stat(): Promise<DescriptorStat> {
    return this.#call(() => toStat(this.p2.stat()));
  }

  statAt(pathFlags: PathFlags, path: string): Promise<DescriptorStat> {
    return this.#call(() => toStat(this.p2.statAt(pathFlags, path)));
  }

  setTimesAt(pathFlags: PathFlags, path: string, atime: NewTimestamp, mtime: NewTimestamp): Promise<void> {
    return this.#call(() => this.p2.setTimesAt(pathFlags, path, atime, mtime));
  }

  linkAt(oldPathFlags: PathFlags, oldPath: string, newDescriptor: Descriptor, newPath: string): Promise<void> {
    return this.#call(() => this.p2.linkAt(oldPathFlags, oldPath, newDescriptor.p2, newPath));
  }

  openAt(pathFlags: PathFlags, path: string, openFlags: OpenFlags, flags: DescriptorFlags): Promise<Descriptor> {
    return this.#call(() => new Descriptor(this.ctx, this.p2.openAt(pathFlags, path, openFlags, flags)));
  }

  createDirectoryAt(path: string): Promise<void> {
    return this.#call(() => this.p2.createDirectoryAt(path));
  }

  readlinkAt(path: string): Promise<string> {
    return this.#call(() => this.p2.readlinkAt(path));
  }

  removeDirectoryAt(path: string): Promise<void> {
    return this.#call(() => this.p2.removeDirectoryAt(path));
  }

  renameAt(oldPath: string, newDescriptor: Descriptor, newPath: string): Promise<void> {
    return this.#call(() => this.p2.renameAt(oldPath, newDescriptor.p2, newPath));
  }

  symlinkAt(oldPath: string, newPath: string): Promise<void> {
    return this.#call(() => this.p2.symlinkAt(oldPath, newPath));
  }

  unlinkFileAt(path: string): Promise<void> {
    return this.#call(() => this.p2.unlinkFileAt(path));
  }

  isSameObject(other: Descriptor): Promise<boolean> {
    return this.#call(() => this.p2.isSameObject(other.p2));
  }

  metadataHash(): Promise<{ upper: bigint; lower: bigint }> {
    return this.#call(() => this.p2.metadataHash());
  }

  metadataHashAt(pathFlags: PathFlags, path: string): Promise<{ upper: bigint; lower: bigint }> {
    return this.#call(() => this.p2.metadataHashAt(pathFlags, path));
  }

  [Symbol.dispose](): void {
    this.p2[Symbol.dispose]();
  }
}

export function createFilesystem(
  ctx: Ctx,
  preopens: () => [Descriptor2, string][],
): Record<string, Record<string, unknown>> {
  return {
    'wasi:filesystem/types': { Descriptor },
    'wasi:filesystem/preopens': {
      getDirectories: (): [Descriptor, string][] => preopens().map(([d, name]) => [new Descriptor(ctx, d), name]),
    },
  };
}
