/**
 * A drop-in for node:wasi's `WASI` class: the same constructor options, members and
 * error rules, so code written for node:wasi switches by changing its import. Without a
 * `policy` it behaves as node:wasi does (the environment is only what is passed, preopens
 * are read-write, stdio goes to the given fds), except where node:wasi lets the guest
 * reach the host: closing or renumbering fds 0-2 leaves the host's stdio open, preopens
 * are confined (no symlink or `..` escape), proc_raise never signals the process.
 *
 * Beyond node:wasi: `policy` (a full Policy: mounts, read-only preopens, stdio modes,
 * deterministic clocks and random, env rules), stdout/stderr as an OutputSink (e.g.
 * CaptureSink), stdin as an InputSource or the input itself, and `trace`.
 */
import { fstatSync } from 'node:fs';
import { inspect } from 'node:util';
import { nodePlatform } from './adapter/node/platform.js';
import { BufferSource, ExitSignal, Kernel, type KernelOptions, type InputSource, type OutputSink } from './adapter/kernel/index.js';
import type { Platform } from './adapter/kernel/platform.js';
import { createPreview1, type Preview1 } from './adapter/preview1/index.js';
import type { Imports } from './adapter/preview1/context.js';
import { runModule as runModuleOn, type RunModuleOptions } from './adapter/preview1/run.js';
import { terminate } from './adapter/node/terminate.js';
import { runEntry } from './adapter/kernel/exit.js';
import type { Policy } from './policy/types.js';
import { validatePolicy } from './policy/validate.js';

export interface WASIOptions {
  /** Which ABI to provide: 'preview1' (wasi_snapshot_preview1) or 'unstable' (wasi_unstable). Required, as in node:wasi. */
  version: 'preview1' | 'unstable';
  /** The guest's argv (node:wasi passes no program name unless you do). */
  args?: readonly unknown[];
  /** The guest's environment. Without a policy, exactly this; with one, the variables its env rule filters. */
  env?: Record<string, unknown>;
  /** Guest directory name to host path, read-write (a policy can mount read-only ones). */
  preopens?: Record<string, string>;
  /** Return the exit code from start() (default). false: the guest's exit ends the process, as in node:wasi. */
  returnOnExit?: boolean;
  /** A host fd (default 0), an InputSource, or the input itself. */
  stdin?: number | InputSource | string | Uint8Array;
  /** A host fd (default 1) or an OutputSink such as CaptureSink. */
  stdout?: number | OutputSink;
  /** A host fd (default 2) or an OutputSink. */
  stderr?: number | OutputSink;
  /** The full policy. Default: node:wasi's behaviour (see the file comment). */
  policy?: Policy;
  /** Trace every call: true for stderr, or a function receiving each line. */
  trace?: boolean | ((line: string) => void);
}

type NodeError = Error & { code: string };

function nodeError<E extends ErrorConstructor>(Kind: E, code: string, message: string): NodeError {
  const err = new Kind(message) as NodeError;
  err.code = code;
  return err;
}

/** node's `determineSpecificType`, for messages identical to node:wasi's (Node 20.20). */
function received(value: unknown): string {
  if (value == null) return `Received ${String(value)}`;
  // Node names any function by its `name`, even an empty or non-string one.
  if (typeof value === 'function') return `Received function ${String((value as { name?: unknown }).name)}`;
  if (typeof value === 'object') {
    const ctor = (value as { constructor?: unknown }).constructor;
    const named = (typeof ctor === 'function' || (typeof ctor === 'object' && ctor !== null)) && 'name' in ctor;
    return `Received ${named ? `an instance of ${String((ctor as { name?: unknown }).name)}` : inspect(value, { depth: -1 })}`;
  }
  let shown = inspect(value, { colors: false });
  if (shown.length > 28) shown = `${shown.slice(0, 25)}...`;
  return `Received type ${typeof value} (${shown})`;
}

function invalidType(what: string, expected: string, value: unknown): NodeError {
  return nodeError(TypeError, 'ERR_INVALID_ARG_TYPE', `The ${what} must be ${expected}. ${received(value)}`);
}

function validateObject(value: unknown, what: string): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalidType(what, 'of type object', value);
}

function validateFd(value: unknown, name: string): void {
  if (typeof value !== 'number') throw invalidType(`"${name}" property`, 'of type number', value);
  if (!Number.isInteger(value)) {
    throw nodeError(RangeError, 'ERR_OUT_OF_RANGE', `The value of "${name}" is out of range. It must be an integer. Received ${inspect(value)}`);
  }
  if (value < 0 || value > 2147483647) {
    throw nodeError(RangeError, 'ERR_OUT_OF_RANGE', `The value of "${name}" is out of range. It must be >= 0 && <= 2147483647. Received ${inspect(value)}`);
  }
}

const isSink = (v: unknown): v is OutputSink => typeof v === 'object' && v !== null && typeof (v as OutputSink).write === 'function';
const isSource = (v: unknown): v is InputSource => typeof v === 'object' && v !== null && typeof (v as InputSource).read === 'function';

/** What node:wasi gives when no policy is set: nothing virtualized except the environment list. */
function nodeWasiPolicy(env: [string, string][]): Policy {
  return { env: { host: 'none', overrides: env }, fs: { 'host-preopens': true, preopens: {} } };
}

const kStarted = Symbol('kStarted');

export class WASI {
  /** The import functions (node:wasi's `wasiImport`). */
  readonly wasiImport: Imports;
  private readonly preview1: Preview1;
  private readonly kernel: Kernel;
  private readonly bindingName: string;
  private [kStarted] = false;

  constructor(options: WASIOptions = {} as WASIOptions) {
    validateObject(options, '"options" argument');
    const version: unknown = options.version;
    if (typeof version !== 'string') throw invalidType('"options.version" property', 'of type string', version);
    if (version !== 'preview1' && version !== 'unstable') {
      throw nodeError(TypeError, 'ERR_INVALID_ARG_VALUE', `The property 'options.version' unsupported WASI version. Received ${inspect(version)}`);
    }
    this.bindingName = version === 'preview1' ? 'wasi_snapshot_preview1' : 'wasi_unstable';

    if (options.args !== undefined && !Array.isArray(options.args)) throw invalidType('"options.args" property', 'an instance of Array', options.args);
    const args = (options.args ?? []).map(String);
    let env: [string, string][] | undefined;
    if (options.env !== undefined) {
      validateObject(options.env, '"options.env" property');
      // A template literal, as node:wasi builds `${key}=${value}`: a Symbol value throws there too.
      env = Object.entries(options.env).filter(([, v]) => v !== undefined).map(([k, v]) => [k, `${v as string}`]);
    }
    let preopens: Record<string, string> | undefined;
    if (options.preopens !== undefined) {
      validateObject(options.preopens, '"options.preopens" property');
      preopens = Object.fromEntries(Object.entries(options.preopens).map(([k, v]) => [String(k), String(v)]));
    }
    const { stdin = 0, stdout = 1, stderr = 2 } = options;
    const fds: { stdin?: number; stdout?: number; stderr?: number } = {};
    const hostStdio: Pick<KernelOptions, 'stdin' | 'stdout' | 'stderr'> = {};
    if (typeof stdin === 'string' || stdin instanceof Uint8Array) hostStdio.stdin = new BufferSource(stdin);
    else if (isSource(stdin)) hostStdio.stdin = stdin;
    else { validateFd(stdin, 'options.stdin'); fds.stdin = stdin; }
    for (const name of ['stdout', 'stderr'] as const) {
      const v = name === 'stdout' ? stdout : stderr;
      if (isSink(v)) hostStdio[name] = v;
      else { validateFd(v, `options.${name}`); fds[name] = v; }
    }
    let returnOnExit = true;
    if (options.returnOnExit !== undefined) {
      if (typeof options.returnOnExit !== 'boolean') throw invalidType('"options.returnOnExit" property', 'of type boolean', options.returnOnExit);
      returnOnExit = options.returnOnExit;
    }

    // node:wasi (uvwasi_init) refuses an stdio fd that is not open, before any preopen.
    for (const [name, fd] of Object.entries(fds)) {
      try {
        fstatSync(fd);
      } catch (err) {
        if ((err as { code?: string }).code !== 'EBADF') throw err;
        throw nodeError(Error, 'UVWASI_EBADF', `options.${name}: fd ${fd} is not open`);
      }
    }
    // Validated before anything is opened, so a bad policy leaves nothing behind.
    const given = options.policy === undefined ? undefined : validatePolicy(options.policy);
    const platform: Platform = nodePlatform(fds);
    const policy = given ?? nodeWasiPolicy(env ?? []);
    this.kernel = new Kernel({
      policy,
      args,
      // With a policy, `env` lists the candidates its rule filters; a policy without an
      // env rule still sees nothing unless it was given (node:wasi never inherits).
      env: given ? (env ? Object.fromEntries(env) : given.env ? process.env : {}) : {},
      preopens,
      platform,
      trace: options.trace,
      ...hostStdio,
    });
    this.preview1 = createPreview1(this.kernel, { version });
    const imports = this.preview1.wasiImport;
    if (!returnOnExit) {
      // node:wasi ends the process from inside proc_exit; so do we, once output is out.
      const procExit = imports['proc_exit'] as (code: number) => void;
      imports['proc_exit'] = (code: number) => {
        try {
          procExit(code);
        } catch (err) {
          if (!(err instanceof ExitSignal)) throw err;
          this.kernel.flush();
          terminate(err.code);
        }
      };
    }
    this.wasiImport = imports;
  }

  /** `{ wasi_snapshot_preview1: wasiImport }` (or `wasi_unstable`), for WebAssembly.instantiate. */
  getImportObject(): Record<string, Imports> {
    return { [this.bindingName]: this.wasiImport };
  }

  /** Run a command's `_start`; returns its exit code. Throws as node:wasi does on a misfit instance. */
  start(instance: WebAssembly.Instance): number {
    const exports = this.finalize(instance);
    const { _start, _initialize } = exports;
    if (typeof _start !== 'function') throw invalidType('"instance.exports._start" property', 'of type function', _start);
    if (_initialize !== undefined) throw invalidType('"instance.exports._initialize" property', 'undefined', _initialize);
    return runEntry(_start as () => void, () => this.kernel.flush());
  }

  /** Run a reactor's `_initialize` (if any). Throws when the instance is a command. */
  initialize(instance: WebAssembly.Instance): void {
    const exports = this.finalize(instance);
    const { _start, _initialize } = exports;
    if (_start !== undefined) throw invalidType('"instance.exports._start" property', 'undefined', _start);
    if (_initialize !== undefined) {
      if (typeof _initialize !== 'function') throw invalidType('"instance.exports._initialize" property', 'of type function', _initialize);
      try {
        (_initialize as () => void)();
      } finally {
        this.kernel.flush();
      }
    }
  }

  /**
   * Bind the instance's memory without running anything (node:wasi ≥ 22's
   * finalizeBindings, for threads and hand-rolled start-up). `memory` defaults to the
   * instance's exported one.
   */
  finalizeBindings(instance: WebAssembly.Instance, options: { memory?: WebAssembly.Memory } = {}): void {
    this.finalize(instance, options.memory);
  }

  /** Flush guest output and close the host directories and files this instance opened. */
  dispose(): void {
    this.kernel.dispose();
  }

  // node:wasi's order: started flag first (a failed start still counts), then instance,
  // exports, memory.
  private finalize(instance: WebAssembly.Instance, memory?: WebAssembly.Memory): WebAssembly.Exports {
    if (this[kStarted]) throw nodeError(Error, 'ERR_WASI_ALREADY_STARTED', 'WASI instance has already started');
    this[kStarted] = true;
    validateObject(instance, '"instance" argument');
    const exports = (instance as { exports?: unknown }).exports;
    validateObject(exports, '"instance.exports" property');
    const mem = memory ?? (exports as WebAssembly.Exports)['memory'];
    if (!(mem instanceof WebAssembly.Memory)) {
      throw nodeError(TypeError, 'ERR_INVALID_ARG_TYPE', '"instance.exports.memory" property must be a WebAssembly.Memory object');
    }
    this.preview1.bind(mem);
    return exports as WebAssembly.Exports;
  }
}

/**
 * Run a preview1 module start to finish under a policy (compile, instantiate, `_start`,
 * flush, release): the function-level API the CLI and bundles use. Stdio, host
 * directories and snapshots come from Node unless `platform` says otherwise.
 */
export function runModule(
  wasm: Uint8Array | ArrayBuffer | WebAssembly.Module,
  options: RunModuleOptions,
): Promise<{ code: number }> {
  return runModuleOn(wasm, { ...options, platform: options.platform ?? nodePlatform() });
}
