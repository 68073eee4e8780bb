/**
 * Writable host directories for the preview1 tests: the confined host backend
 * (src/virtual-fs/host, `openHostDir`) when it is present, else `PathDir` below, a
 * minimal unconfined stand-in over path strings that exists only so these tests can run
 * before that backend lands. `BACKEND` says which one a run used.
 */
import * as fs from 'node:fs';
import { join } from 'node:path';
import { fail, fromHostError } from '../../src/virtual-fs/errors.js';
import {
  DirHandle, Handle,
  type Advice, type DirEntry, type FileType, type OpenRequest, type Stat, type TimeChange, type Walk, type Whence,
} from '../../src/virtual-fs/handle.js';

type Open = (path: string) => DirHandle;
let real: Open | undefined;
try {
  const spec = '../../src/virtual-fs/host/index.js';
  const m = (await import(/* @vite-ignore */ spec)) as { openHostDir(p: string, o: { readonly: boolean }): DirHandle };
  real = (p) => m.openHostDir(p, { readonly: false });
} catch {
  real = undefined;
}

export const BACKEND: 'hostfs' | 'path-harness' = real ? 'hostfs' : 'path-harness';

export function hostDir(path: string): DirHandle {
  return real ? real(path) : new PathDir(path);
}

function host<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw fromHostError(e);
  }
}

function typeOf(st: fs.BigIntStats | fs.Dirent): FileType {
  if (st.isDirectory()) return 'directory';
  if (st.isFile()) return 'regular-file';
  if (st.isSymbolicLink()) return 'symbolic-link';
  if (st.isCharacterDevice()) return 'character-device';
  if (st.isBlockDevice()) return 'block-device';
  if (st.isFIFO()) return 'fifo';
  if (st.isSocket()) return 'socket';
  return 'unknown';
}

function toStat(st: fs.BigIntStats): Stat {
  return { dev: st.dev, ino: st.ino, type: typeOf(st), nlink: st.nlink, size: st.size, atim: st.atimeNs, mtim: st.mtimeNs, ctim: st.ctimeNs };
}

function toTime(t: TimeChange, old: bigint): number {
  if (t === 'now') return Date.now() / 1000;
  return Number(t ?? old) / 1e9;
}

class PathFile extends Handle {
  readonly fileType: FileType = 'regular-file';
  private cursor = 0n;
  constructor(private readonly fd: number, readable: boolean, writable: boolean) {
    super();
    this.readable = readable;
    this.writable = writable;
  }
  override stat(): Stat { return host(() => toStat(fs.fstatSync(this.fd, { bigint: true }))); }
  override read(dst: Uint8Array, offset?: bigint): number {
    if (!this.readable) fail('badf', 'not open for reading');
    const n = host(() => fs.readSync(this.fd, dst, 0, dst.byteLength, offset ?? this.cursor));
    if (offset === undefined) this.cursor += BigInt(n);
    return n;
  }
  override write(src: Uint8Array, offset?: bigint): number {
    if (!this.writable) fail('badf', 'not open for writing');
    let at = offset ?? this.cursor;
    if (offset === undefined && this.flags.append) at = this.stat().size;
    // writeSync ignores a bigint position (it writes at the fd's own offset).
    const n = host(() => fs.writeSync(this.fd, src, 0, src.byteLength, Number(at)));
    if (offset === undefined) this.cursor = at + BigInt(n);
    return n;
  }
  override seek(offset: bigint, whence: Whence): bigint {
    const base = whence === 'set' ? 0n : whence === 'cur' ? this.cursor : this.stat().size;
    if (base + offset < 0n) fail('inval', 'seek before the start');
    return (this.cursor = base + offset);
  }
  override setSize(size: bigint): void {
    if (!this.writable) fail('badf', 'not open for writing');
    host(() => fs.ftruncateSync(this.fd, Number(size)));
  }
  override allocate(offset: bigint, len: bigint): void {
    if (!this.writable) fail('badf', 'not open for writing');
    if (this.stat().size < offset + len) this.setSize(offset + len);
  }
  override setTimes(atim: TimeChange, mtim: TimeChange): void {
    const st = this.stat();
    host(() => fs.futimesSync(this.fd, toTime(atim, st.atim), toTime(mtim, st.mtim)));
  }
  override sync(dataOnly: boolean): void { host(() => (dataOnly ? fs.fdatasyncSync(this.fd) : fs.fsyncSync(this.fd))); }
  override advise(_o: bigint, _l: bigint, _a: Advice): void {}
  protected override onClose(): void { fs.closeSync(this.fd); }
}

export class PathDir extends DirHandle {
  override readonly readonly = false;
  constructor(readonly path: string) {
    super();
    this.readable = true;
  }
  private at(name: string): string { return name === '.' ? this.path : join(this.path, name); }
  override stat(): Stat { return host(() => toStat(fs.lstatSync(this.path, { bigint: true }))); }
  override setTimes(a: TimeChange, m: TimeChange): void { this.setTimesAt('.', a, m); }
  override readdir(): DirEntry[] {
    return host(() => fs.readdirSync(this.path, { withFileTypes: true }).map((d) => ({ name: d.name, type: typeOf(d), ino: 0n })));
  }
  walk(name: string): Walk {
    const st = host(() => fs.lstatSync(this.at(name), { bigint: true }));
    if (st.isDirectory()) return { dir: new PathDir(this.at(name)) };
    if (st.isSymbolicLink()) return { symlink: host(() => fs.readlinkSync(this.at(name))) };
    return fail('notdir', `"${name}" is not a directory`);
  }
  leafLink(name: string): string | undefined {
    try {
      return fs.readlinkSync(this.at(name));
    } catch {
      return undefined;
    }
  }
  override openAt(name: string, req: OpenRequest): Handle {
    const c = fs.constants;
    let flags = c.O_NOFOLLOW | (req.write ? (req.read ? c.O_RDWR : c.O_WRONLY) : c.O_RDONLY);
    if (req.create) flags |= c.O_CREAT;
    if (req.exclusive) flags |= c.O_EXCL;
    if (req.truncate) flags |= c.O_TRUNC;
    if (req.directory) flags |= c.O_DIRECTORY;
    const p = this.at(name);
    const fd = host(() => fs.openSync(p, flags, 0o644));
    const st = host(() => fs.fstatSync(fd, { bigint: true }));
    if (st.isDirectory()) {
      fs.closeSync(fd);
      return new PathDir(p);
    }
    return new PathFile(fd, !req.write || !!req.read, !!req.write);
  }
  override statAt(name: string): Stat { return host(() => toStat(fs.lstatSync(this.at(name), { bigint: true }))); }
  override setTimesAt(name: string, a: TimeChange, m: TimeChange): void {
    const st = this.statAt(name);
    host(() => fs.lutimesSync(this.at(name), toTime(a, st.atim), toTime(m, st.mtim)));
  }
  override mkdirAt(name: string): void { host(() => fs.mkdirSync(this.at(name))); }
  override rmdirAt(name: string): void { host(() => fs.rmdirSync(this.at(name))); }
  override unlinkAt(name: string): void { host(() => fs.unlinkSync(this.at(name))); }
  override symlinkAt(target: string, name: string): void { host(() => fs.symlinkSync(target, this.at(name))); }
  override readlinkAt(name: string): string { return host(() => fs.readlinkSync(this.at(name))); }
  override renameAt(name: string, dst: DirHandle, dstName: string): void {
    host(() => fs.renameSync(this.at(name), (dst as PathDir).at(dstName)));
  }
  override linkAt(name: string, dst: DirHandle, dstName: string): void {
    host(() => fs.linkSync(this.at(name), (dst as PathDir).at(dstName)));
  }
  override sameDevice(other: DirHandle): boolean { return other instanceof PathDir; }
}
