/**
 * Compose tests: temp directories outside the repository (so a bundle cannot lean on
 * the repository's node_modules), the built CLI, and child Node processes running bundles.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach } from 'vitest';
import { cli, ensureBuilt, type CliResult } from '../cli/cli.js';

export { cli, ensureBuilt };

const made: string[] = [];

/** A fresh temp directory, removed after the test. */
export function tempDir(prefix = 'wv-compose-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  made.push(d);
  return d;
}

afterEach(() => {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Write files (path relative to `root` → contents). */
export function writeTree(root: string, files: Record<string, string | Uint8Array>): void {
  for (const [p, data] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), data);
  }
}

export interface Ran extends CliResult {}

function result(r: ReturnType<typeof spawnSync>): Ran {
  const stderr = String(r.stderr ?? '');
  return {
    status: r.status,
    stdout: String(r.stdout ?? ''),
    stderr,
    errLines: stderr.split('\n').filter((l, i, a) => !(l === '' && i === a.length - 1)),
  };
}

/** `node <entry> ...args` in `cwd`. */
export function runNode(entry: string, args: string[] = [], options: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {}): Ran {
  return result(spawnSync(process.execPath, [entry, ...args], {
    cwd: options.cwd ?? tmpdir(),
    input: options.input ?? '',
    env: options.env ?? process.env,
    encoding: 'utf8',
    timeout: 60_000,
  }));
}

/** An ES module script in a child process, run from `cwd`. */
export function runScript(script: string, cwd: string): Ran {
  return result(spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd,
    input: '',
    encoding: 'utf8',
    timeout: 60_000,
  }));
}
