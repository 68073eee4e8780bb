/**
 * `wasi-virt run module.wasm [flags] [-- args]`: run a program under a policy.
 *
 * Core modules run on the preview1 face; components (told apart by the binary header)
 * go to the preview2 runner. The guest's exit code becomes the process's. A trap is one
 * line naming it and exit 134 (wasmtime's convention: 128 + SIGABRT); bad input (a file
 * that is not wasm, a malformed module, a mount that cannot be built) is one line and
 * exit 2. The guest's output is delivered before either line is printed.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { PolicyTrap } from '../adapter/host/index.js';
import { FsSetupError } from '../adapter/host/fs.js';
import { nodePlatform } from '../adapter/node/platform.js';
import { writeAll } from '../adapter/node/stdio.js';
import { UnresolvedImportError, runModule } from '../adapter/preview1/run.js';
import type { Policy } from '../policy/types.js';
import { runComponentCommand } from './run-component.js';

export interface RunRequest {
  /** The .wasm file: a core module or a component. */
  file: string;
  policy: Policy;
  /** Arguments after the file (and after `--`). */
  guestArgs: string[];
  /** Trace every WASI call to stderr (also policy.debug). */
  debug: boolean;
}

/** Exit status for a trap: 128 + SIGABRT, as wasmtime's CLI reports one. */
export const TRAP_EXIT = 134;
/** Exit status for bad input. */
export const USAGE_EXIT = 2;

const MAGIC = [0x00, 0x61, 0x73, 0x6d];

export type BinaryKind = 'module' | 'component' | 'unknown';

/** What a binary is, from its 8-byte header: magic, then version 1 (core) or 0x0d layer 1 (component). */
export function binaryKind(bytes: Uint8Array): BinaryKind {
  if (bytes.byteLength < 8 || MAGIC.some((b, i) => bytes[i] !== b)) return 'unknown';
  const v = bytes.subarray(4, 8);
  if (v[0] === 0x01 && v[1] === 0x00 && v[2] === 0x00 && v[3] === 0x00) return 'module';
  if (v[0] === 0x0d && v[1] === 0x00 && v[2] === 0x01 && v[3] === 0x00) return 'component';
  return 'unknown';
}

/** One line to stderr, written synchronously so it lands after everything the guest wrote. */
export function say(line: string): void {
  writeAll(2, new TextEncoder().encode(`wasi-virt: ${line}\n`));
}

/** The innermost wasm function of a trap's stack, when the engine recorded one. */
export function trapFunction(err: unknown): string | undefined {
  const stack = err instanceof Error ? err.stack ?? '' : '';
  for (const line of stack.split('\n')) {
    const named = /^\s*at (\S+) \(wasm:\/\/[^)]*:wasm-function\[(\d+)\]/.exec(line);
    if (named) return named[1];
    const bare = /^\s*at wasm:\/\/\S*:wasm-function\[(\d+)\]/.exec(line);
    if (bare) return `wasm-function[${bare[1]}]`;
  }
  return undefined;
}

function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String((err as { message?: unknown } | null)?.message ?? err);
}

/** Report a trap in one line; returns the exit status. */
export function reportTrap(err: unknown, debug: boolean): number {
  const where = trapFunction(err);
  const message = err instanceof PolicyTrap ? err.message : errorMessage(err);
  // With --debug the whole stack first, so the one-line summary stays the last line.
  if (debug && err instanceof Error && err.stack) writeAll(2, new TextEncoder().encode(`${err.stack}\n`));
  say(`trap: ${message}${where ? ` (in ${where})` : ''}`);
  return TRAP_EXIT;
}

export async function runCommand(req: RunRequest): Promise<number> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(req.file));
  } catch (err) {
    const code = (err as { code?: string }).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : errorMessage(err);
    say(`cannot read ${req.file}: ${why}`);
    return USAGE_EXIT;
  }
  const kind = binaryKind(bytes);
  if (kind === 'component') return runComponentCommand(req, bytes);
  if (kind === 'unknown') {
    say(`${req.file} is not a WebAssembly module or component (bad header)`);
    return USAGE_EXIT;
  }

  let module: WebAssembly.Module;
  try {
    module = await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
  } catch (err) {
    say(`${req.file} is malformed: ${errorMessage(err).replace(/^WebAssembly\.compile\(\): /, '')}`);
    return USAGE_EXIT;
  }

  const debug = req.debug || req.policy.debug === true;
  try {
    const { code } = await runModule(module, {
      policy: req.policy,
      args: [basename(req.file), ...req.guestArgs],
      platform: nodePlatform(),
      trace: debug,
    });
    return code;
  } catch (err) {
    if (err instanceof FsSetupError || err instanceof UnresolvedImportError) {
      say(`cannot run ${req.file}: ${err.message}`);
      return USAGE_EXIT;
    }
    if (err instanceof WebAssembly.LinkError) {
      say(`cannot run ${req.file}: ${errorMessage(err).replace(/^WebAssembly\.instantiate\(\): /, '')}`);
      return USAGE_EXIT;
    }
    if (err instanceof WebAssembly.RuntimeError || err instanceof PolicyTrap || isGuestTrap(err)) return reportTrap(err, debug);
    // Host set-up failures (a mount whose directory is missing, a snapshot too large):
    // thrown before the guest ran, so they are about the input, not a trap.
    if (err instanceof Error && !trapFunction(err)) {
      if (debug && err.stack) writeAll(2, new TextEncoder().encode(`${err.stack}\n`));
      say(`cannot run ${req.file}: ${err.message}`);
      return USAGE_EXIT;
    }
    return reportTrap(err, debug);
  }
}

function isGuestTrap(err: unknown): boolean {
  return err instanceof Error && err.name === 'GuestTrap';
}
