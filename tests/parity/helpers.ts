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

/** `node dist/cli/main.cjs ...args` (the bin) in `cwd`. */
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

// Prints "preopen <name>" for fds 3, 4, ... until fd_prestat_get fails, then "env <K=V>"
// for each variable, in order.
export const SHOW = `(module
  (import "wasi_snapshot_preview1" "fd_prestat_get" (func $prestat (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_prestat_dir_name" (func $dir_name (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $env_sizes (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get" (func $env_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 2)
  (data (i32.const 256) "preopen ")
  (data (i32.const 272) "env ")
  (data (i32.const 288) "\\n")
  (func $put (param $at i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $at))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func $strlen (param $p i32) (result i32)
    (local $n i32)
    (block $end (loop $next
      (br_if $end (i32.eqz (i32.load8_u (i32.add (local.get $p) (local.get $n)))))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $next)))
    (local.get $n))
  (func (export "_start")
    (local $fd i32) (local $len i32) (local $i i32) (local $p i32)
    (local.set $fd (i32.const 3))
    (block $done (loop $next
      (br_if $done (call $prestat (local.get $fd) (i32.const 16)))
      (local.set $len (i32.load (i32.const 20)))
      (drop (call $dir_name (local.get $fd) (i32.const 1024) (local.get $len)))
      (call $put (i32.const 256) (i32.const 8))
      (call $put (i32.const 1024) (local.get $len))
      (call $put (i32.const 288) (i32.const 1))
      (local.set $fd (i32.add (local.get $fd) (i32.const 1)))
      (br $next)))
    (drop (call $env_sizes (i32.const 32) (i32.const 36)))
    (drop (call $env_get (i32.const 4096) (i32.const 16384)))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (i32.load (i32.const 32))))
      (local.set $p (i32.load (i32.add (i32.const 4096) (i32.shl (local.get $i) (i32.const 2)))))
      (call $put (i32.const 272) (i32.const 4))
      (call $put (local.get $p) (call $strlen (local.get $p)))
      (call $put (i32.const 288) (i32.const 1))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next))))
)`;
