/**
 * `wasi-virt run app.component.wasm`: a preview2 component under the policy. Its exit
 * code becomes the process's (0 when `run` returns ok, 1 when it returns err, the code
 * of an exit call). A trap is one line naming it and exit 134 (wasmtime's convention,
 * 128 + SIGABRT); a component that cannot run here (not a command, an interface we do
 * not provide, a mount that cannot be built) is one line and exit 2. The guest's output
 * is delivered before either line.
 */
import { basename } from 'node:path';
import { FsSetupError } from '../adapter/kernel/fs.js';
import { ExitSignal, PolicyTrap, Kernel } from '../adapter/kernel/index.js';
import { nodePlatform } from '../adapter/node/platform.js';
import { instantiateComponent, NotACommandError, runToCompletion, type ComponentExports } from '../adapter/preview2/instantiate.js';
import { instantiateComponent3, isPreview3Command, runToCompletion3 } from '../adapter/preview3/instantiate.js';
import { USAGE_EXIT } from './errors.js';
import { terminate } from './terminate.js';
import { messageOf, reportTrap, say, type RunRequest } from './run.js';

/** One line naming the trap, after everything the guest wrote; the exit status. */
function reportComponentTrap(host: Kernel, e: unknown, debug: boolean): number {
  host.flush();
  return reportTrap(e, debug);
}

export async function runComponentCommand(req: RunRequest, bytes: Uint8Array): Promise<number> {
  // A WASI 0.3 command runs its async `wasi:cli/run@0.3…` export, never the 0.2 stub.
  if (!isPreview3Command(bytes)) return runOnce(req, bytes, false);
  // jco's async runtime (it polls blocked stream reads with an interval) and
  // preview3-shim's workers outlive the guest: once the guest's output is delivered
  // (the kernel writes stdio synchronously), its exit status ends the process.
  terminate(await runOnce(req, bytes, true));
}

async function runOnce(req: RunRequest, bytes: Uint8Array, p3: boolean): Promise<number> {
  const debug = req.debug || req.policy.debug === true;
  let host: Kernel;
  try {
    host = new Kernel({
      policy: req.policy,
      args: [basename(req.file), ...req.guestArgs],
      platform: nodePlatform(),
      trace: debug,
    });
  } catch (e) {
    // Building the guest's world failed (a mount or preopen that cannot be set up):
    // nothing of the guest has run yet, so this is bad input, not a trap.
    say(`error: cannot run ${req.file}: ${e instanceof FsSetupError ? e.message : messageOf(e)}`);
    return USAGE_EXIT;
  }
  try {
    let exports: ComponentExports;
    try {
      ({ exports } = p3 ? await instantiateComponent3(bytes, host) : await instantiateComponent(bytes, host));
    } catch (e) {
      // Guest code can run while instantiating (a start function): its traps and exits
      // are the guest's; anything else means the component cannot be linked here.
      if (e instanceof ExitSignal) return e.code;
      if (e instanceof WebAssembly.RuntimeError || e instanceof PolicyTrap) return reportComponentTrap(host, e, debug);
      say(`error: cannot run ${req.file}: ${messageOf(e)}`);
      return USAGE_EXIT;
    }
    try {
      return p3 ? await runToCompletion3(exports) : runToCompletion(exports);
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
