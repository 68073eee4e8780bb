/**
 * The preview3 leg of the case runner: a case's WASI 0.3 guest (tests/components/js, built
 * by jsGuestFile) runs in a Node 26 child (0.3 needs JSPI; vitest runs on Node 20), through
 * the library's 0.3 API the way inProcess runs preview2 (tests/helpers/p3-worker.mjs).
 *
 * One child serves every run: a fresh Node start, transpile-cache read and compile of the
 * 1.1 MB component cost ~1 s per run, an instantiation in a warm child a few ms. A child
 * whose guest trapped is replaced before the next run, so that no half-finished async
 * task of jco's can leak into another case (keeping it passed every case too, and saved
 * ~2 s of ~12 under load: safety first).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Policy } from '../../src/policy/types.js';
import { node26 } from './engines.js';
import { ROOT } from './guests.js';

export interface P3Request {
  file: string;
  policy: Policy;
  args: string[];
  env: Record<string, string>;
  stdin: string;
  rootPreopen: boolean;
}

export interface P3Reply {
  code?: number;
  trap?: string;
  error?: string;
  stdout: string;
  stderr: string;
}

const WORKER = join(ROOT, 'tests', 'helpers', 'p3-worker.mjs');
const TIMEOUT_MS = 60_000;

let child: ChildProcess | undefined;
let nextId = 0;
/** The runs each child owes an answer. */
const pendingOf = new WeakMap<ChildProcess, Map<number, (r: P3Reply) => void>>();

function worker(): ChildProcess {
  if (child?.connected) return child;
  const c = spawn(node26, [WORKER], {
    cwd: ROOT,
    // The child's own environment: the guest's comes from the request (host-env).
    env: { PATH: process.env.PATH ?? '', WASI_VIRT_CACHE: process.env['WASI_VIRT_CACHE'] ?? '' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // Policies carry Dates (a deterministic clock's start): structured clone keeps them.
    serialization: 'advanced',
  });
  const pending = new Map<number, (r: P3Reply) => void>();
  pendingOf.set(c, pending);
  c.on('message', (m: P3Reply & { id: number }) => {
    const done = pending.get(m.id);
    pending.delete(m.id);
    done?.(m);
  });
  c.on('exit', (code, signal) => {
    if (child === c) child = undefined;
    for (const [id, done] of pending) {
      pending.delete(id);
      done({ stdout: '', stderr: '', error: `the Node 26 worker ended (${signal ?? code}) during the run` });
    }
  });
  // An idle worker keeps nothing alive (a run's own timer does while it waits).
  c.unref();
  c.channel?.unref();
  child = c;
  return c;
}

/** Run one 0.3 guest in the Node 26 worker. */
export function runP3(req: P3Request): Promise<P3Reply> {
  const c = worker();
  const pending = pendingOf.get(c)!;
  const id = nextId++;
  return new Promise<P3Reply>((resolve) => {
    const timer = setTimeout(() => {
      pending.delete(id);
      stopWorker();
      resolve({ stdout: '', stderr: '', error: `no answer from the Node 26 worker in ${TIMEOUT_MS / 1000} s` });
    }, TIMEOUT_MS);
    pending.set(id, (r) => {
      clearTimeout(timer);
      if (r.trap !== undefined) {
        // Replaced at once, so its start overlaps the next case's preview1 and preview2 runs.
        stopWorker();
        worker();
      }
      resolve(r);
    });
    c.send({ id, ...req, root: ROOT });
  });
}

/** End the worker (the next run starts a new one). */
export function stopWorker(): void {
  const c = child;
  child = undefined;
  if (c && c.exitCode === null && c.signalCode === null) c.kill();
}
