/**
 * The mount table: several backends under one guest namespace. Mounts may nest (a
 * snapshot at `/usr/lib` inside one at `/`); the deepest mount at a path wins, and a
 * directory holding mount points lists them beside its own entries. Mount points can
 * be neither removed nor renamed (busy), and renames between backends are xdev.
 *
 * It works as a wrapper: an `OverlayDir` stands for a directory that has mount points
 * somewhere below it and forwards everything else to the backend directory it wraps.
 * Directories without mounts below them are returned unwrapped, so the common case
 * costs nothing.
 */
import { compareNames } from '../util/names.js';
import { fail, WasiError } from './errors.js';
import { checkReadOnlyOpen } from './read-only.js';
import {
  DirHandle, Handle,
  type DirEntry, type OpenRequest, type Stat, type TimeChange, type Walk,
} from './handle.js';

/** A single file mounted at a guest path (`runtime-file`). */
export interface FileMount {
  open(req: OpenRequest): Handle;
  stat(): Stat;
  /** Release what the mount holds open on the host (the kernel's teardown). */
  destroy?(): void;
}

export type MountTarget = DirHandle | FileMount;

class TrieNode {
  readonly children = new Map<string, TrieNode>();
  mount: MountTarget | undefined;
  constructor(readonly guestPath: string) {}
}

function isDir(target: MountTarget): target is DirHandle {
  return target instanceof DirHandle;
}

/** Split an absolute guest path into components, refusing `.`/`..` and relative paths. */
export function guestComponents(guestPath: string): string[] {
  if (!guestPath.startsWith('/')) throw new Error(`mount path "${guestPath}" must be absolute`);
  const parts = guestPath.split('/').filter((p) => p !== '');
  for (const p of parts) {
    if (p === '.' || p === '..') throw new Error(`mount path "${guestPath}" must not contain "${p}"`);
    if (p.includes('\0')) throw new Error(`mount path "${guestPath}" contains a NUL byte`);
  }
  return parts;
}

export class MountTable {
  private readonly root = new TrieNode('/');
  private readonly preopenPaths: string[] = [];

  /** Mount `target` at absolute guest path `guestPath`; `preopen` also lists it as a guest preopen. */
  mount(guestPath: string, target: MountTarget, options: { preopen?: boolean } = {}): void {
    const parts = guestComponents(guestPath);
    let node = this.root;
    for (const part of parts) {
      let next = node.children.get(part);
      if (!next) {
        next = new TrieNode(node.guestPath === '/' ? `/${part}` : `${node.guestPath}/${part}`);
        node.children.set(part, next);
      }
      node = next;
    }
    if (node.mount) throw new Error(`two mounts for guest path "${node.guestPath}"`);
    if (target instanceof Handle) target.pinned = true;
    node.mount = target;
    if (options.preopen) {
      if (!isDir(target)) throw new Error(`preopen "${node.guestPath}" must be a directory`);
      this.preopenPaths.push(node.guestPath);
    }
  }

  /** The guest preopens in mount order: name and a root handle that sees nested mounts. */
  preopens(): [string, DirHandle][] {
    return this.preopenPaths.map((p) => [p, this.rootAt(p)]);
  }

  /** The directory at a mount point, wrapped so mounts below it show through. */
  rootAt(guestPath: string): DirHandle {
    let node = this.root;
    for (const part of guestComponents(guestPath)) {
      const next = node.children.get(part);
      if (!next) throw new Error(`nothing mounted at "${guestPath}"`);
      node = next;
    }
    if (!node.mount || !isDir(node.mount)) throw new Error(`no directory mounted at "${guestPath}"`);
    return wrap(node.mount, node);
  }

  /** Every mounted target, for the host's teardown. */
  targets(): MountTarget[] {
    const out: MountTarget[] = [];
    const visit = (n: TrieNode): void => {
      if (n.mount) out.push(n.mount);
      for (const c of n.children.values()) visit(c);
    };
    visit(this.root);
    return out;
  }
}

function wrap(inner: DirHandle, node: TrieNode): DirHandle {
  return node.children.size === 0 ? inner : new OverlayDir(inner, node);
}

/** A directory with nothing in it, standing where mounts nest below a path no backend has. */
export class EmptyDir extends DirHandle {
  constructor(private readonly ino: bigint) {
    super();
    this.readable = true;
  }
  override stat(): Stat {
    return { dev: 0n, ino: this.ino, type: 'directory', nlink: 1n, size: 0n, atim: 0n, mtim: 0n, ctim: 0n };
  }
  override readdir(): DirEntry[] { return []; }
  walk(name: string): Walk { return fail('noent', `no "${name}" here`); }
  leafLink(): undefined { return undefined; }
  override openAt(name: string, req: OpenRequest): Handle {
    checkReadOnlyOpen(name, name === '.' ? 'directory' : undefined, req);
    return new EmptyDir(this.ino);
  }
  override statAt(name: string): Stat {
    if (name !== '.') fail('noent', `no "${name}" here`);
    return this.stat();
  }
}

let syntheticIno = 1n << 48n;

class OverlayDir extends DirHandle {
  constructor(
    readonly inner: DirHandle,
    private readonly node: TrieNode,
  ) {
    super();
    this.readonly = inner.readonly;
    this.readable = inner.readable;
    this.writable = inner.writable;
    this.flags = inner.flags;
  }

  /** The overlay (or plain) directory for child trie node `child`. */
  private enter(name: string, child: TrieNode): DirHandle {
    if (child.mount) {
      if (!isDir(child.mount)) fail('notdir', `"${child.guestPath}" is a mounted file`);
      return wrap(child.mount, child);
    }
    let under: DirHandle;
    try {
      const walked = this.inner.walk(name);
      under = 'dir' in walked ? walked.dir : new EmptyDir(syntheticIno++);
    } catch (e) {
      if (!(e instanceof WasiError)) throw e;
      under = new EmptyDir(syntheticIno++);
    }
    return new OverlayDir(under, child);
  }

  private busy(name: string): void {
    const child = this.node.children.get(name);
    if (child) fail('busy', `"${child.guestPath}" is a mount point`);
  }

  override stat(): Stat { return this.inner.stat(); }
  override setTimes(a: TimeChange, m: TimeChange): void { this.inner.setTimes(a, m); }
  override sync(dataOnly: boolean): void { this.inner.sync(dataOnly); }

  override readdir(): DirEntry[] {
    const own = this.inner.readdir().filter((e) => !this.node.children.has(e.name));
    for (const [name, child] of this.node.children) {
      const type = child.mount && !isDir(child.mount) ? child.mount.stat().type : 'directory';
      own.push({ name, type, ino: 0n });
    }
    return own.sort((a, b) => compareNames(a.name, b.name));
  }

  walk(name: string): Walk {
    const child = this.node.children.get(name);
    if (!child) return this.inner.walk(name);
    return { dir: this.enter(name, child) };
  }

  leafLink(name: string): string | undefined {
    return this.node.children.has(name) ? undefined : this.inner.leafLink(name);
  }

  override release(): void { this.inner.release(); }
  protected override onClose(): void { this.inner.close(); }

  override openAt(name: string, req: OpenRequest): Handle {
    if (name === '.') return wrapHandle(this.inner.openAt('.', req), this.node);
    const child = this.node.children.get(name);
    if (!child) return this.inner.openAt(name, req);
    if (req.exclusive) fail('exist', `"${child.guestPath}" exists`);
    if (child.mount && !isDir(child.mount)) return child.mount.open(req);
    const dir = this.enter(name, child);
    try {
      return dir.openAt('.', req);
    } finally {
      dir.release();
    }
  }

  override statAt(name: string): Stat {
    if (name === '.') return this.stat();
    const child = this.node.children.get(name);
    if (!child) return this.inner.statAt(name);
    if (child.mount && !isDir(child.mount)) return child.mount.stat();
    const dir = this.enter(name, child);
    try {
      return dir.stat();
    } finally {
      dir.release();
    }
  }

  override readlinkAt(name: string): string {
    if (this.node.children.has(name)) fail('inval', `"${name}" is not a symlink`);
    return this.inner.readlinkAt(name);
  }
  override setTimesAt(name: string, a: TimeChange, m: TimeChange): void {
    this.busy(name);
    this.inner.setTimesAt(name, a, m);
  }
  override mkdirAt(name: string): void {
    if (this.node.children.has(name)) fail('exist', `"${name}" exists`);
    this.inner.mkdirAt(name);
  }
  override rmdirAt(name: string): void { this.busy(name); this.inner.rmdirAt(name); }
  override unlinkAt(name: string): void { this.busy(name); this.inner.unlinkAt(name); }
  override symlinkAt(target: string, name: string): void {
    if (this.node.children.has(name)) fail('exist', `"${name}" exists`);
    this.inner.symlinkAt(target, name);
  }
  override renameAt(name: string, dst: DirHandle, dstName: string): void {
    this.busy(name);
    this.inner.renameAt(name, unwrapDir(dst, dstName), dstName);
  }
  override linkAt(name: string, dst: DirHandle, dstName: string): void {
    this.busy(name);
    this.inner.linkAt(name, unwrapDir(dst, dstName), dstName);
  }
  override sameDevice(other: DirHandle): boolean {
    return this.inner.sameDevice(other instanceof OverlayDir ? other.inner : other);
  }
}

function wrapHandle(h: Handle, node: TrieNode): Handle {
  return h instanceof DirHandle ? wrap(h, node) : h;
}

/**
 * The backend directory behind an overlay (itself when not wrapped). Backends call this
 * on the far side of a rename or link; given the child name it also refuses (busy) when
 * that name is a mount point, which only the overlay knows.
 */
export function unwrapDir(dir: DirHandle, childName?: string): DirHandle {
  if (!(dir instanceof OverlayDir)) return dir;
  const child = childName === undefined ? undefined : (dir as unknown as { node: TrieNode }).node.children.get(childName);
  if (child) fail('busy', `"${child.guestPath}" is a mount point`);
  return dir.inner;
}
