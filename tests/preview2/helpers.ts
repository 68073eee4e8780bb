/**
 * Running test guests as preview2 components through our import object: a WAT guest is
 * wrapped with jco's preview1 adapter, transpiled (cached under .cache/wasi-virt-test so
 * the user's cache stays clean) and run with captured stdio.
 */
import { join } from 'node:path';
import { BufferSource, CaptureSink } from '../../src/adapter/kernel/index.js';
import type { KernelOptions } from '../../src/adapter/kernel/index.js';
import { runComponent } from '../../src/adapter/preview2/instantiate.js';
import type { Policy } from '../../src/policy/types.js';
import { component, ROOT, wat } from '../helpers/guests.js';

process.env['WASI_VIRT_CACHE'] ??= join(ROOT, '.cache', 'wasi-virt-test');

export interface GuestRun {
  code: number;
  stdout: string;
  stderr: string;
  trace: string[];
}

export async function watComponent(name: string): Promise<Uint8Array> {
  return component(await wat(name));
}

export async function runGuest(
  bytes: Uint8Array,
  policy: Policy,
  options: Omit<KernelOptions, 'policy' | 'stdin'> & { stdin?: string } = {},
): Promise<GuestRun> {
  const stdout = new CaptureSink();
  const stderr = new CaptureSink();
  const trace: string[] = [];
  const { code } = await runComponent(bytes, {
    stdout,
    stderr,
    env: {},
    ...options,
    stdin: options.stdin !== undefined ? new BufferSource(options.stdin) : undefined,
    trace: options.trace ?? (policy.debug ? (l: string) => trace.push(l) : undefined),
    policy,
  });
  return { code, stdout: stdout.text(), stderr: stderr.text(), trace };
}
