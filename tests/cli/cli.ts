/**
 * Spawning the built CLI (dist/ is built by `npm test`'s pretest, or by the vitest global
 * setup when a file runs alone).
 */
import { spawnSync } from 'node:child_process';
import { MAIN } from '../helpers/build.js';
import { ROOT } from '../helpers/guests.js';

export { ensureBuilt, MAIN } from '../helpers/build.js';

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
  /** stderr split into lines, without the final empty one. */
  errLines: string[];
}

export function cli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; uid?: number; gid?: number } = {}): CliResult {
  const r = spawnSync(process.execPath, [MAIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env: options.env ?? process.env,
    encoding: 'utf8',
    timeout: 30_000,
    uid: options.uid,
    gid: options.gid,
  });
  const stderr = r.stderr ?? '';
  return { status: r.status, stdout: r.stdout ?? '', stderr, errLines: stderr.split('\n').filter((l, i, a) => !(l === '' && i === a.length - 1)) };
}
