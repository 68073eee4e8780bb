/**
 * The WASI 0.3 face: jco import-object namespaces for the `wasi:*@0.3.0-rc-2026-03-15`
 * interfaces, over the same Kernel as the 0.2 face. One module per WIT package.
 *
 * A 0.3 component (what Rust's wasm32-wasip3 emits) also imports `wasi:*@0.2.x`
 * interfaces, and jco's import object has one unversioned key per interface for both:
 * `wasi:cli/environment` must carry 0.2's `initialCwd` and 0.3's `getInitialCwd`. So the
 * import object here is the 0.2 face's with the 0.3 members merged in; where both
 * versions use one name (`Descriptor`, `exit`), the 0.3 member wins, since only 0.3
 * components get this object. `@0.3.x` keys carry the 0.3 namespaces alone.
 */
import type { Kernel } from '../kernel/index.js';
import { createPreview2, type ImportObject, type Namespace, type Preview2Options } from '../preview2/index.js';
import type { Descriptor as Descriptor2 } from '../preview2/filesystem.js';
import { createCli } from './cli.js';
import { createClocks } from './clocks.js';
import { Drains, type Ctx } from './context.js';
import { createFilesystem } from './filesystem.js';
import { createRandom } from './random.js';
import { createNetwork, type Network3 } from './network.js';
import { traceNamespaces3 } from './trace.js';

import { WASI_P3_VERSION } from './version.js';

export { WASI_P3_VERSION };

export interface Preview3Options extends Preview2Options {
  /** wasi:sockets / wasi:http 0.3 (Node: preview3-shim's, see network-node.ts). */
  network3?: Network3;
}

export function createPreview3(kernel: Kernel, options: Preview3Options = {}): ImportObject {
  const p2 = createPreview2(kernel, options);
  const ctx: Ctx = { kernel, drains: new Drains() };
  const getDirectories = p2['wasi:filesystem/preopens']!['getDirectories'] as () => [Descriptor2, string][];
  // stdio, clocks and random traced here; the file system by the 0.2 descriptors it delegates to.
  const plain = { ...createCli(ctx), ...createClocks(ctx), ...createRandom(ctx) };
  const p3: Record<string, Namespace> = {
    ...(kernel.trace ? traceNamespaces3(kernel.trace, plain) : plain),
    ...createFilesystem(ctx, getDirectories),
    ...createNetwork(ctx, options.network3),
  };
  const out: ImportObject = { ...p2 };
  for (const [key, ns] of Object.entries(p3)) {
    out[key] = { ...p2[key], ...ns };
    out[`${key}@${WASI_P3_VERSION}`] = ns;
  }
  return out;
}

export type { Network3 } from './network.js';
