/**
 * Shared by the parity tests: the built CLI and Node scripts in child processes (the
 * returnOnExit: false and default-stdio cases end or own a whole process), temp dirs,
 * and guests whose WASI namespace is chosen per test so both node:wasi versions run.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { ROOT, compileWat } from '../helpers/guests.js';
import { MAIN, ensureBuilt } from '../cli/cli.js';

export { ensureBuilt, ROOT };

export interface Proc {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `node dist/cli/main.js ...args` in `cwd`. */
export function wasiVirt(args: string[], options: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {}): Proc {
  const r = spawnSync(process.execPath, [MAIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env: options.env ?? process.env,
    input: options.input ?? '',
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** An ES module script run by Node from the repository root (`./dist/node.js` is ours). */
export function nodeScript(script: string, options: { input?: string } = {}): Proc {
  const r = spawnSync(process.execPath, ['--no-warnings', '--input-type=module', '-e', script], {
    cwd: ROOT,
    input: options.input ?? '',
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** A fresh temp dir, removed when the file's tests end. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `parity-${prefix}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export type Version = 'preview1' | 'unstable';
export const VERSIONS: readonly Version[] = ['preview1', 'unstable'];
export const NAMESPACE: Record<Version, string> = { preview1: 'wasi_snapshot_preview1', unstable: 'wasi_unstable' };

/** WAT whose imports name `$NS`: compiled once per version. */
export function guest(source: string, version: Version): Promise<Uint8Array> {
  return compileWat(source.replaceAll('$NS', NAMESPACE[version]), `parity-${version}.wat`);
}
