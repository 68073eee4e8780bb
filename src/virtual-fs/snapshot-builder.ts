/**
 * STUB (branch p1surface): the snapshot builder lands from branch `snapshot`; this file
 * only holds its export's shape so the Node platform compiles. Drop it at merge time.
 */
import type { VirtualizeOptions } from '../policy/types.js';

export function buildSnapshot(options: VirtualizeOptions & { onProgress?: (files: number, bytes: number, done?: boolean) => void }): {
  bytes: Uint8Array; hash: string; files: number; dirs: number; symlinks: number; contentBytes: number;
} {
  throw new Error(`snapshot mounts are not available in this build yet (cannot snapshot ${options.path})`);
}
