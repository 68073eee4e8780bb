/**
 * The preview2 face: a jco import object for every WASI 0.2.x interface, built over one
 * Kernel. Each WIT package has its module (io, cli, clocks, filesystem, random,
 * sockets, http); this composes them and adds versioned keys.
 *
 * Keys: jco's instantiation mode reads unversioned keys (`wasi:cli/environment`); the
 * same namespace objects are also listed under `@0.2.0` through `@0.2.12` (what jco's
 * bundled adapter and current toolchains emit), for embedders and `--map` setups that
 * look interfaces up with the version. Later 0.2.x revisions only add members, so one
 * object serves every version.
 */
import type { Kernel } from '../kernel/index.js';
import { Bridge } from './bridge.js';
import { createCli, TerminalInput, TerminalOutput } from './cli.js';
import { createClocks } from './clocks.js';
import type { Classes, Ctx, ImportObject, Namespace } from './context.js';
import { createFilesystem, Descriptor, DirectoryEntryStream } from './filesystem.js';
import { createHttp } from './http.js';
import { createIo, InputStream, IoError, OutputStream, Pollable } from './io.js';
import type { NetworkProvider } from './network-types.js';
import { createRandom } from './random.js';
import { createSockets } from './sockets.js';
import { traceNamespace, tracedClasses, Tracer } from './trace.js';

export const WASI_VERSIONS: readonly string[] = Array.from({ length: 13 }, (_, i) => `0.2.${i}`);

const BASE: Classes = {
  IoError, Pollable, InputStream, OutputStream, Descriptor, DirectoryEntryStream, TerminalInput, TerminalOutput,
};

export interface Preview2Options {
  /**
   * Implementation behind allowed wasi:sockets and wasi:http (Node: preview2-shim, see
   * `loadNetwork` in network-node.ts). Without one, sockets answer `not-supported` and
   * http requests `HTTP-request-denied` even when the policy allows them.
   */
  network?: NetworkProvider;
  /**
   * List every interface under its versioned keys too (default true). jco's generated code
   * reads only the unversioned ones: the runners that feed it skip the ~480 versioned keys,
   * ~6 % of an instantiation.
   */
  versionedKeys?: boolean;
}

/** The resource classes behind an import object (tests and embedders check instances). */
export function classesOf(imports: ImportObject): Classes {
  const io = imports['wasi:io/streams']!;
  const fs = imports['wasi:filesystem/types']!;
  return {
    IoError: imports['wasi:io/error']!['Error'] as typeof IoError,
    Pollable: imports['wasi:io/poll']!['Pollable'] as typeof Pollable,
    InputStream: io['InputStream'] as typeof InputStream,
    OutputStream: io['OutputStream'] as typeof OutputStream,
    Descriptor: fs['Descriptor'] as typeof Descriptor,
    DirectoryEntryStream: fs['DirectoryEntryStream'] as typeof DirectoryEntryStream,
    TerminalInput: imports['wasi:cli/terminal-input']!['TerminalInput'] as typeof TerminalInput,
    TerminalOutput: imports['wasi:cli/terminal-output']!['TerminalOutput'] as typeof TerminalOutput,
  };
}

export function createPreview2(kernel: Kernel, options: Preview2Options = {}): ImportObject {
  const tracer = kernel.trace ? new Tracer(kernel.trace) : undefined;
  const cls = tracer ? tracedClasses(tracer, BASE) : BASE;
  const ctx: Ctx = { kernel, cls, network: options.network, failed: tracer?.failed };
  const bridge = options.network ? new Bridge(ctx, options.network) : undefined;
  let ifaces: Record<string, Namespace> = {
    ...createIo(ctx),
    ...createCli(ctx),
    ...createClocks(ctx),
    ...createFilesystem(ctx),
    ...createRandom(ctx),
    ...createSockets(ctx, bridge),
    ...createHttp(ctx, bridge),
  };
  if (tracer) {
    const shared = new Set<unknown>(Object.values(cls));
    ifaces = Object.fromEntries(Object.entries(ifaces).map(([k, ns]) => [k, traceNamespace(tracer, k, ns, shared)]));
  }
  if (options.versionedKeys === false) return ifaces;
  const out: ImportObject = {};
  for (const [key, ns] of Object.entries(ifaces)) {
    out[key] = ns;
    for (const k of versionedKeys(key)) out[k] = ns;
  }
  return out;
}

/** `key@0.2.0` ... `key@0.2.12`, made once per key rather than at every instantiation. */
const VERSIONED = new Map<string, readonly string[]>();
function versionedKeys(key: string): readonly string[] {
  let keys = VERSIONED.get(key);
  if (!keys) {
    keys = WASI_VERSIONS.map((v) => `${key}@${v}`);
    VERSIONED.set(key, keys);
  }
  return keys;
}

export type { ImportObject, Namespace, Classes } from './context.js';
export type { NetworkProvider } from './network-types.js';
export { IoError, Pollable, InputStream, OutputStream } from './io.js';
export { Descriptor } from './filesystem.js';
