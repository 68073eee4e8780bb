/** Writable host directories for the preview1 tests: the confined host backend. */
import { openHostDir } from '../../src/virtual-fs/host/index.js';
import type { DirHandle } from '../../src/virtual-fs/handle.js';

export function hostDir(path: string): DirHandle {
  return openHostDir(path, { readonly: false });
}
