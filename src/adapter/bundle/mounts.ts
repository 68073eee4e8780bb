/**
 * The `virtualize` entries of a policy with the keys the host looks their snapshots up
 * by (src/adapter/kernel/fs.ts: the preopen name, then the path inside nested `dir`
 * entries). Compose builds one snapshot per entry; a bundle checks it holds each.
 */
import type { FsEntry, Policy, VirtualizeOptions } from '../../policy/types.js';
import { nestedKey } from '../../policy/guest-path.js';

export interface VirtualizeEntry {
  key: string;
  options: VirtualizeOptions;
}

export function virtualizeEntries(policy: Policy): VirtualizeEntry[] {
  const out: VirtualizeEntry[] = [];
  const visit = (key: string, entry: FsEntry): void => {
    if ('virtualize' in entry) {
      out.push({ key, options: typeof entry.virtualize === 'string' ? { path: entry.virtualize } : entry.virtualize });
    } else if ('dir' in entry) {
      for (const [name, child] of Object.entries(entry.dir)) visit(nestedKey(key, [name]), child);
    }
  };
  for (const [name, entry] of Object.entries(policy.fs?.preopens ?? {})) visit(name, entry);
  return out;
}
