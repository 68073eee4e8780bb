/**
 * `run` under `limits.timeout-ms`. A guest runs synchronously, so a busy one can only be
 * stopped from another thread: the guest runs in a worker thread (run-worker.ts) and this
 * thread terminates it when the time is up (counted from when the guest starts, not from
 * when the worker does), then reports a LimitTrap as any trap is
 * reported (exit 134). Output the guest wrote before it was stopped has been delivered.
 *
 * The cost is the worker's start-up (a fresh V8 isolate loading the CLI's one script, its
 * compiled code from the cache) and
 * uncoalesced output; measured numbers are in docs/policy.md. Without a timeout `run`
 * never pays it.
 */
import { Worker } from 'node:worker_threads';
import { LimitTrap } from '../adapter/kernel/traps.js';
import { reportFailure } from '../adapter/node/report.js';
import type { Policy } from '../policy/types.js';

export interface TimedRun {
  kind: 'module' | 'component';
  bytes: Uint8Array;
  file: string;
  policy: Policy;
  args: string[];
  debug: boolean;
}

export function runWithTimeout(job: TimedRun, timeoutMs: number): Promise<number> {
  return new Promise((resolve) => {
    const worker = new Worker(new URL('./run-worker.js', import.meta.url), { workerData: job });
    let settled = false;
    let timedOut = false;
    const settle = (status: number): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(status);
    };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const start = (): void => { if (timer === undefined) timer = setTimeout(() => {
      timedOut = true;
      void worker.terminate().then(() => {
        settle(reportFailure(new LimitTrap('timeout-ms', `limits.timeout-ms: the guest ran longer than ${timeoutMs} ms and was stopped`), job.file, job.debug));
      });
    }, timeoutMs); };
    worker.on('message', (m: 'started' | number) => (m === 'started' ? start() : settle(m)));
    worker.once('error', (err) => settle(reportFailure(err, job.file, job.debug)));
    worker.once('exit', (code) => timedOut || settle(code === 0 ? 0 : reportFailure(new Error(`the run's worker exited with ${code}`), job.file, job.debug)));
  });
}
