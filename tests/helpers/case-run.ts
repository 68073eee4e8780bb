/**
 * Running one test case on one ABI and collecting what happened (docs/test-cases.md):
 *
 * - in process (default): preview1 runs the core module through createPreview1 over a
 *   Kernel; preview2 wraps the same module with jco's preview1 adapter and runs it
 *   through instantiateComponent / runToCompletion. Stdio is captured, the host env is the
 *   case's `host-env` (never the real one), and, as in WASI-Virt's harness, the repository
 *   root is offered read-only at `/` as the embedder's preopen when the policy lets
 *   embedder preopens through (`fs` unset or `fs.host-preopens = true`).
 * - `cli = true`: the built `wasi-virt run` in a child process, the case's virt-opts as a
 *   `--config` file and its `cli-flags` on the command line.
 * - `compose = true`: a bundle written by compose, run with `node` in a child process
 *   from a temp directory (so nothing can lean on the repository's files).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { BufferSource, CaptureSink, ExitSignal, PolicyTrap, Kernel, type KernelOptions } from '../../src/adapter/kernel/index.js';
import { nodePlatform } from '../../src/adapter/node/platform.js';
import { createPreview1 } from '../../src/adapter/preview1/index.js';
import { instantiateComponent, runToCompletion } from '../../src/adapter/preview2/instantiate.js';
import type { FsEntry, Policy } from '../../src/policy/types.js';
import { openHostDir } from '../../src/virtual-fs/host/index.js';
import { ensureBuilt, MAIN } from '../cli/cli.js';
import type { Abi, TestCase } from './case-format.js';
import { COMPONENTS, JS_GUESTS, ROOT, component as wrapComponent, jsGuestFile, wat } from './guests.js';
import { node26 } from './engines.js';
import { runP3, stopWorker } from './case-p3.js';
import { nativeComponent } from '../preview2/native.js';

process.env['WASI_VIRT_CACHE'] ??= join(ROOT, '.cache', 'wasi-virt-test');

export interface Outcome {
  /** Exit status; undefined when the guest trapped or never ran. */
  code?: number;
  stdout: string;
  stderr: string;
  /** The trap's message, when the guest trapped. */
  trap?: string;
  /** Why the run was refused before the guest started (policy, mounts, instantiation). */
  error?: string;
  /** The scratch directory of this run (kept until `cleanup`). */
  scratch: string;
}

/**
 * Where a case's guest comes from: tests/components/c/build/case_<name>.wasm (built from
 * c/case_<name>.c), else tests/components/wat/case-<name>.wat. A WAT guest with a
 * case-<name>.wit beside it is a native preview2 component of world `case-<name>`.
 */
export function guestKind(name: string): 'core' | 'native-component' {
  if (existsSync(builtC(name))) return 'core';
  const wat = join(COMPONENTS, 'wat', `case-${name}.wat`);
  if (!existsSync(wat)) throw new Error(`component "${name}": no tests/components/c/case_${name.replace(/-/g, '_')}.c (built) or tests/components/wat/case-${name}.wat`);
  return existsSync(join(COMPONENTS, 'wat', `case-${name}.wit`)) ? 'native-component' : 'core';
}

/** The guest has a WASI 0.3 twin, tests/components/js/case-<name>.js (the preview3 leg). */
export function hasP3Twin(name: string): boolean {
  return existsSync(join(JS_GUESTS, `case-${name}.js`));
}

function builtC(name: string): string {
  return join(COMPONENTS, 'c', 'build', `case_${name.replace(/-/g, '_')}.wasm`);
}

/** The guest as each ABI takes it: the core module, or it wrapped as a component (or a native component). */
export async function guestBytes(name: string, abi: Abi): Promise<Uint8Array> {
  if (abi === 'preview3') return new Uint8Array(readFileSync(await jsGuestFile(`case-${name}`)));
  if (guestKind(name) === 'native-component') {
    if (abi === 'preview1') throw new Error(`component "${name}" is a native preview2 component: give the case abi = ["preview2"]`);
    return nativeComponent(`case-${name}`, `case-${name}`, `case-${name}.wit`);
  }
  const built = builtC(name);
  const core = existsSync(built) ? new Uint8Array(readFileSync(built)) : await wat(`case-${name}`);
  return abi === 'preview1' ? core : wrapComponent(core);
}

const temps: string[] = [];

/** Remember a temp directory for `cleanup`. */
export function trackTemp(dir: string): string {
  temps.push(dir);
  return dir;
}

/** A fresh scratch directory holding the case's `scratch` files. */
export function makeScratch(c: TestCase): string {
  const dir = trackTemp(mkdtempSync(join(tmpdir(), 'wv-case-')));
  for (const [rel, entry] of Object.entries(c.scratch)) {
    const target = join(dir, rel);
    mkdirSync(dirname(target), { recursive: true });
    if (typeof entry === 'string') {
      if (rel.endsWith('/')) mkdirSync(target, { recursive: true });
      else writeFileSync(target, entry);
    } else {
      symlinkSync(entry.symlink, target);
    }
  }
  return dir;
}

/** Remove every temp directory made so far. */
export function cleanup(): void {
  stopWorker();
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
}

/**
 * A host path as the case wrote it, made absolute: `$SCRATCH[/...]` is the run's scratch
 * directory, other relative paths are relative to the repository root (WASI-Virt's cases
 * say `./tests/cases`, `./LICENSE`).
 */
export function hostPath(p: string, scratch: string): string {
  if (p === '$SCRATCH' || p.startsWith('$SCRATCH/')) return join(scratch, p.slice('$SCRATCH'.length));
  return isAbsolute(p) ? p : resolve(ROOT, p);
}

function resolveEntry(e: FsEntry, scratch: string): FsEntry {
  if ('dir' in e) return { dir: Object.fromEntries(Object.entries(e.dir).map(([k, v]) => [k, resolveEntry(v, scratch)])) };
  if ('virtualize' in e) {
    const v = e.virtualize;
    return { virtualize: typeof v === 'string' ? hostPath(v, scratch) : { ...v, path: hostPath(v.path, scratch) } };
  }
  if ('runtime-dir' in e) {
    const v = e['runtime-dir'];
    return { 'runtime-dir': typeof v === 'string' ? hostPath(v, scratch) : { ...v, path: hostPath(v.path, scratch) } };
  }
  if ('runtime-file' in e) return { 'runtime-file': hostPath(e['runtime-file'], scratch) };
  return e;
}

/** The policy with every host path made absolute (see hostPath). */
export function resolvePolicy(policy: Policy, scratch: string): Policy {
  if (!policy.fs) return policy;
  const preopens = Object.fromEntries(Object.entries(policy.fs.preopens).map(([k, v]) => [k, resolveEntry(v, scratch)]));
  return { ...policy, fs: { ...policy.fs, preopens } };
}

function message(e: unknown): string {
  if (e instanceof Error) return e.name === 'Error' || e instanceof PolicyTrap ? e.message : `${e.name}: ${e.message}`;
  return String(e);
}

/** The guest's argv: program name, `host-fs-path`, then `args`. */
export function guestArgv(c: TestCase): string[] {
  return [`${c.component}.wasm`, ...(c.hostFsPath !== undefined ? [c.hostFsPath] : []), ...c.args];
}

function hostOptions(c: TestCase, policy: Policy, stdout: CaptureSink, stderr: CaptureSink): KernelOptions {
  const options: KernelOptions = {
    policy,
    args: guestArgv(c),
    env: { ...c.hostEnv },
    stdin: new BufferSource(c.stdin ?? ''),
    stdout,
    stderr,
    // The Node platform the CLI and bundles use; env and stdio come from the case instead.
    platform: nodePlatform(),
  };
  if (!policy.fs || policy.fs['host-preopens']) options.preopens = { '/': openHostDir(ROOT, { readonly: true }) };
  return options;
}

export async function inProcess(c: TestCase, abi: Abi, scratch: string): Promise<Outcome> {
  const policy = resolvePolicy(c.policy!, scratch);
  if (abi === 'preview3') {
    const r = await runP3({
      file: await jsGuestFile(`case-${c.component}`),
      policy,
      args: guestArgv(c),
      env: { ...c.hostEnv },
      stdin: c.stdin ?? '',
      rootPreopen: !policy.fs || policy.fs['host-preopens'] === true,
    });
    return { ...r, scratch };
  }
  const bytes = await guestBytes(c.component, abi);
  const stdout = new CaptureSink();
  const stderr = new CaptureSink();
  const done = (o: Partial<Outcome>): Outcome => ({ stdout: stdout.text(), stderr: stderr.text(), scratch, ...o });
  let host: Kernel;
  try {
    host = new Kernel(hostOptions(c, policy, stdout, stderr));
  } catch (e) {
    return done({ error: message(e) });
  }
  try {
    if (abi === 'preview1') {
      const p1 = createPreview1(host);
      let instance: WebAssembly.Instance;
      try {
        instance = await WebAssembly.instantiate(await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>), p1.imports);
      } catch (e) {
        return done({ error: message(e) });
      }
      try {
        return done({ code: p1.start(instance) });
      } catch (e) {
        return done({ trap: message(e) });
      }
    }
    let exports;
    try {
      ({ exports } = await instantiateComponent(bytes, host));
    } catch (e) {
      // Guest code may run while instantiating: its exits and traps are the guest's.
      if (e instanceof ExitSignal) return done({ code: e.code });
      if (e instanceof WebAssembly.RuntimeError || e instanceof PolicyTrap) return done({ trap: message(e) });
      return done({ error: message(e) });
    }
    try {
      return done({ code: runToCompletion(exports) });
    } catch (e) {
      return done({ trap: message(e) });
    }
  } finally {
    host.dispose();
  }
}

/** Lines wasi-virt itself writes to stderr (not the guest): `wasi-virt: ...`. */
const OWN_LINE = /^wasi-virt: (.*)$/;

/** A child process's result as an Outcome: status 134 is a trap, 2 with an error line a refusal. */
export function childOutcome(r: ReturnType<typeof spawnSync>, scratch: string): Outcome {
  const stdout = String(r.stdout ?? '');
  const all = String(r.stderr ?? '');
  if (r.error) return { stdout, stderr: all, scratch, error: `could not run the child process: ${r.error.message}` };
  const own = all.split('\n').map((l) => OWN_LINE.exec(l)?.[1]).filter((l): l is string => l !== undefined);
  const stderr = all.split('\n').filter((l) => !OWN_LINE.test(l)).join('\n');
  const trap = own.find((l) => l.startsWith('trap: '));
  if (r.status === 134 && trap) return { stdout, stderr, scratch, trap: trap.slice('trap: '.length) };
  const refused = own.find((l) => l.startsWith('error: ') || l.startsWith('cannot run '));
  if (r.status === 2 && refused) return { stdout, stderr, scratch, error: refused.replace(/^error: /, '') };
  if (r.status === null) return { stdout, stderr, scratch, error: `the child process ended by signal ${r.signal}` };
  return { stdout, stderr, scratch, code: r.status };
}

export async function viaCli(c: TestCase, abi: Abi, scratch: string): Promise<Outcome> {
  ensureBuilt();
  const dir = trackTemp(mkdtempSync(join(tmpdir(), 'wv-case-cli-')));
  const app = join(dir, `${c.component}.wasm`);
  writeFileSync(app, await guestBytes(c.component, abi));
  const args = ['run'];
  if (c.virtOpts) {
    const config = join(dir, 'virt-opts.json');
    writeFileSync(config, JSON.stringify(resolvePolicy(c.virtOpts, scratch)));
    args.push('--config', config);
  }
  args.push(...(c.cliFlags ?? []).map((f) => f.replaceAll('$SCRATCH', scratch)), app, '--', ...guestArgv(c).slice(1));
  // 0.3 needs JSPI: the CLI runs on Node 26 for preview3, on the suite's Node otherwise.
  const r = spawnSync(abi === 'preview3' ? node26 : process.execPath, [MAIN, ...args], {
    cwd: ROOT, env: { ...c.hostEnv }, input: c.stdin ?? '', encoding: 'utf8', timeout: 60_000,
  });
  return childOutcome(r, scratch);
}

