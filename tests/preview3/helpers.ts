/**
 * Running WASI 0.3 programs through the built CLI the way wasi-testsuite's runner does:
 * one process per program, the spec's args after the file, its env exactly, stdin a
 * closed pipe, a fresh copy of `fs-tests.dir` preopened under that name, and the
 * spec's operations (`connect` / `send` / `recv` against the address the program prints).
 * 0.3 needs JSPI, so the CLI runs on Node 26 (`node26`) while vitest runs on Node 20.
 */
import { spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAIN } from '../helpers/build.js';
import { node26 } from '../helpers/engines.js';
import { COMPONENTS } from '../helpers/guests.js';

export const SUITE = join(COMPONENTS, 'wasi-testsuite-p3');

export interface Operation {
  type: 'run' | 'wait' | 'connect' | 'send' | 'recv' | string;
  args?: string[];
  env?: Record<string, string>;
  exit_code?: number;
  id?: string;
  payload?: string;
  protocol_type?: string;
}

export interface Spec {
  dirs?: string[];
  proposals?: string[];
  operations?: Operation[];
}

export function programs(): string[] {
  return readdirSync(SUITE).filter((f) => f.endsWith('.wasm')).map((f) => f.slice(0, -5)).sort();
}

export function specOf(name: string): Spec {
  const file = join(SUITE, `${name}.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Spec) : {};
}

export interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Files of the preopened copy after the run (name → contents), when there was one. */
  dir?: string;
}

/** A fresh, writable copy of the suite's fixture in a new temp dir; returns that dir. */
export function freshFixture(): string {
  const cwd = mkdtempSync(join(tmpdir(), 'wv-p3-'));
  cpSync(join(SUITE, 'fs-tests.dir'), join(cwd, 'fs-tests.dir'), { recursive: true });
  const makeWritable = (p: string): void => {
    chmodSync(p, statSync(p).isDirectory() ? 0o755 : 0o644);
    if (statSync(p).isDirectory()) for (const e of readdirSync(p)) makeWritable(join(p, e));
  };
  makeWritable(join(cwd, 'fs-tests.dir'));
  return cwd;
}

/** The CLI flags the runner's spec asks for (policy: what the program needs, nothing more). */
export function flagsFor(spec: Spec): string[] {
  const flags: string[] = [];
  for (const d of spec.dirs ?? []) flags.push('--dir', d);
  if (spec.proposals?.includes('http')) flags.push('--allow-http');
  if (spec.proposals?.includes('sockets')) flags.push('--allow-sockets');
  const run = spec.operations?.find((o) => o.type === 'run');
  for (const [k, v] of Object.entries(run?.env ?? {})) flags.push('-e', `${k}=${v}`);
  return flags;
}

/** Spawn `wasi-virt run [flags] prog.wasm [args]` on `engine`, driving the spec's socket operations. */
export function runProgram(
  name: string,
  options: { flags?: string[]; spec?: Spec; cwd?: string; engine?: string; timeoutMs?: number } = {},
): Promise<Outcome> {
  const spec = options.spec ?? specOf(name);
  const cwd = options.cwd ?? (spec.dirs?.length ? freshFixture() : mkdtempSync(join(tmpdir(), 'wv-p3-')));
  const run = spec.operations?.find((o) => o.type === 'run');
  const argv = [MAIN, 'run', ...(options.flags ?? flagsFor(spec)), join(SUITE, `${name}.wasm`), ...(run?.args ?? [])];
  const child = spawn(options.engine ?? node26, argv, { cwd, stdio: ['pipe', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '' } });
  child.stdin.end();
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
  child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
  const socketOps = (spec.operations ?? []).filter((o) => ['connect', 'send', 'recv'].includes(o.type));
  const driven = socketOps.length > 0 ? drive(socketOps, () => stdout) : Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      driven.then(() => resolve({ code, stdout, stderr, dir: cwd }), reject);
    });
  });
}

/** connect / send / recv on loopback, to the `host:port` the program printed first. */
async function drive(ops: Operation[], out: () => string): Promise<void> {
  let address: RegExpExecArray | null = null;
  for (let i = 0; i < 600 && !address; i++) {
    address = /(127\.0\.0\.1|\[::1\]):(\d+)/.exec(out());
    if (!address) await new Promise((r) => setTimeout(r, 50));
  }
  if (!address) throw new Error('the program printed no address to connect to');
  const socket = connect({ host: address[1]!.replace(/[[\]]/g, ''), port: Number(address[2]) });
  let received = '';
  socket.setEncoding('utf8').on('data', (d: string) => { received += d; });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  for (const op of ops) {
    if (op.type === 'send') socket.write(op.payload ?? '');
    if (op.type === 'recv') {
      const want = op.payload ?? '';
      for (let i = 0; i < 600 && received.length < want.length; i++) await new Promise((r) => setTimeout(r, 50));
      if (received !== want) throw new Error(`recv: expected ${JSON.stringify(want)}, got ${JSON.stringify(received)}`);
      received = '';
    }
  }
  socket.end();
}

/** The exit code the spec's `wait` expects (default 0). */
export function expectedCode(spec: Spec): number {
  return spec.operations?.find((o) => o.type === 'wait')?.exit_code ?? 0;
}
