/**
 * Snapshot decoding (format: docs/snapshot-format.md). PLACEHOLDER until the snapshot
 * work lands: the signature is the contract the host uses.
 */
import type { RoTree } from './ro-tree.js';

export function decodeSnapshot(_bytes: Uint8Array, _dev: bigint): RoTree {
  throw new Error('snapshots are not implemented yet');
}
