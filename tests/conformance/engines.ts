/**
 * Engines the conformance programs run on. An engine takes a core module and a run
 * configuration and reports what a command-line runtime would: exit code, stdout, stderr.
 *
 * Engines that share the host process's real fds or may end the process (node:wasi) run each
 * program in a child process (`childEngine`): a proc_exit or crash then cannot take down vitest,
 * and the child's stdout is the guest's stdout.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { component } from '../helpers/guests.js';

export interface RunConfig {
  /** Full argv, argv[0] included. */
  args: string[];
  env: Record<string, string>;
  /** Preopens in fd order: guest name → host directory. */
  dirs: Record<string, string>;
  /** Bytes for stdin; when absent stdin is a pipe kept open until the guest exits. */
  stdin?: string;
  /** Wall-clock limit for one run where the engine can enforce it (child engines can). */
  timeoutMs?: number;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Engine {
  name: string;
  run(wasm: Uint8Array, config: RunConfig): Promise<RunResult>;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * An engine whose runner is a Node script run as
 * `node <nodeArgs> <script> <wasm path> <JSON {args, env, dirs}>`; the script runs the guest on
 * its own stdio and sets its exit code to the guest's.
 */
export function childEngine(name: string, script: string, nodeArgs: string[] = []): Engine {
  return {
    name,
    run(wasm, config) {
      const work = mkdtempSync(join(tmpdir(), 'conformance-wasm-'));
      const wasmPath = join(work, 'guest.wasm');
      writeFileSync(wasmPath, wasm);
      const { stdin, timeoutMs = DEFAULT_TIMEOUT_MS, ...rest } = config;
      return new Promise<RunResult>((resolve) => {
        const child = spawn(process.execPath, [...nodeArgs, script, wasmPath, JSON.stringify(rest)], {
          stdio: ['pipe', 'pipe', 'pipe'],
        });
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        child.stdout.on('data', (b: Buffer) => out.push(b));
        child.stderr.on('data', (b: Buffer) => err.push(b));
        child.stdin.on('error', () => {}); // the guest may exit before reading what we wrote
        if (stdin !== undefined) child.stdin.end(stdin);
        const timer = setTimeout(() => {
          err.push(Buffer.from(`\n${name}: killed after ${timeoutMs} ms\n`));
          child.kill('SIGKILL');
        }, timeoutMs);
        child.on('close', (code, signal) => {
          clearTimeout(timer);
          rmSync(work, { recursive: true, force: true });
          // Killed by a signal: report 128 + signal number, as a shell would (SIGABRT → 134).
          const bySignal = signal ? 128 + (constants.signals[signal] ?? 0) : -1;
          resolve({
            code: code ?? bySignal,
            stdout: Buffer.concat(out).toString('utf8'),
            stderr: Buffer.concat(err).toString('utf8'),
          });
        });
        child.on('exit', () => child.stdin.destroy());
      });
    },
  };
}

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

/** The same engine fed each program wrapped as a preview2 component (jco's preview1 adapter). */
function wrapAsComponent(engine: Engine): Engine {
  return { name: engine.name, run: async (wasm, config) => engine.run(await component(wasm), config) };
}

/** Node's built-in WASI (uvwasi), the reference peer. */
export const nodeWasi: Engine = childEngine('node:wasi', here('./children/node-wasi.mjs'), ['--no-warnings']);

/** jco + @bytecodealliance/preview2-shim, the JS preview2 peer (module wrapped as a component). */
export const preview2Shim: Engine = childEngine('jco+preview2-shim', here('./children/jco-preview2-shim.mjs'), [
  '--no-warnings',
]);

// ─── Engines under test: add one line per engine. ──────────────────────────────────────────
// Every engine listed here runs every program in tests/components/c/manifest.json; its expected
// failures (if any) live in expected-failures.ts under the same name. For example:
//   childEngine('wasi-virt preview1', here('./children/wasi-virt-p1.mjs')),
//   { name: 'wasi-virt preview2', run: (wasm, config) => runComponentInProcess(wasm, config) },
export const ENGINES: Engine[] = [
  nodeWasi,
  preview2Shim,
  childEngine('wasi-virt run (preview1)', here('./children/wasi-virt-cli.mjs'), ['--no-warnings']),
  wrapAsComponent(childEngine('wasi-virt run (preview2)', here('./children/wasi-virt-cli.mjs'), ['--no-warnings'])),
];
