/**
 * The runtime a bundle finds itself in, chosen when it opens: Node, Deno and Bun (they all
 * have `node:` modules) get the host platform the CLI runs on; anything else (a browser, a
 * worker, an edge runtime) the web platform. Each lives in its own module, loaded only
 * where it applies, so nothing a bundle imports statically names a `node:` module.
 */
import type { Platform } from '../kernel/platform.js';

export interface RuntimeHost {
  /** `node` (Node, Deno, Bun) or `web`. */
  readonly name: 'node' | 'web';
  /** A fresh platform for one guest (stdio, host directories, environment, timer). */
  platform(): Platform;
  /** A file of the bundle, by URL. */
  read(url: URL): Promise<Uint8Array>;
  /** The same, synchronously, where the runtime can (snapshots are then read on first use). */
  readSync?(url: URL): Uint8Array;
  /** Whether `url` is the program the runtime was started with (`main`: import.meta.main, where the runtime has it). */
  isMain(url: string, main?: boolean): boolean;
  /** Whether this is a worker thread of a runtime with `node:` modules (a timed run's, timed.ts). */
  inWorker?(): boolean;
  /**
   * Run as that program: the process's arguments in, its exit status out, failures as one
   * line. `end`: end the process once the run is over (a WASI 0.3 run: jco's polling
   * timer, preview3-shim's workers or a stdin read the guest left waiting would keep it alive).
   */
  main?(name: string, debug: boolean, run: (args: string[]) => Promise<{ code: number }>, end?: boolean): Promise<void>;
}

/** Whether this runtime has `node:` modules (Node, Deno 2 and Bun all set process.versions.node). */
export function hasNodeModules(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: unknown } } }).process;
  return typeof p?.versions?.node === 'string';
}

export async function detectHost(): Promise<RuntimeHost> {
  if (hasNodeModules()) return (await import('./node-host.js')).nodeHost();
  return (await import('./web-host.js')).webHost();
}
