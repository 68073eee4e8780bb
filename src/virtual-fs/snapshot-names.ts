/**
 * Guest names must be UTF-8 (Node only). Node decodes host names as UTF-8 and turns
 * invalid bytes into U+FFFD, so these checks read the raw bytes wherever a decoded name
 * or symlink target holds U+FFFD.
 */
import { readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { SnapshotError } from './snapshot-format.js';
import { hostError } from './snapshot-host-errors.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Node decodes host names as UTF-8 and turns invalid bytes into U+FFFD, so two host
 * names can become one guest name and the decoded name no longer opens the file. A name
 * holding U+FFFD is checked against the raw bytes; a name that is not UTF-8 is refused.
 */
export function checkUtf8Names(hostDir: string, checked: Set<string>): void {
  if (checked.has(hostDir)) return;
  checked.add(hostDir);
  let raw: Buffer[];
  try {
    raw = readdirSync(hostDir, { encoding: 'buffer' });
  } catch (e) {
    throw hostError('list', hostDir, e);
  }
  for (const name of raw) {
    try {
      strictUtf8.decode(name);
    } catch {
      throw new SnapshotError(
        `"${join(hostDir, name.toString('utf8'))}" has a name that is not valid UTF-8 (bytes ${name.toString('hex')}); guest file names must be UTF-8`,
      );
    }
  }
}

/** Refuse a symlink target (read as `target`) that is not UTF-8 on the host. */
export function checkUtf8Target(host: string, target: string): void {
  if (!target.includes('\ufffd')) return;
  const raw = readlinkSync(host, { encoding: 'buffer' });
  try {
    strictUtf8.decode(raw);
  } catch {
    throw new SnapshotError(`symlink "${host}" has a target that is not valid UTF-8 (bytes ${raw.toString('hex')})`);
  }
}
