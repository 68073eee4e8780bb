/**
 * The preview1 face: a `wasi_snapshot_preview1` (or `wasi_unstable`) import object over
 * a Kernel. One small module per subsystem contributes its functions (uwasi's
 * provider shape); this file composes them and runs the guest's entry points.
 */
import { runEntry } from '../kernel/exit.js';
import type { Kernel } from '../kernel/index.js';
import { fail } from '../../virtual-fs/errors.js';
import { FUNCTIONS, MODULE_NAME, type Version } from './abi.js';
import { Preview1Context, syscall, type Imports } from './context.js';
import args from './args.js';
import clocks from './clocks.js';
import fd from './fd.js';
import path from './path.js';
import poll from './poll.js';
import proc from './proc.js';
import random from './random.js';
import sock from './sock.js';
import { traceImports } from './trace.js';

const MODULES = [args, clocks, fd, path, poll, proc, random, sock];

/** A module that cannot run as a WASI command or reactor: no memory to bind, a `_start` taking parameters. */
export class ModuleShapeError extends Error {
  readonly userFacing = true;
}

export interface Preview1Options {
  version?: Version;
}

export interface Preview1 {
  /** `{ wasi_snapshot_preview1: ... }` (or `{ wasi_unstable: ... }`), for WebAssembly.instantiate. */
  readonly imports: Record<string, Imports>;
  /** The functions themselves (node:wasi's `wasiImport`). */
  readonly wasiImport: Imports;
  readonly context: Preview1Context;
  /** Give the calls the guest's memory (start/initialize do it from the instance's exports). */
  bind(memory: WebAssembly.Memory): void;
  /** Run a command's `_start`; returns its exit code (0 when it returns normally). */
  start(instance: WebAssembly.Instance): number;
  /** Run a reactor's `_initialize` if it has one. */
  initialize(instance: WebAssembly.Instance): void;
}

export function createPreview1(kernel: Kernel, options: Preview1Options = {}): Preview1 {
  const version = options.version ?? 'preview1';
  const context = new Preview1Context(kernel, version);
  const composed: Imports = {};
  for (const module of MODULES) Object.assign(composed, module(context));
  // Anything not (yet) provided answers ENOSYS rather than failing instantiation.
  for (const name of FUNCTIONS) {
    composed[name] ??= syscall(context, () => fail('nosys', `${name} is not implemented`));
  }
  // Tracing wraps the whole object only when asked for, so the untraced calls cost nothing extra.
  const traced = kernel.trace ? traceImports(context, composed, kernel.trace) : composed;
  // With a memory limit every call checks the guest's memory first (kernel/limits.ts).
  const wasiImport = kernel.limits.guardImports({ wasi: traced }).wasi;
  const bindMemory = (memory: WebAssembly.Memory): void => {
    context.bind(memory);
    kernel.limits.watch(memory);
  };
  const bindFrom = (instance: WebAssembly.Instance): void => {
    const memory = instance.exports['memory'];
    if (!(memory instanceof WebAssembly.Memory)) throw new ModuleShapeError('the module does not export its memory as "memory", which WASI calls read and write');
    bindMemory(memory);
  };
  return {
    imports: { [MODULE_NAME[version]]: wasiImport },
    wasiImport,
    context,
    bind: bindMemory,
    start(instance) {
      bindFrom(instance);
      const entry = instance.exports['_start'];
      if (typeof entry !== 'function') throw new TypeError('the module has no "_start" export');
      // A wasm function's length is its parameter count; called from JS the missing
      // arguments would silently be 0.
      if (entry.length > 0) throw new ModuleShapeError(`its _start takes ${entry.length} parameter${entry.length > 1 ? 's' : ''}; a WASI command's _start takes none`);
      return runEntry(entry as () => void, () => kernel.flush());
    },
    initialize(instance) {
      bindFrom(instance);
      const entry = instance.exports['_initialize'];
      if (typeof entry === 'function') (entry as () => void)();
    },
  };
}
