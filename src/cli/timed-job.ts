/**
 * What the worker of `run --timeout` does (run-worker.ts starts it; timed-run.ts starts
 * the worker): runs the guest as `run` would, reports any failure itself (one line on fd
 * 2, written synchronously) and returns the exit status. Output goes straight to the host
 * fds, uncoalesced, so what the guest wrote before the timeout stopped it is not left in a
 * buffer. Part of the CLI's one script (program.ts exports it), so the worker loads
 * compiled code from the cache instead of compiling wasi-virt's modules again.
 */
import { nodePlatform } from '../adapter/node/platform.js';
import { reportFailure } from '../adapter/node/report.js';
import { runModule } from '../adapter/preview1/run.js';
import type { TimedRun } from './timed-run.js';

/** Run `job`; `started` is called when the guest starts (its time is counted from there). */
export async function runTimedJob(job: TimedRun, started: () => void): Promise<number> {
  const options = { policy: job.policy, args: job.args, platform: nodePlatform({ coalesce: false }), trace: job.debug };
  // The clock starts when the guest does: loading wasi-virt into the worker (and a
  // component's transpile, which loadComponent caches for runComponent) is not its time.
  try {
    if (job.kind === 'component') {
      const { loadComponent, runComponent } = await import('../adapter/preview2/instantiate.js');
      // A WASI 0.3 command is loaded as runComponent will run it (async instantiation), not as a 0.2 one.
      const p3 = await import('../adapter/preview3/instantiate.js');
      if (p3.isPreview3Command(job.bytes)) await p3.loadComponent3(job.bytes);
      else await loadComponent(job.bytes);
      started();
      return (await runComponent(job.bytes, options)).code;
    }
    started();
    return (await runModule(job.bytes, options)).code;
  } catch (err) {
    started();
    return reportFailure(err, job.file, job.debug);
  }
}
