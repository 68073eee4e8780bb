/**
 * `wasi-virt run module.wasm [flags] [-- args]`: run a program under a policy. main.ts
 * has already checked that `file` exists and that every mount and preopen source in
 * `policy` is readable (checkMountSources).
 *
 * Core modules run on the preview1 face; components (told apart by the binary header)
 * go to the preview2 runner. A `.wat` file (or any file that is WAT text rather than a
 * binary) is compiled with wabt first, so node:wasi's `demo.wat` runs as written; a
 * parse error is one line naming the file, line and column, exit 2. The guest's exit code becomes the process's. A trap is one
 * line, `wasi-virt: trap: <message> (in <function>)`, and exit 134 (wasmtime's
 * convention: 128 + SIGABRT); bad input (a file that is not wasm, a malformed module, an
 * import nobody provides, a mount that cannot be built) is `wasi-virt: error: ...` and
 * exit 2. The guest's output is delivered before either line is printed.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { nodePlatform } from '../adapter/node/platform.js';
import { messageOf, reportFailure, say } from '../adapter/node/report.js';
import { runModule } from '../adapter/preview1/run.js';
import { NotStartedError } from '../adapter/preview1/context.js';
import type { Policy } from '../policy/types.js';
import { appBinary, type AppBinary } from '../util/app.js';
import { USAGE_EXIT, isUserFacing } from './errors.js';

export interface RunRequest {
  /** The .wasm file: a core module or a component. */
  file: string;
  policy: Policy;
  /** Arguments after the app (and after `--`); argv is `policy.args` if set, else `[basename(file), ...guestArgs]`. */
  guestArgs: string[];
  /** Trace every WASI call to stderr (also policy.debug). */
  debug: boolean;
}

/** A bad-input line (the CLI's `wasi-virt: error: ...` form); returns the exit status. */
function refuse(message: string): number {
  say(`error: ${message}`);
  return USAGE_EXIT;
}

/** What the guest of `run` gets, module or component: its argv, the Node platform, tracing. */
export function guestOptions(req: RunRequest, debug: boolean) {
  return {
    policy: req.policy,
    args: [basename(req.file), ...req.guestArgs],
    // The CLI writes nothing while its guest runs, so it need not order host writes.
    platform: nodePlatform({ orderHostWrites: false }),
    trace: debug,
  };
}

export async function runCommand(req: RunRequest): Promise<number> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(req.file));
  } catch (err) {
    const code = (err as { code?: string }).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : messageOf(err);
    return refuse(`cannot read ${req.file}: ${why}`);
  }
  let app: AppBinary;
  try {
    app = await appBinary(bytes, req.file);
  } catch (err) {
    if (isUserFacing(err)) return refuse(err.message);
    throw err;
  }
  const timeout = req.policy.limits?.['timeout-ms'];
  const timed = (kind: 'module' | 'component', bytes: Uint8Array): Promise<number> => import('./timed-run.js').then((t) => t.runWithTimeout({
    kind, bytes, file: req.file, policy: req.policy, args: [basename(req.file), ...req.guestArgs], debug: req.debug || req.policy.debug === true,
  }, timeout!));
  if (app.kind === 'component') {
    if (timeout !== undefined) return timed('component', app.bytes);
    // Loaded only for components: it brings jco's transpiler along.
    const { runComponentCommand } = await import('./run-component.js');
    return runComponentCommand(req, app.bytes);
  }
  bytes = app.bytes;

  let module: WebAssembly.Module;
  try {
    module = await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
  } catch (err) {
    return refuse(`${req.file} is malformed: ${messageOf(err).replace(/^WebAssembly\.compile\(\): /, '')}`);
  }

  if (!WebAssembly.Module.exports(module).some((e) => e.name === '_start' && e.kind === 'function')) {
    return refuse(`${req.file} is not a command: it exports no _start function (a library or reactor cannot be run)`);
  }

  if (req.policy.cwd !== undefined) {
    return refuse(`cannot run ${req.file} with cwd "${req.policy.cwd}": a preview1 module has no initial directory to set (wasi-libc starts in "/" and preview1 has no call to ask); --cwd applies to components (wasi:cli initial-cwd)`);
  }
  if (timeout !== undefined) return timed('module', bytes);
  const debug = req.debug || req.policy.debug === true;
  try {
    const { code } = await runModule(module, guestOptions(req, debug));
    return code;
  } catch (err) {
    if (err instanceof NotStartedError) {
      return refuse(`cannot run ${req.file}: its start section calls WASI, which needs the module's exported memory, bound only once instantiation ends; make the call from _start`);
    }
    // runModule has delivered the guest's output and released the host by now.
    return reportFailure(err, req.file, debug);
  }
}
