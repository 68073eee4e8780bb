/**
 * One host file mounted at a guest path (`runtime-file`). The embedder's path is resolved
 * once, at mount time; after that the file is reached through its parent directory's fd
 * with O_NOFOLLOW, so whatever the guest does elsewhere (say, through a writable preopen
 * that holds the same directory) cannot turn this mount into a link to another file.
 * Each `open` opens the file afresh: a fresh cursor, and the file now at that name (a host
 * program that replaces it by rename is seen).
 */
import fs from 'node:fs';
import nodePath from 'node:path';
import { fail } from '../errors.js';
import { DirHandle, type Handle, type OpenRequest, type Stat } from '../handle.js';
import type { FileMount } from '../mount-table.js';
import type { ByteQuota } from '../quota.js';
import { detectConfinement, type Confinement } from './confine.js';
import { HostPathError, openHostDir, type HostDir } from './host-dir.js';

export class HostFileMount implements FileMount {
  constructor(
    private readonly parent: HostDir,
    private readonly name: string,
  ) {}

  open(req: OpenRequest): Handle {
    if (req.directory) fail('notdir', `"${this.name}" is not a directory`);
    const h = this.parent.openAt(this.name, req);
    if (h instanceof DirHandle) {
      h.close();
      fail('isdir', `"${this.name}" is a directory`);
    }
    return h;
  }

  stat(): Stat {
    return this.parent.statAt(this.name);
  }

  /** Ends the parent directory's fd (the host's teardown). */
  destroy(): void {
    this.parent.destroy();
  }
}

export function openHostFile(path: string, options: { readonly: boolean; confinement?: Confinement; quota?: ByteQuota | undefined }): HostFileMount {
  let real: string;
  try {
    real = fs.realpathSync(path);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    throw new HostPathError(`host file "${path}" ${code === 'ENOENT' ? 'does not exist' : `cannot be opened (${String(code)})`}`);
  }
  if (fs.statSync(real).isDirectory()) throw new HostPathError(`host file "${path}" is a directory`);
  const parent = openHostDir(nodePath.dirname(real), { readonly: options.readonly, confinement: options.confinement ?? detectConfinement(), quota: options.quota });
  parent.pinned = true;
  return new HostFileMount(parent, nodePath.basename(real));
}
