/**
 * Symlinks in a snapshot (Node only): what target each one stores, and whether following
 * it would leave the mount. The check is the guest's own resolver (resolver.ts) walking
 * the host tree, so a link is judged exactly as the guest will follow it: `..` pops the
 * directory actually reached, links met on the way are followed within the same hop
 * budget, and a link that dangles, loops or runs into a file stays inside.
 */
import { lstatSync, readlinkSync } from 'node:fs';
import { isAbsolute, join, posix, resolve as resolvePath, sep } from 'node:path';
import { fail, WasiError } from './errors.js';
import { DirHandle, type Walk } from './handle.js';
import { resolve } from './resolver.js';
import { hostError } from './snapshot-host-errors.js';
import { checkUtf8Target } from './snapshot-names.js';

/** The mounted directory, under the path it was given by and its real path. */
export interface MountRoot {
  root: string;
  rootReal: string;
}

/** `abs` relative to the mount root (either spelling of it), or undefined when outside. */
function insideRel(abs: string, m: MountRoot): string | undefined {
  const norm = resolvePath(abs);
  for (const base of [m.root, m.rootReal]) {
    if (norm === base) return '';
    const prefix = base.endsWith(sep) ? base : base + sep;
    if (norm.startsWith(prefix)) return norm.slice(prefix.length).split(sep).join('/');
  }
  return undefined;
}

/**
 * The target a link in directory `linkDir` (relative to the mount) stores: as written when
 * relative; an absolute one inside the mount becomes the equivalent relative target (the
 * resolver refuses absolute targets); an absolute one outside stays absolute, which the
 * resolver refuses.
 */
function stored(target: string, linkDir: string, m: MountRoot): string {
  if (!isAbsolute(target)) return target;
  const inside = insideRel(target, m);
  if (inside === undefined) return target;
  const relative = posix.relative(`/${linkDir}`, `/${inside}`) || '.';
  return target.endsWith('/') && relative !== '.' ? `${relative}/` : relative;
}

/** A host directory inside the mount as the resolver walks it: only `walk` and `leafLink`. */
class MountDir extends DirHandle {
  constructor(
    private readonly m: MountRoot,
    private readonly rel: string,
  ) {
    super();
  }

  private at(name: string): { rel: string; host: string } {
    const rel = this.rel === '' ? name : `${this.rel}/${name}`;
    return { rel, host: join(this.m.root, rel) };
  }

  /** What is at `name`; anything the host will not show (gone, unreadable) counts as missing. */
  private look(name: string): { rel: string; kind: 'missing' | 'directory' | 'other' } | { rel: string; kind: 'link'; target: string } {
    const { rel, host } = this.at(name);
    try {
      const st = lstatSync(host);
      if (st.isSymbolicLink()) return { rel, kind: 'link', target: stored(readlinkSync(host), this.rel, this.m) };
      return { rel, kind: st.isDirectory() ? 'directory' : 'other' };
    } catch {
      return { rel, kind: 'missing' };
    }
  }

  walk(name: string): Walk {
    const found = this.look(name);
    if (found.kind === 'link') return { symlink: found.target };
    if (found.kind === 'directory') return { dir: new MountDir(this.m, found.rel) };
    return fail(found.kind === 'missing' ? 'noent' : 'notdir');
  }

  leafLink(name: string): string | undefined {
    const found = this.look(name);
    return found.kind === 'link' ? found.target : undefined;
  }
}

/** Following `target` from `linkDir` leaves the mount (the resolver refuses it as notcapable). */
function leaves(m: MountRoot, linkDir: string, target: string): boolean {
  try {
    resolve(new MountDir(m, ''), linkDir === '' ? target : `${linkDir}/${target}`, { follow: true }, () => undefined);
    return false;
  } catch (e) {
    if (!(e instanceof WasiError)) throw e;
    return e.code === 'notcapable';
  }
}

/**
 * The guest target of the symlink at `rel` (host path `host`), or undefined when
 * following it would leave the mount.
 */
export function linkTarget(m: MountRoot, rel: string, host: string): string | undefined {
  let target: string;
  try {
    target = readlinkSync(host);
  } catch (e) {
    throw hostError('read symlink', host, e);
  }
  checkUtf8Target(host, target);
  const linkDir = posix.dirname(rel) === '.' ? '' : posix.dirname(rel);
  const guest = stored(target, linkDir, m);
  return isAbsolute(guest) || leaves(m, linkDir, guest) ? undefined : guest;
}
