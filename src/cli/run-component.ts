/**
 * `wasi-virt run app.component.wasm`: a preview2 component under the policy. Its exit
 * code becomes the process's (0 when `run` returns ok, 1 when it returns err, the code
 * of an exit call); any other ending is reported as kernel/ending.ts decides, after the
 * guest's output is delivered (a trap is 134, bad input 2).
 */
import { reportFailure } from '../adapter/node/report.js';
import { runComponent } from '../adapter/preview2/instantiate.js';
import { isPreview3Command } from '../adapter/preview3/instantiate.js';
import { guestOptions, type RunRequest } from './run.js';
import { terminate } from '../adapter/node/terminate.js';

export async function runComponentCommand(req: RunRequest, bytes: Uint8Array): Promise<number> {
  // runComponent runs a WASI 0.3 command's async `wasi:cli/run@0.3…` export (never its
  // 0.2 stub). jco's async runtime (it polls blocked stream reads with an interval) and
  // preview3-shim's workers outlive such a guest: once its output is delivered (the
  // kernel writes stdio synchronously), its exit status ends the process.
  if (isPreview3Command(bytes)) terminate(await runOnce(req, bytes));
  return runOnce(req, bytes);
}

async function runOnce(req: RunRequest, bytes: Uint8Array): Promise<number> {
  const debug = req.debug || req.policy.debug === true;
  try {
    const { code } = await runComponent(bytes, guestOptions(req, debug));
    return code;
  } catch (e) {
    // runComponent has flushed the guest's output and released the host by now.
    return reportFailure(e, req.file, debug);
  }
}
