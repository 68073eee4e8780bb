/**
 * The guest file system a policy describes: each `fs.preopens` entry becomes a preopen,
 * memory entries become read-only trees, `virtualize` entries snapshots, and
 * `runtime-dir` / `runtime-file` entries confined host paths, at any depth (a runtime
 * dir nested inside a memory tree is a mount like any other). Absolute preopen names
 * share one namespace, so a mount at `/usr/lib` shows inside one at `/`; relative names
 * (`.`, as `wasmtime --dir .` gives) are separate roots.
 */
import type { FsEntry, FsPolicy, RuntimeDirOptions, VirtualizeOptions } from '../../policy/types.js';
import { DirHandle } from '../../virtual-fs/handle.js';
import { MemoryTree } from '../../virtual-fs/memory-tree.js';
import { EmptyDir, MountTable, type MountTarget } from '../../virtual-fs/mount-table.js';
import { nestedKey, normalizeGuestPath } from '../../policy/guest-path.js';
import { RoDir } from '../../virtual-fs/ro-tree.js';
import { decodeSnapshot, snapshotRoot } from '../../virtual-fs/snapshot.js';
import { resolve } from '../../virtual-fs/resolver.js';
import { WasiError } from '../../virtual-fs/errors.js';
import type { ByteQuota } from '../../virtual-fs/quota.js';
import type { Platform } from './platform.js';

export interface FsOptions {
  policy: FsPolicy | undefined;
  /** Preopens the embedder supplies (node:wasi style): guest name to host path or handle. */
  hostPreopens?: Record<string, string | DirHandle>;
  /** Prebuilt snapshots by the guest path of their `virtualize` entry (bundles carry these). */
  snapshots?: Record<string, Uint8Array>;
  platform: Platform;
  /** What every host file's writes draw on (`limits.write-bytes`). */
  writeQuota?: ByteQuota | undefined;
}

export interface GuestFs {
  preopens: [string, DirHandle][];
  table: MountTable;
  /** Roots outside the absolute namespace (relative preopen names). */
  others: DirHandle[];
  /** Close every host resource any mount holds (the kernel's teardown). */
  destroy(): void;
}

export class FsSetupError extends Error {
  readonly userFacing = true;
}

export function virtualizeOptions(v: string | VirtualizeOptions): VirtualizeOptions {
  return typeof v === 'string' ? { path: v } : v;
}

export function runtimeDirOptions(v: string | RuntimeDirOptions): RuntimeDirOptions {
  return typeof v === 'string' ? { path: v } : v;
}

export function buildGuestFs(options: FsOptions): GuestFs {
  const { platform } = options;
  const quota = options.writeQuota ? { quota: options.writeQuota } : {};
  const table = new MountTable();
  const others: DirHandle[] = [];
  // Every table built here, the relative preopens' own ones included: dispose walks them all.
  const tables = [table];
  let dev = 1n;

  const need = <K extends keyof Platform>(what: K, why: string): NonNullable<Platform[K]> => {
    const f = platform[what];
    if (!f) throw new FsSetupError(`${why} needs a host file system, which the ${platform.name} platform does not have`);
    return (f as (...a: unknown[]) => unknown).bind(platform) as NonNullable<Platform[K]>;
  };

  const target = (guest: string, entry: FsEntry, nested: (p: string[], e: FsEntry) => void): MountTarget => {
    if ('dir' in entry) return new RoDir(MemoryTree.fromEntries(entry.dir, dev++, nested), 0);
    if ('virtualize' in entry) {
      const opts = virtualizeOptions(entry.virtualize);
      const bytes = options.snapshots?.[guest] ?? need('buildSnapshot', `mount "${guest}" (virtualize ${opts.path})`)(opts);
      // A snapshot of a single host file mounts as that file (WASI-Virt's `virtualize` of a file).
      return snapshotRoot(decodeSnapshot(bytes, dev++));
    }
    if ('runtime-dir' in entry) {
      const opts = runtimeDirOptions(entry['runtime-dir']);
      return need('openHostDir', `"${guest}" (runtime-dir ${opts.path})`)(opts.path, { readonly: opts.readonly ?? false, ...quota });
    }
    if ('runtime-file' in entry) {
      return need('openHostFile', `"${guest}" (runtime-file ${entry['runtime-file']})`)(entry['runtime-file'], { readonly: false, ...quota });
    }
    throw new FsSetupError(`"${guest}" must be a directory (dir, virtualize or runtime-dir) to be mounted there`);
  };

  // `key` names the entry in the policy (preopen name plus nested path; prebuilt snapshots
  // are keyed by it); `at` is where it goes in the mount table.
  const looseFiles: string[] = [];
  const mountTree = (key: string, at: string, entry: FsEntry, into: MountTable, preopen: boolean): boolean => {
    const pending: [string[], FsEntry][] = [];
    const t = target(key, entry, (p, e) => pending.push([p, e]));
    if (preopen && !(t instanceof DirHandle)) {
      // A single file at an absolute guest path (`--mount /etc/motd=./motd`) mounts there;
      // the directories above it are synthesized. A relative name has nowhere to hang it.
      if (!isAbsoluteName(key)) {
        throw new FsSetupError(`preopen "${key}" is a single file, but a preopen must be a directory; mount the file inside a directory entry (docs/snapshot-format.md)`);
      }
      looseFiles.push(at);
      preopen = false;
    }
    into.mount(at, t, { preopen });
    for (const [p, e] of pending) mountTree(nestedKey(key, p), nestedKey(at, p), e, into, false);
    return preopen;
  };

  // Preopens keep the order they were given in (fds 3, 4, ... as node:wasi and wasmtime
  // number them); absolute ones are taken from the shared table once every mount is in,
  // so each root sees the mounts nested below it.
  const order: ({ abs: string } | { rel: [string, DirHandle] })[] = [];

  for (const [name, entry] of Object.entries(options.policy?.preopens ?? {})) {
    if (isAbsoluteName(name)) {
      if (mountTree(name, name, entry, table, true)) order.push({ abs: absoluteName(name) });
    } else {
      const own = new MountTable();
      tables.push(own);
      mountTree(name, '/', entry, own, true);
      const [[, root]] = own.preopens() as [[string, DirHandle]];
      order.push({ rel: [name, root] });
      others.push(root);
    }
  }
  const preopened = new Set(table.preopens().map(([p]) => p));
  const covered = (file: string): boolean =>
    [...preopened].some((p) => p === '/' || file.startsWith(`${p}/`));
  if (looseFiles.some((f) => !covered(f))) {
    // Nothing the guest can open reaches these files: give it an empty read-only `/`.
    table.mount('/', new EmptyDir(1n << 47n), { preopen: true });
    order.push({ abs: '/' });
  }
  const hostPreopens = Object.entries(options.hostPreopens ?? {});
  if (hostPreopens.length > 0 && options.policy && !options.policy['host-preopens']) {
    throw new FsSetupError('the policy denies host preopens (fs.host-preopens = false), but preopens were given');
  }
  for (const [name, host] of hostPreopens) {
    const dir = typeof host === 'string' ? need('openHostDir', `preopen "${name}"`)(host, { readonly: false, ...quota }) : host;
    if (isAbsoluteName(name)) {
      const abs = absoluteName(name);
      table.mount(abs, dir, { preopen: true });
      order.push({ abs });
    } else {
      dir.pinned = true;
      order.push({ rel: [name, dir] });
      others.push(dir);
    }
  }
  const preopens = order.map((o): [string, DirHandle] => ('abs' in o ? [o.abs, table.rootAt(o.abs)] : o.rel));
  const destroy = (): void => {
    for (const t of tables) for (const m of t.targets()) m.destroy?.();
    for (const d of others) d.destroy();
  };
  return { preopens, table, others, destroy };
}

/** An absolute preopen name in its one spelling (the policy's are already; an embedder's may not be). */
function absoluteName(name: string): string {
  const n = normalizeGuestPath(name);
  if ('error' in n) throw new FsSetupError(`preopen "${name}": ${n.error}`);
  return n.path;
}

function isAbsoluteName(name: string): boolean {
  return name.startsWith('/');
}

/**
 * Why `cwd` cannot be the guest's working directory, or undefined when it can: an
 * absolute path inside an absolute preopen must name a directory there. A guest without
 * a file system (or a relative cwd, which names no place) has nothing to check against.
 */
export function cwdProblem(fs: GuestFs, cwd: string): string | undefined {
  const roots = fs.preopens.filter(([name]) => isAbsoluteName(name));
  if (!isAbsoluteName(cwd) || fs.preopens.length === 0) return undefined;
  const inside = roots
    .filter(([name]) => name === '/' || cwd === name || cwd.startsWith(`${name}/`))
    .sort(([a], [b]) => b.length - a.length)[0];
  if (!inside) return `cwd "${cwd}" is outside every preopen (${fs.preopens.map(([n]) => n).join(', ')})`;
  const rest = cwd.slice(inside[0].length).replace(/^\/+/, '') || '.';
  try {
    const st = resolve(inside[1], rest, { follow: true }, (dir, name) => dir.statAt(name));
    return st.type === 'directory' ? undefined : `cwd "${cwd}" is not a directory in the guest's file system`;
  } catch (e) {
    if (e instanceof WasiError) return `cwd "${cwd}" does not exist in the guest's file system (${e.code})`;
    throw e;
  }
}
