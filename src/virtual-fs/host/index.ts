/**
 * STUB (branch p1surface): the confined host backend lands from branch `hostfs`; this file
 * only holds its exports' shape so the Node platform compiles. Drop it at merge time.
 */
import type { DirHandle } from '../handle.js';
import type { FileMount } from '../mount-table.js';

export function openHostDir(path: string, _options: { readonly: boolean }): DirHandle {
  throw new Error(`host directories are not available in this build yet (cannot open ${path})`);
}

export function openHostFile(path: string, _options: { readonly: boolean }): FileMount {
  throw new Error(`host files are not available in this build yet (cannot open ${path})`);
}
