/** How the snapshot builder names what it met on the host (Node only). */
import { hostReason } from '../util/host-error.js';
import { SnapshotError } from './snapshot-format.js';

export function describeType(st: { isFIFO(): boolean; isSocket(): boolean; isBlockDevice(): boolean; isCharacterDevice(): boolean }): string {
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isCharacterDevice()) return 'a character device';
  return 'neither a file, a directory nor a symlink';
}

/** A failed host call as a one-line SnapshotError naming the host path. */
export function hostError(what: string, host: string, err: unknown): SnapshotError {
  const gone = (err as { code?: unknown } | null)?.code === 'ENOENT';
  const why = gone ? 'it vanished while the snapshot was built' : hostReason(err);
  return new SnapshotError(`cannot ${what} "${host}": ${why}`);
}

