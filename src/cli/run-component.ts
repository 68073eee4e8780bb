/**
 * `wasi-virt run app.component.wasm`: a preview2 component under the policy. Its exit
 * code becomes the process's (0 when `run` returns ok, 1 when it returns err, the code
 * of an exit call); any other ending is reported as kernel/ending.ts decides, after the
 * guest's output is delivered (a trap is 134, bad input 2).
 */
import { basename } from 'node:path';
import { nodePlatform } from '../adapter/node/platform.js';
import { reportFailure } from '../adapter/node/report.js';
import { runComponent } from '../adapter/preview2/instantiate.js';
import type { RunRequest } from './run.js';

export async function runComponentCommand(req: RunRequest, bytes: Uint8Array): Promise<number> {
  const debug = req.debug || req.policy.debug === true;
  try {
    const { code } = await runComponent(bytes, {
      policy: req.policy,
      args: [basename(req.file), ...req.guestArgs],
      platform: nodePlatform({ orderHostWrites: false }),
      trace: debug,
    });
    return code;
  } catch (e) {
    // runComponent has flushed the guest's output and released the host by now.
    return reportFailure(e, req.file, debug);
  }
}
