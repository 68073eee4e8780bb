/**
 * Run the built CLI (dist/cli/main.cjs, the bin) in a child process (dist/ is built by `npm test`'s
 * pretest, or by the vitest global setup when a file runs alone).
 */
import { spawnSync } from 'node:child_process';
import { MAIN } from '../helpers/build.js';
import { ROOT } from '../helpers/guests.js';

export { ensureBuilt } from '../helpers/build.js';
export const CLI = MAIN;

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function cli(args: string[], options: { input?: string; cwd?: string; env?: Record<string, string> } = {}): CliResult {
  const env = options.env ? { ...process.env, ...options.env } : process.env;
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: options.cwd ?? ROOT, input: options.input ?? '', env, encoding: 'utf8', timeout: 60_000, maxBuffer: 256 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Run a Node script (ESM source) in a child process, from the repository root. */
export function node(script: string, options: { input?: string } = {}): CliResult {
  const r = spawnSync(process.execPath, ['--no-warnings', '--input-type=module', '-e', script], { cwd: ROOT, input: options.input ?? '', encoding: 'utf8', timeout: 60_000, maxBuffer: 256 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
