/**
 * The worker thread behind `run` with a timeout (timed-run.ts starts it): runs the guest
 * as `run` would, reports any failure itself (one line on fd 2, written synchronously)
 * and posts the exit status. Output goes straight to the host fds, uncoalesced, so what
 * the guest wrote before the timeout stopped it is not left in a buffer.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { nodePlatform } from '../adapter/node/platform.js';
import { reportFailure } from '../adapter/node/report.js';
import { runModule } from '../adapter/preview1/run.js';
import type { TimedRun } from './timed-run.js';

const job = workerData as TimedRun;
const options = { policy: job.policy, args: job.args, platform: nodePlatform({ coalesce: false }), trace: job.debug };
let status: number;
// The clock starts when the guest does: loading wasi-virt into the worker (and a
// component's transpile, which loadComponent caches for runComponent) is not its time.
const started = (): void => parentPort!.postMessage('started');
try {
  if (job.kind === 'component') {
    const { loadComponent, runComponent } = await import('../adapter/preview2/instantiate.js');
    // A WASI 0.3 command is loaded as runComponent will run it (async instantiation), not as a 0.2 one.
    const p3 = await import('../adapter/preview3/instantiate.js');
    if (p3.isPreview3Command(job.bytes)) await p3.loadComponent3(job.bytes);
    else await loadComponent(job.bytes);
    started();
    status = (await runComponent(job.bytes, options)).code;
  } else {
    started();
    status = (await runModule(job.bytes, options)).code;
  }
} catch (err) {
  started();
  status = reportFailure(err, job.file, job.debug);
}
parentPort!.postMessage(status);
