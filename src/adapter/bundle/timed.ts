/**
 * A bundle's run under `limits.timeout-ms`. A guest runs synchronously, so a busy one can
 * only be stopped from another thread: the run moves to a worker thread (this same
 * module, loaded there, imports the bundle's entry and runs it), and the calling thread
 * terminates the worker when the time is up, counted from when the guest starts. The run
 * then rejects with a LimitTrap, which `node out/app.js` reports as any trap (exit 134).
 *
 * What crosses into the worker is data: args, env, stdin given as text or bytes, host
 * preopens given as paths. Output sinks and a trace function stay here and receive what
 * the worker writes, in order; without them the worker writes the process's fds itself,
 * uncoalesced, so nothing the guest wrote before it was stopped waits in a buffer. A
 * custom InputSource, platform, network or DirHandle preopen cannot cross and is refused.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { runEnding } from '../kernel/ending.js';
import type { OutputSink } from '../kernel/stdio.js';
import { GuestTrap, LimitTrap, PolicyTrap } from '../kernel/traps.js';
import { FdSink } from '../node/stdio.js';
import type { Bundle, BundleRunOptions } from './runtime.js';

const MARK = 'wasi-virt timed bundle run';

interface Job {
  mark: typeof MARK;
  entry: string;
  args: string[];
  options: Pick<BundleRunOptions, 'env'> & { stdin?: string | Uint8Array; preopens?: Record<string, string> };
  /** Which outputs the caller takes itself (forwarded as messages). */
  forward: { stdout: boolean; stderr: boolean; trace: boolean };
  /** The caller's `trace: true / false`, if given (else the policy's `debug`). */
  trace?: boolean;
}

/** What the worker says: the guest started, an output chunk or trace line, the end. */
type Message =
  | { started: true }
  | { out: 'stdout' | 'stderr'; bytes: Uint8Array }
  | { trace: string }
  | { code: number }
  | { ending: { how: 'trap' | 'refused' | 'failed'; message: string; family?: 'guest' | 'policy' | 'limit' | 'engine'; limit?: LimitTrap['limit']; stack?: string } };

/** Raised here for what cannot cross into the worker; user-facing like any bad option. */
export class TimedRunError extends Error {
  readonly userFacing = true;
}

export function runTimed(entry: URL, args: string[], options: BundleRunOptions, timeoutMs: number): Promise<{ code: number }> {
  const { stdin, preopens } = options;
  if (stdin !== undefined && typeof stdin !== 'string' && !(stdin instanceof Uint8Array)) {
    throw new TimedRunError('with limits.timeout-ms the guest runs in a worker thread: give stdin as a string or bytes, not an InputSource');
  }
  if (options.platform || options.network) {
    throw new TimedRunError('with limits.timeout-ms the guest runs in a worker thread, where a custom platform or network cannot follow');
  }
  if (preopens && Object.values(preopens).some((p) => typeof p !== 'string')) {
    throw new TimedRunError('with limits.timeout-ms the guest runs in a worker thread: give preopens as host paths');
  }
  const job: Job = {
    mark: MARK,
    entry: entry.href,
    args,
    options: {
      ...(options.env ? { env: options.env } : {}),
      ...(stdin !== undefined ? { stdin } : {}),
      ...(preopens ? { preopens: preopens as Record<string, string> } : {}),
    },
    forward: { stdout: options.stdout !== undefined, stderr: options.stderr !== undefined, trace: typeof options.trace === 'function' },
    ...(typeof options.trace === 'boolean' ? { trace: options.trace } : {}),
  };
  return new Promise((resolve, reject) => {
    // The caller's flags, less one a worker refuses (`node --input-type=module -e ...` runs scripts).
    const execArgv = process.execArgv.filter((a) => !a.startsWith('--input-type'));
    const worker = new Worker(new URL(import.meta.url), { workerData: job, execArgv });
    let timer: ReturnType<typeof setTimeout> | undefined;
    let done = false;
    const finish = (f: () => void): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      options.stdout?.flush();
      options.stderr?.flush();
      f();
    };
    worker.on('message', (m: Message) => {
      if ('started' in m) {
        timer ??= setTimeout(() => {
          done = true;
          void worker.terminate().then(() => {
            options.stdout?.flush();
            options.stderr?.flush();
            reject(new LimitTrap('timeout-ms', `limits.timeout-ms: the guest ran longer than ${timeoutMs} ms and was stopped`));
          });
        }, timeoutMs);
      } else if ('out' in m) {
        options[m.out]?.write(m.bytes);
      } else if ('trace' in m) {
        (options.trace as (line: string) => void)(m.trace);
      } else if ('code' in m) {
        finish(() => resolve({ code: m.code }));
      } else {
        finish(() => reject(rebuild(m.ending)));
      }
    });
    worker.once('error', (err) => finish(() => reject(err)));
    worker.once('exit', (code) => finish(() => reject(new Error(`the worker running the guest exited with ${code} before it ended`))));
  });
}

/** The error the worker's run ended with, as the same class on this side. */
function rebuild(e: Extract<Message, { ending: unknown }>['ending']): Error {
  let err: Error;
  if (e.how === 'refused') err = new TimedRunError(e.message);
  else if (e.how === 'failed') err = new Error(e.message);
  else if (e.family === 'limit') err = new LimitTrap(e.limit!, e.message);
  else if (e.family === 'policy') err = new PolicyTrap(e.message);
  else if (e.family === 'guest') err = new GuestTrap(e.message);
  else err = new WebAssembly.RuntimeError(e.message);
  // The worker's stack names the guest's function a trap happened in.
  if (e.stack) err.stack = e.stack;
  return err;
}

/** The worker's side: run the bundle here and tell the caller how it went. */
async function serve(job: Job): Promise<void> {
  const post = (m: Message): void => parentPort!.postMessage(m);
  const forwarding = (out: 'stdout' | 'stderr'): OutputSink => ({ write: (bytes) => post({ out, bytes: bytes.slice() }), flush() {} });
  const bundle = (await import(job.entry) as { default: Bundle }).default;
  const options: BundleRunOptions = {
    ...job.options,
    stdout: job.forward.stdout ? forwarding('stdout') : new FdSink(1, { coalesce: false }),
    stderr: job.forward.stderr ? forwarding('stderr') : new FdSink(2, { coalesce: false }),
    ...(job.forward.trace ? { trace: (line: string) => post({ trace: line }) } : job.trace !== undefined ? { trace: job.trace } : {}),
  };
  try {
    const { code } = await bundle.runHere(job.args, options, () => post({ started: true }));
    post({ code });
  } catch (err) {
    post({ started: true });
    const ending = runEnding(err);
    if (ending.how === 'exit') return post({ code: ending.code });
    const family = err instanceof LimitTrap ? 'limit' : err instanceof PolicyTrap ? 'policy' : err instanceof GuestTrap ? 'guest' : 'engine';
    post({
      ending: {
        how: ending.how, message: ending.message, family,
        ...(err instanceof LimitTrap ? { limit: err.limit } : {}),
        ...(err instanceof Error && err.stack ? { stack: err.stack } : {}),
      },
    });
  }
}

if (!isMainThread && (workerData as Job | undefined)?.mark === MARK) await serve(workerData as Job);
