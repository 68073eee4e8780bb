/**
 * `wasi-virt run app.component.wasm`: a preview2 component under the policy. Its exit
 * code becomes the process's (0 when `run` returns ok, 1 when it returns err, the code
 * of an exit call). A trap is one line naming it and exit 134 (wasmtime's convention,
 * 128 + SIGABRT); a component that cannot run here (not a command, an interface we do
 * not provide, a mount that cannot be built) is one line and exit 2. The guest's output
 * is delivered before either line.
 */
import { basename } from 'node:path';
import { cwdProblem, FsSetupError } from '../adapter/kernel/fs.js';
import { ExitSignal, PolicyTrap, Kernel } from '../adapter/kernel/index.js';
import { nodePlatform } from '../adapter/node/platform.js';
import { instantiateComponent, NotACommandError, runToCompletion } from '../adapter/preview2/instantiate.js';
import { USAGE_EXIT } from './errors.js';
import { messageOf, reportTrap, say, type RunRequest } from './run.js';

/** One line naming the trap, after everything the guest wrote; the exit status. */
function reportComponentTrap(host: Kernel, e: unknown, debug: boolean): number {
  host.flush();
  return reportTrap(e, debug);
}

export async function runComponentCommand(req: RunRequest, bytes: Uint8Array): Promise<number> {
  const debug = req.debug || req.policy.debug === true;
  let host: Kernel;
  try {
    host = new Kernel({
      policy: req.policy,
      args: [basename(req.file), ...req.guestArgs],
      platform: nodePlatform({ orderHostWrites: false }),
      trace: debug,
    });
  } catch (e) {
    // Building the guest's world failed (a mount or preopen that cannot be set up):
    // nothing of the guest has run yet, so this is bad input, not a trap.
    say(`error: cannot run ${req.file}: ${e instanceof FsSetupError ? e.message : messageOf(e)}`);
    return USAGE_EXIT;
  }
  // The guest's initial-cwd is only a name unless it is checked against its file system.
  const badCwd = req.policy.cwd === undefined ? undefined : cwdProblem(host.fs, req.policy.cwd);
  if (badCwd !== undefined) {
    host.dispose();
    say(`error: cannot run ${req.file}: ${badCwd}`);
    return USAGE_EXIT;
  }
  try {
    let exports;
    try {
      ({ exports } = await instantiateComponent(bytes, host));
    } catch (e) {
      // Guest code can run while instantiating (a start function): its traps and exits
      // are the guest's; anything else means the component cannot be linked here.
      if (e instanceof ExitSignal) return e.code;
      if (e instanceof WebAssembly.RuntimeError || e instanceof PolicyTrap) return reportComponentTrap(host, e, debug);
      say(`error: cannot run ${req.file}: ${messageOf(e)}`);
      return USAGE_EXIT;
    }
    try {
      return runToCompletion(exports);
    } catch (e) {
      if (e instanceof NotACommandError) {
        say(`error: cannot run ${req.file}: ${e.message}`);
        return USAGE_EXIT;
      }
      return reportComponentTrap(host, e, debug);
    }
  } finally {
    host.dispose();
  }
}
