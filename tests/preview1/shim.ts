/**
 * Drives tests/components/wat/p1-shim.wat from JS: each preview1 call goes through a real
 * wasm function into the import object, with arguments and results in the guest's own
 * memory. Helpers lay out strings, iovecs and structs in a scratch area of that memory.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPreview1, type Preview1 } from '../../src/adapter/preview1/index.js';
import { ALL_RIGHTS, RIGHTS } from '../../src/adapter/preview1/abi.js';
import { ERRNO } from '../../src/virtual-fs/errors.js';
import { COMPONENTS, compileWat } from '../helpers/guests.js';
import { makeHost, type RunOptions } from './fs-harness.js';
import type { CaptureSink, Kernel } from '../../src/adapter/kernel/index.js';

export { ERRNO, RIGHTS, ALL_RIGHTS };
export const E = ERRNO;
/** The rights wasi-libc asks for with O_RDONLY and O_RDWR. */
export const RDONLY = ALL_RIGHTS & ~(RIGHTS.FD_DATASYNC | RIGHTS.FD_WRITE | RIGHTS.FD_ALLOCATE | RIGHTS.FD_FILESTAT_SET_SIZE);
export const RDWR = ALL_RIGHTS;

type Call = (...args: (number | bigint)[]) => number;

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Scratch memory starts here; lower addresses are free for tests to use by hand. */
const SCRATCH = 4096;

export class Shim {
  readonly call: Record<string, Call>;
  private next = SCRATCH;

  constructor(
    readonly instance: WebAssembly.Instance,
    readonly p1: Preview1,
    readonly host: Kernel,
    readonly stdout: CaptureSink,
    readonly stderr: CaptureSink,
  ) {
    this.call = instance.exports as unknown as Record<string, Call>;
    p1.bind(this.memory);
  }

  static async create(opts: RunOptions = {}): Promise<Shim> {
    let source = readFileSync(join(COMPONENTS, 'wat', 'p1-shim.wat'), 'utf8');
    if (opts.version === 'unstable') source = source.replaceAll('"wasi_snapshot_preview1"', '"wasi_unstable"');
    const module = await compileWat(source, 'p1-shim.wat');
    const { host, stdout, stderr } = makeHost(opts);
    const p1 = createPreview1(host, { version: opts.version });
    const { instance } = (await WebAssembly.instantiate(module, p1.imports)) as unknown as WebAssembly.WebAssemblyInstantiatedSource;
    return new Shim(instance, p1, host, stdout, stderr);
  }

  get memory(): WebAssembly.Memory {
    return this.instance.exports['memory'] as WebAssembly.Memory;
  }
  get dv(): DataView {
    return new DataView(this.memory.buffer);
  }
  get u8(): Uint8Array {
    return new Uint8Array(this.memory.buffer);
  }

  /** Forget scratch allocations (helpers call it first; they never nest). */
  reset(): this {
    this.next = SCRATCH;
    return this;
  }
  alloc(n: number, align = 8): number {
    this.next = Math.ceil(this.next / align) * align;
    const p = this.next;
    this.next += n;
    this.u8.fill(0, p, p + n);
    return p;
  }
  put(bytes: Uint8Array | string): [number, number] {
    const b = typeof bytes === 'string' ? enc.encode(bytes) : bytes;
    const p = this.alloc(b.byteLength, 1);
    this.u8.set(b, p);
    return [p, b.byteLength];
  }
  bytes(ptr: number, len: number): Uint8Array {
    return this.u8.slice(ptr, ptr + len);
  }
  text(ptr: number, len: number): string {
    return dec.decode(this.bytes(ptr, len));
  }
  u8at(ptr: number): number { return this.dv.getUint8(ptr); }
  u16(ptr: number): number { return this.dv.getUint16(ptr, true); }
  u32(ptr: number): number { return this.dv.getUint32(ptr, true); }
  u64(ptr: number): bigint { return this.dv.getBigUint64(ptr, true); }
  setU32(ptr: number, v: number): void { this.dv.setUint32(ptr, v, true); }
  setU64(ptr: number, v: bigint): void { this.dv.setBigUint64(ptr, v, true); }

  /** An iovec array over the given buffers (or fresh zeroed buffers of the given sizes). */
  iovecs(bufs: (Uint8Array | string | number)[]): { ptr: number; count: number; bufs: [number, number][] } {
    const laid = bufs.map((b) => (typeof b === 'number' ? [this.alloc(b, 1), b] as [number, number] : this.put(b)));
    const ptr = this.alloc(8 * bufs.length);
    laid.forEach(([p, n], i) => { this.setU32(ptr + 8 * i, p); this.setU32(ptr + 8 * i + 4, n); });
    return { ptr, count: bufs.length, bufs: laid };
  }

  // ---- call helpers: [errno, result] ----

  open(path: string, o: { dirfd?: number; oflags?: number; base?: bigint; inheriting?: bigint; fdflags?: number; follow?: boolean } = {}): [number, number] {
    this.reset();
    const [p, n] = this.put(path);
    const out = this.alloc(4);
    const rc = this.call['path_open']!(o.dirfd ?? 3, o.follow === false ? 0 : 1, p, n, o.oflags ?? 0,
      o.base ?? RDONLY, o.inheriting ?? ALL_RIGHTS, o.fdflags ?? 0, out);
    return [rc, rc === 0 ? this.u32(out) : -1];
  }

  write(fd: number, ...chunks: (Uint8Array | string)[]): [number, number] {
    this.reset();
    const v = this.iovecs(chunks);
    const out = this.alloc(4);
    const rc = this.call['fd_write']!(fd, v.ptr, v.count, out);
    return [rc, this.u32(out)];
  }
  pwrite(fd: number, offset: bigint, ...chunks: (Uint8Array | string)[]): [number, number] {
    this.reset();
    const v = this.iovecs(chunks);
    const out = this.alloc(4);
    const rc = this.call['fd_pwrite']!(fd, v.ptr, v.count, offset, out);
    return [rc, this.u32(out)];
  }
  /** Read into buffers of the given sizes; returns the bytes read (concatenated). */
  read(fd: number, ...sizes: number[]): [number, Uint8Array] {
    this.reset();
    const v = this.iovecs(sizes.length ? sizes : [4096]);
    const out = this.alloc(4);
    const rc = this.call['fd_read']!(fd, v.ptr, v.count, out);
    return [rc, this.gather(v.bufs, this.u32(out))];
  }
  pread(fd: number, offset: bigint, ...sizes: number[]): [number, Uint8Array] {
    this.reset();
    const v = this.iovecs(sizes.length ? sizes : [4096]);
    const out = this.alloc(4);
    const rc = this.call['fd_pread']!(fd, v.ptr, v.count, offset, out);
    return [rc, this.gather(v.bufs, this.u32(out))];
  }
  private gather(bufs: [number, number][], n: number): Uint8Array {
    const out = new Uint8Array(n);
    let at = 0;
    for (const [p, len] of bufs) {
      const k = Math.min(len, n - at);
      out.set(this.bytes(p, k), at);
      at += k;
      if (at >= n) break;
    }
    return out;
  }
  readText(fd: number, size = 4096): string {
    const [rc, b] = this.read(fd, size);
    if (rc !== 0) throw new Error(`fd_read(${fd}) failed with errno ${rc}`);
    return dec.decode(b);
  }
  seek(fd: number, offset: bigint, whence: number): [number, bigint] {
    this.reset();
    const out = this.alloc(8);
    const rc = this.call['fd_seek']!(fd, offset, whence, out);
    return [rc, this.u64(out)];
  }
  tell(fd: number): [number, bigint] {
    this.reset();
    const out = this.alloc(8);
    const rc = this.call['fd_tell']!(fd, out);
    return [rc, this.u64(out)];
  }
  close(fd: number): number {
    return this.call['fd_close']!(fd);
  }
  fdstat(fd: number): [number, { filetype: number; flags: number; base: bigint; inheriting: bigint }] {
    this.reset();
    const out = this.alloc(24);
    const rc = this.call['fd_fdstat_get']!(fd, out);
    return [rc, { filetype: this.u8at(out), flags: this.u16(out + 2), base: this.u64(out + 8), inheriting: this.u64(out + 16) }];
  }
  private filestatAt(out: number): Filestat {
    return {
      dev: this.u64(out), ino: this.u64(out + 8), filetype: this.u8at(out + 16), nlink: this.u64(out + 24),
      size: this.u64(out + 32), atim: this.u64(out + 40), mtim: this.u64(out + 48), ctim: this.u64(out + 56),
    };
  }
  filestat(fd: number): [number, Filestat] {
    this.reset();
    const out = this.alloc(64);
    const rc = this.call['fd_filestat_get']!(fd, out);
    return [rc, this.filestatAt(out)];
  }
  pathStat(path: string, o: { dirfd?: number; follow?: boolean } = {}): [number, Filestat] {
    this.reset();
    const [p, n] = this.put(path);
    const out = this.alloc(64);
    const rc = this.call['path_filestat_get']!(o.dirfd ?? 3, o.follow === false ? 0 : 1, p, n, out);
    return [rc, this.filestatAt(out)];
  }
  /** One path argument calls: mkdir, rmdir, unlink. */
  path1(fn: 'path_create_directory' | 'path_remove_directory' | 'path_unlink_file', path: string, dirfd = 3): number {
    this.reset();
    const [p, n] = this.put(path);
    return this.call[fn]!(dirfd, p, n);
  }
  symlink(target: string, path: string, dirfd = 3): number {
    this.reset();
    const [t, tn] = this.put(target);
    const [p, n] = this.put(path);
    return this.call['path_symlink']!(t, tn, dirfd, p, n);
  }
  readlink(path: string, size = 256, dirfd = 3): [number, string, Uint8Array] {
    this.reset();
    const [p, n] = this.put(path);
    const buf = this.alloc(size + 8, 1);
    this.u8.fill(0xee, buf, buf + size + 8);
    const used = this.alloc(4);
    const rc = this.call['path_readlink']!(dirfd, p, n, buf, size, used);
    const k = rc === 0 ? this.u32(used) : 0;
    return [rc, this.text(buf, k), this.bytes(buf, size + 8)];
  }
  rename(from: string, to: string, fromFd = 3, toFd = 3): number {
    this.reset();
    const [a, an] = this.put(from);
    const [b, bn] = this.put(to);
    return this.call['path_rename']!(fromFd, a, an, toFd, b, bn);
  }
  link(from: string, to: string, o: { fromFd?: number; toFd?: number; follow?: boolean } = {}): number {
    this.reset();
    const [a, an] = this.put(from);
    const [b, bn] = this.put(to);
    return this.call['path_link']!(o.fromFd ?? 3, o.follow ? 1 : 0, a, an, o.toFd ?? 3, b, bn);
  }
  /** fd_readdir into a buffer of `size` bytes from `cookie`: the raw bytes used. */
  readdirRaw(fd: number, size: number, cookie = 0n): [number, Uint8Array] {
    this.reset();
    const buf = this.alloc(size);
    const used = this.alloc(4);
    const rc = this.call['fd_readdir']!(fd, buf, size, cookie, used);
    return [rc, this.bytes(buf, rc === 0 ? this.u32(used) : 0)];
  }
  /** Every entry, paging with `size`-byte buffers as wasi-libc does. */
  readdir(fd: number, size = 4096): Dirent[] {
    const all: Dirent[] = [];
    let cookie = 0n;
    for (;;) {
      const [rc, raw] = this.readdirRaw(fd, size, cookie);
      if (rc !== 0) throw new Error(`fd_readdir failed with errno ${rc}`);
      const ents = parseDirents(raw);
      all.push(...ents.whole);
      if (raw.byteLength < size) return all;
      if (ents.whole.length === 0) throw new Error(`a ${size}-byte buffer holds no whole entry`);
      cookie = ents.whole[ents.whole.length - 1]!.next;
    }
  }
}

export interface Filestat { dev: bigint; ino: bigint; filetype: number; nlink: bigint; size: bigint; atim: bigint; mtim: bigint; ctim: bigint }
export interface Dirent { next: bigint; ino: bigint; type: number; name: string }

export function parseDirents(raw: Uint8Array): { whole: Dirent[]; partial: boolean } {
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const whole: Dirent[] = [];
  let at = 0;
  while (at + 24 <= raw.byteLength) {
    const namlen = dv.getUint32(at + 16, true);
    if (at + 24 + namlen > raw.byteLength) break;
    whole.push({
      next: dv.getBigUint64(at, true), ino: dv.getBigUint64(at + 8, true), type: dv.getUint8(at + 20),
      name: dec.decode(raw.subarray(at + 24, at + 24 + namlen)),
    });
    at += 24 + namlen;
  }
  return { whole, partial: at < raw.byteLength };
}

export const FT = { unknown: 0, block: 1, char: 2, dir: 3, file: 4, dgram: 5, stream: 6, symlink: 7 } as const;
export const O = { CREAT: 1, DIRECTORY: 2, EXCL: 4, TRUNC: 8 } as const;
export const FDF = { APPEND: 1, DSYNC: 2, NONBLOCK: 4, RSYNC: 8, SYNC: 16 } as const;
export const WH = { SET: 0, CUR: 1, END: 2 } as const;
