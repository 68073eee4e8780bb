/**
 * The worker thread behind `run` with a timeout (timed-run.ts starts it): loads the CLI's
 * one script (its compiled code cached, as the bin does) and runs the job (timed-job.ts),
 * posting 'started' when the guest starts and then the exit status.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadOneScript } from '../util/one-script.js';
import type { TimedRun } from './timed-run.js';

type Program = typeof import('./program.js');

const script = process.getBuiltinModule('node:url').fileURLToPath(new URL('../one-script/cli.cjs', import.meta.url));
const { runTimedJob } = loadOneScript<Program>(script)?.exports ?? await import('./timed-job.js');
parentPort!.postMessage(await runTimedJob(workerData as TimedRun, () => parentPort!.postMessage('started')));
