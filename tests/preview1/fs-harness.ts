/**
 * Running preview1 guests in tests: a Kernel over a policy plus optional host
 * directories, stdout/stderr captured, the guest started through createPreview1.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaptureSink, Kernel, type InputSource, type OutputSink } from '../../src/adapter/kernel/index.js';
import { createPreview1, type Preview1 } from '../../src/adapter/preview1/index.js';
import type { Version } from '../../src/adapter/preview1/abi.js';
import type { FsEntry, Policy } from '../../src/policy/types.js';
import type { DirHandle } from '../../src/virtual-fs/handle.js';
import { hostDir } from './host-dir.js';

export interface RunOptions {
  /** Memory trees by guest preopen name. */
  trees?: Record<string, Record<string, FsEntry>>;
  /** Host directories by guest preopen name (real temp dirs). */
  dirs?: Record<string, string>;
  stdin?: InputSource;
  /** Receives stdout instead of the capture (which then stays empty). */
  stdoutSink?: OutputSink;
  policy?: Partial<Policy>;
  version?: Version;
  args?: string[];
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
  p1: Preview1;
  host: Kernel;
  instance: WebAssembly.Instance;
}

export function makeHost(opts: RunOptions = {}): { host: Kernel; stdout: CaptureSink; stderr: CaptureSink } {
  const stdout = new CaptureSink();
  const stderr = new CaptureSink();
  const preopens: Record<string, FsEntry> = {};
  for (const [name, entries] of Object.entries(opts.trees ?? {})) preopens[name] = { dir: entries };
  const hostPreopens: Record<string, DirHandle> = {};
  for (const [name, path] of Object.entries(opts.dirs ?? {})) hostPreopens[name] = hostDir(path);
  const policy: Policy = {
    fs: { 'host-preopens': true, preopens },
    ...opts.policy,
  };
  const host = new Kernel({ policy, stdout: opts.stdoutSink ?? stdout, stderr, stdin: opts.stdin, preopens: hostPreopens, args: opts.args });
  return { host, stdout, stderr };
}

export async function run(module: Uint8Array, opts: RunOptions = {}): Promise<Run> {
  const { host, stdout, stderr } = makeHost(opts);
  const p1 = createPreview1(host, { version: opts.version });
  const { instance } = await WebAssembly.instantiate(module, p1.imports) as unknown as WebAssembly.WebAssemblyInstantiatedSource;
  try {
    const code = p1.start(instance);
    return { code, stdout: stdout.text(), stderr: stderr.text(), p1, host, instance };
  } finally {
    host.dispose();
  }
}

/** A fresh temp dir, removed by the returned cleanup. */
export function tempDir(prefix = 'p1core-'): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}
