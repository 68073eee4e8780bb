/**
 * A confined host directory: holds an open fd, never a path it trusts.
 *
 * Every child is reached one component at a time through `/proc/self/fd/<fd>/<name>`
 * (see confine.ts), and nothing here follows a symlink in that component: opens carry
 * O_NOFOLLOW, walks O_DIRECTORY|O_NOFOLLOW, times use lutimes, and unlink / rmdir / rename
 * / link / mkdir / symlink / readlink / lstat never follow their last component anyway.
 * A symlink met while walking is handed back to the resolver, which follows it inside the
 * root within the hop budget. So a symlink swapped in at any moment makes an operation
 * fail (ELOOP / ENOTDIR) or be re-resolved inside the root; it never lets the kernel
 * follow it outside.
 *
 * In the "path" fallback the fd is kept too, plus the host path and the directory's
 * identity; each use checks that the path still names this directory, and each open
 * checks the opened object against an lstat taken just before it. That narrows but does
 * not close the race with a concurrent host process swapping an ancestor (documented).
 */
import type { ByteQuota } from '../quota.js';
import fs from 'node:fs';
import { compareNames } from '../../util/names.js';
import { fail } from '../errors.js';
import {
  DirHandle, type Handle,
  type DirEntry, type OpenRequest, type Stat, type TimeChange, type Walk,
} from '../handle.js';
import { unwrapDir } from '../mount-table.js';
import { checkReadOnlyOpen, refuseReadOnly, wantsWrite } from '../read-only.js';
import { checkSymlinkTarget } from '../resolver.js';
import {
  checkName, closeQuietly, confinementHooks, detectConfinement, hostFail, O, OPEN_BASE, OPEN_DIR, PROC_FD, syncFd,
  type HostContext,
} from './confine.js';
import { HostFile } from './host-file.js';
import { direntType, toStat, typeOfMode } from './stat.js';
import { applyTimes } from './times.js';

interface Ident {
  dev: bigint;
  ino: bigint;
}

/** How often a walk retries when the entry changes between the failed open and the lstat. */
const WALK_RETRIES = 3;

/** lstat that reports a missing entry as undefined and any other failure as a WasiError. */
function lstat(p: string, name: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(p, { throwIfNoEntry: false });
  } catch (e) {
    return hostFail(e, 'stat', name);
  }
}

function lstatBig(p: string, name: string): fs.BigIntStats | undefined {
  try {
    return fs.lstatSync(p, { bigint: true, throwIfNoEntry: false });
  } catch (e) {
    return hostFail(e, 'stat', name);
  }
}

export class HostDir extends DirHandle {
  constructor(
    private fd: number,
    readonly ctx: HostContext,
    /** Host path and identity: the path fallback only. */
    private readonly path?: string,
    private readonly ident?: Ident,
  ) {
    super();
    this.readonly = ctx.readonly;
    this.readable = true;
  }

  /** The fd, unless closed: a closed fd number may already name some other host file. */
  private live(): number {
    if (this.closed) fail('badf', 'directory is closed');
    return this.fd;
  }

  /** The host path of child `name`, after checking that this handle may be used. */
  private at(name: string): string {
    const fd = this.live();
    if (this.ctx.confinement === 'proc') return PROC_FD + fd + '/' + name;
    this.verify();
    return this.path === '/' ? '/' + name : this.path + '/' + name;
  }

  /** Path fallback: the path must still name this very directory (returned for use). */
  private verify(): string {
    const now = lstatBig(this.path!, '.');
    if (!now) fail('noent', 'directory was moved or removed');
    if (now.dev !== this.ident!.dev || now.ino !== this.ident!.ino) {
      fail('notcapable', 'directory was replaced since it was opened');
    }
    return this.path!;
  }

  private childPath(name: string): string | undefined {
    if (this.ctx.confinement === 'proc') return undefined;
    if (name === '.') return this.path;
    return this.path === '/' ? '/' + name : this.path + '/' + name;
  }

  // ---- handle operations on the directory itself ----

  override stat(): Stat {
    try {
      return toStat(fs.fstatSync(this.live(), { bigint: true }));
    } catch (e) {
      return hostFail(e, 'stat', '.');
    }
  }

  override setTimes(atim: TimeChange, mtim: TimeChange): void {
    const fd = this.live();
    if (this.readonly) refuseReadOnly();
    try {
      applyTimes({
        current: () => fs.fstatSync(fd, { bigint: true }),
        viaNode: (a, m) => fs.futimesSync(fd, a, m),
        touch: () => this.ctx.confinement === 'proc'
          ? { path: '/proc/self/fd/0', stdin: fd, noDereference: false }
          : { path: this.verify(), noDereference: true },
      }, atim, mtim);
    } catch (e) {
      hostFail(e, 'set times', '.');
    }
  }

  override sync(dataOnly: boolean): void {
    const fd = this.live();
    try { syncFd(fd, dataOnly); } catch (e) { hostFail(e, 'sync', '.'); }
  }

  /**
   * Names and types from one readdir; ino is 0n because Node's Dirent has none and an
   * lstat per entry would cost more than the listing itself (faces stat lazily when an
   * ABI needs it: preview1's d_ino does, preview2's directory-entry does not).
   */
  override readdir(): DirEntry[] {
    const fd = this.live();
    let dirents: fs.Dirent[];
    try {
      dirents = fs.readdirSync(this.ctx.confinement === 'proc' ? PROC_FD + fd : this.verify(), { withFileTypes: true });
    } catch (e) {
      return hostFail(e, 'readdir', '.');
    }
    const out: DirEntry[] = new Array(dirents.length);
    for (let i = 0; i < dirents.length; i++) {
      const d = dirents[i]!;
      out[i] = { name: d.name, type: direntType(d), ino: 0n };
    }
    return out.sort((a, b) => compareNames(a.name, b.name));
  }

  // ---- resolver steps ----

  walk(name: string): Walk {
    checkName(name);
    if (name === '.') return { dir: this.reopen() };
    return this.ctx.confinement === 'proc' ? this.walkProc(name) : this.walkPath(name);
  }

  private walkProc(name: string): Walk {
    const p = this.at(name);
    for (let attempt = 1; ; attempt++) {
      confinementHooks.beforeOpen?.(name, 'proc');
      try {
        return { dir: new HostDir(fs.openSync(p, OPEN_DIR), this.ctx) };
      } catch (e) {
        const code = (e as { code?: unknown }).code;
        if (code !== 'ELOOP' && code !== 'ENOTDIR') return hostFail(e, 'open directory', name);
        // A symlink (for the resolver to follow) or not a directory at all.
        const st = lstat(p, name);
        if (!st) fail('noent', `no such file or directory "${name}"`);
        if (st.isSymbolicLink()) {
          const target = this.readlinkOrUndefined(p, name);
          if (target !== undefined) return { symlink: target };
        } else if (!st.isDirectory()) {
          fail('notdir', `"${name}" is not a directory`);
        }
        // It changed between the open and the lstat: look again.
        if (attempt >= WALK_RETRIES) return hostFail(e, 'open directory', name);
      }
    }
  }

  private walkPath(name: string): Walk {
    for (let attempt = 1; ; attempt++) {
      const p = this.at(name);
      const st = lstatBig(p, name);
      if (!st) fail('noent', `no such file or directory "${name}"`);
      if (st.isSymbolicLink()) {
        const target = this.readlinkOrUndefined(p, name);
        if (target !== undefined) return { symlink: target };
        if (attempt >= WALK_RETRIES) fail('noent', `"${name}" keeps changing`);
        continue;
      }
      if (!st.isDirectory()) fail('notdir', `"${name}" is not a directory`);
      confinementHooks.beforeOpen?.(name, 'path');
      let fd: number;
      try {
        fd = fs.openSync(p, OPEN_DIR);
      } catch (e) {
        const code = (e as { code?: unknown }).code;
        if ((code === 'ELOOP' || code === 'ENOTDIR') && attempt < WALK_RETRIES) continue;
        return hostFail(e, 'open directory', name);
      }
      const ident = this.confirm(fd, st, name);
      return { dir: new HostDir(fd, this.ctx, p, ident) };
    }
  }

  /**
   * Path fallback, after an open: the fd must be the object lstat saw (or, for a fresh
   * create, the object now at the path), and this directory must still be where its
   * path says. Closes the fd and fails otherwise.
   */
  private confirm(fd: number, before: fs.BigIntStats | undefined, name: string): Ident {
    try {
      const got = fs.fstatSync(fd, { bigint: true });
      const ref = before ?? fs.lstatSync(this.childPath(name)!, { bigint: true, throwIfNoEntry: false });
      if (!ref || ref.dev !== got.dev || ref.ino !== got.ino) {
        fail('notcapable', `"${name}" changed while it was being opened`);
      }
      this.verify();
      return { dev: got.dev, ino: got.ino };
    } catch (e) {
      closeQuietly(fd);
      return hostFail(e, 'open', name);
    }
  }

  leafLink(name: string): string | undefined {
    checkName(name);
    if (name === '.') return undefined;
    const p = this.at(name);
    const st = lstat(p, name);
    return st?.isSymbolicLink() ? this.readlinkOrUndefined(p, name) : undefined;
  }

  /** readlink, or undefined when it stopped being a symlink (the caller re-checks). */
  private readlinkOrUndefined(p: string, name: string): string | undefined {
    try {
      return fs.readlinkSync(p);
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (code === 'EINVAL' || code === 'ENOENT') return undefined;
      return hostFail(e, 'readlink', name);
    }
  }

  // ---- leaf operations ----

  /** A fresh handle on this same directory. */
  private reopen(): HostDir {
    const p = this.at('.');
    let fd: number;
    try {
      fd = fs.openSync(p, OPEN_DIR);
    } catch (e) {
      return hostFail(e, 'open directory', '.');
    }
    return new HostDir(fd, this.ctx, this.path, this.ident);
  }

  override openAt(name: string, req: OpenRequest): Handle {
    checkName(name);
    if (this.readonly && (wantsWrite(req) || (name === '.' && req.exclusive))) {
      const st = name === '.' ? undefined : lstat(this.at(name), name);
      checkReadOnlyOpen(name, name === '.' ? 'directory' : st && typeOfMode(st.mode), req);
    }
    // Linux before 6.4 could create a regular file for O_CREAT|O_DIRECTORY; 6.4+ says EINVAL.
    if (req.create && req.directory) fail('inval', 'create and directory together');
    const write = !!req.write;
    let flags = OPEN_BASE | (write ? (req.read ? O.O_RDWR : O.O_WRONLY) : O.O_RDONLY);
    if (req.create) flags |= O.O_CREAT;
    if (req.exclusive) flags |= O.O_EXCL;
    if (req.truncate) flags |= O.O_TRUNC;
    if (req.directory) flags |= O.O_DIRECTORY;
    const p = this.at(name);
    const before = this.ctx.confinement === 'path' ? lstatBig(p, name) : undefined;
    confinementHooks.beforeOpen?.(name, this.ctx.confinement);
    let fd: number;
    try {
      fd = fs.openSync(p, flags, 0o666);
    } catch (e) {
      return hostFail(e, 'open', name);
    }
    const ident = this.ctx.confinement === 'path' ? this.confirm(fd, before, name) : undefined;
    // O_DIRECTORY proves a directory and an open for writing proves the opposite (the
    // kernel refuses to open a directory for writing), so only a read-only open needs fstat.
    let type: ReturnType<typeof typeOfMode> | undefined;
    if (req.directory) type = 'directory';
    else if (!write) {
      try {
        type = typeOfMode(fs.fstatSync(fd).mode);
      } catch (e) {
        closeQuietly(fd);
        return hostFail(e, 'open', name);
      }
    }
    if (type === 'directory') return new HostDir(fd, this.ctx, this.childPath(name), ident);
    return new HostFile(fd, this.ctx, {
      readable: !write || !!req.read,
      writable: write,
      append: !!req.append,
      type,
      path: this.childPath(name),
      ident,
      name,
    });
  }

  override statAt(name: string): Stat {
    checkName(name);
    if (name === '.') {
      this.at(name);
      return this.stat();
    }
    const st = lstatBig(this.at(name), name);
    if (!st) fail('noent', `no such file or directory "${name}"`);
    return toStat(st);
  }

  override readlinkAt(name: string): string {
    checkName(name);
    try {
      return fs.readlinkSync(this.at(name));
    } catch (e) {
      return hostFail(e, 'readlink', name);
    }
  }

  override setTimesAt(name: string, atim: TimeChange, mtim: TimeChange): void {
    checkName(name);
    if (this.readonly) refuseReadOnly();
    if (name === '.') {
      this.at(name);
      this.setTimes(atim, mtim);
      return;
    }
    const p = this.at(name);
    try {
      applyTimes({
        current: () => {
          const st = lstatBig(p, name);
          if (!st) fail('noent', `no such file or directory "${name}"`);
          return st;
        },
        viaNode: (a, m) => fs.lutimesSync(p, a, m),
        touch: () => this.ctx.confinement === 'proc'
          ? { path: `/proc/self/fd/0/${name}`, stdin: this.live(), noDereference: true }
          : { path: this.at(name), noDereference: true },
      }, atim, mtim);
    } catch (e) {
      hostFail(e, 'set times', name);
    }
  }

  override mkdirAt(name: string): void {
    checkName(name);
    if (this.readonly) refuseReadOnly();
    try {
      fs.mkdirSync(this.at(name), 0o777);
    } catch (e) {
      hostFail(e, 'mkdir', name);
    }
  }

  override rmdirAt(name: string): void {
    checkName(name);
    if (this.readonly) refuseReadOnly();
    try {
      fs.rmdirSync(this.at(name));
    } catch (e) {
      hostFail(e, 'rmdir', name);
    }
  }

  override unlinkAt(name: string): void {
    checkName(name);
    if (this.readonly) refuseReadOnly();
    try {
      fs.unlinkSync(this.at(name));
    } catch (e) {
      hostFail(e, 'unlink', name);
    }
  }

  /**
   * The target is stored as given, but absolute targets are refused at creation (as
   * wasmtime does): the resolver would refuse to follow them anyway, and a host program
   * reading the directory later should not find a link out of it.
   */
  override symlinkAt(target: string, name: string): void {
    checkName(name);
    if (this.readonly) refuseReadOnly();
    checkSymlinkTarget(target);
    try {
      fs.symlinkSync(target, this.at(name));
    } catch (e) {
      hostFail(e, 'symlink', name);
    }
  }

  override renameAt(name: string, dst: DirHandle, dstName: string): void {
    const to = this.peer(name, dst, dstName);
    try {
      fs.renameSync(this.at(name), to.at(dstName));
    } catch (e) {
      hostFail(e, 'rename', name);
    }
  }

  /** link(2) on Linux does not follow a symlink source: the link itself is linked. */
  override linkAt(name: string, dst: DirHandle, dstName: string): void {
    const to = this.peer(name, dst, dstName);
    try {
      fs.linkSync(this.at(name), to.at(dstName));
    } catch (e) {
      hostFail(e, 'link', name);
    }
  }

  /**
   * The other directory of a rename or link: any host directory the guest holds (both
   * ends are its capabilities), writable on both sides; another backend is xdev.
   */
  private peer(name: string, dst: DirHandle, dstName: string): HostDir {
    checkName(name);
    checkName(dstName);
    if (this.readonly) refuseReadOnly();
    const to = unwrapDir(dst, dstName);
    if (!(to instanceof HostDir)) fail('xdev', 'rename or link across file systems');
    if (to.readonly) refuseReadOnly();
    return to;
  }

  override sameDevice(other: DirHandle): boolean {
    return unwrapDir(other) instanceof HostDir;
  }

  protected override onClose(): void {
    closeQuietly(this.fd);
    this.fd = -1;
  }
}

/** An error opening a host path given by the embedder or the policy (not by the guest). */
export class HostPathError extends Error {
  readonly userFacing = true;
}

/**
 * A confined handle on host directory `path`. The path itself is the embedder's choice
 * and is resolved once, here; from then on the guest reaches only what is below it.
 */
export function openHostDir(path: string, options: { readonly: boolean; confinement?: 'proc' | 'path'; quota?: ByteQuota | undefined }): HostDir {
  const confinement = options.confinement ?? detectConfinement();
  let real: string;
  let fd: number;
  try {
    real = fs.realpathSync(path);
    fd = fs.openSync(real, OPEN_DIR);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'ENOTDIR' ? 'is not a directory' : code === 'EACCES' ? 'is not readable' : `cannot be opened (${String(code)})`;
    throw new HostPathError(`host directory "${path}" ${why}`);
  }
  const st = fs.fstatSync(fd, { bigint: true });
  return new HostDir(fd, { confinement, readonly: options.readonly, quota: options.quota }, real, { dev: st.dev, ino: st.ino });
}
