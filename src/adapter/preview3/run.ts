/**
 * Running a WASI 0.3 command once it is instantiated, and what it needs of the engine:
 * platform-neutral (no `node:` module, no jco), so a composed bundle carries it as the CLI
 * uses it. The CLI's loader (transpile, cache) is instantiate.ts; a bundle's is
 * src/adapter/bundle/preview3-face.ts.
 */
import { ExitSignal } from '../kernel/exit.js';
import type { Kernel } from '../kernel/index.js';
import type { ImportObject, NetworkProvider } from '../preview2/index.js';
import { isRunError, NotACommandError, type ComponentExports } from '../preview2/run-exports.js';
import type { Network3 } from './index.js';

const RUN_P3 = /^wasi:cli\/run@0\.3\./;

/** True for an export name of WASI 0.3's `wasi:cli/run`. */
export function isRun3(name: string): boolean {
  return RUN_P3.test(name);
}

/** The engine has JSPI, which WASI 0.3's async calls need. */
export function hasJspi(): boolean {
  const wa = WebAssembly as unknown as Record<string, unknown>;
  return typeof wa['Suspending'] === 'function' && typeof wa['promising'] === 'function';
}

/** The engine this is, for a message: `Node 20.20.2`, `Deno 2.9.6`, `Bun 1.4.5`, or `this browser or worker`. */
function engine(): string {
  const g = globalThis as { Deno?: { version?: { deno?: string } }; Bun?: { version?: string }; process?: { versions?: { node?: string } } };
  if (g.Deno?.version?.deno) return `Deno ${g.Deno.version.deno}`;
  if (g.Bun?.version) return `Bun ${g.Bun.version}`;
  if (g.process?.versions?.node) return `Node ${g.process.versions.node}`;
  return 'a browser or worker without it';
}

/**
 * A 0.3 component on an engine without JSPI: one line saying what is needed. `where`
 * is the advice (the CLI runs on Node; a bundle also runs on Deno and Chromium).
 */
export class JspiMissingError extends Error {
  readonly userFacing = true;
  constructor(where = 'Node >= 25') {
    super(`this component uses WASI 0.3 (async), which needs JSPI (WebAssembly.Suspending); this is ${engine()}: run it on ${where}`);
    this.name = 'JspiMissingError';
  }
}

/** The networks a 0.3 component's imports call for, by version. */
export interface Networks {
  network3?: Network3;
  network?: NetworkProvider;
}

/** What of the network a 0.3 component wants, from its (unversioned) imports and the policy. */
export function networkWants(imports: readonly string[], kernel: Kernel): { sockets: boolean; http: boolean; sockets2: boolean } {
  const sockets = kernel.allows('sockets') && imports.some((i) => i.startsWith('wasi:sockets/'));
  return {
    sockets,
    http: imports.some((i) => i.startsWith('wasi:http/')),
    // 0.2 sockets a 0.3 component may also import (only 0.2 has these interfaces).
    sockets2: sockets && imports.some((i) => /^wasi:sockets\/(tcp|udp|network|instance-network)/.test(i)),
  };
}

/** The interfaces of `wanted` that `imports` lacks (none: it can be instantiated). */
export function unprovided(imports: ImportObject, wanted: readonly string[]): string[] {
  return wanted.filter((i) => !(i in imports));
}

/** The async `run` of the component's `wasi:cli/run@0.3…` export. */
export function runExport3(exports: ComponentExports): () => Promise<unknown> {
  for (const [name, value] of Object.entries(exports)) {
    if (!RUN_P3.test(name)) continue;
    const run = (value as { run?: unknown } | undefined)?.run;
    if (typeof run === 'function') return run as () => Promise<unknown>;
  }
  throw new NotACommandError('the component does not export wasi:cli/run@0.3 (it is not a 0.3 command)');
}

/** Await `run` and map how it ended to an exit code (0 ok, 1 err, an exit call's code); traps propagate. */
export async function runToCompletion3(exports: ComponentExports): Promise<number> {
  const run = runExport3(exports);
  try {
    await run();
    return 0;
  } catch (e) {
    if (e instanceof ExitSignal) return e.code;
    if (isRunError(e)) return 1;
    throw e;
  }
}
