/**
 * The Node platform of the CLI and the library: the host platform every runtime with
 * `node:` modules shares (host-platform.ts), plus snapshots built from a local directory at
 * start-up (`run --mount`, `virtualize` without a prebuilt snapshot).
 */
import type { VirtualizeOptions } from '../../policy/types.js';
import { buildSnapshot } from '../../virtual-fs/snapshot-builder.js';
import type { Platform } from '../kernel/platform.js';
import { hostPlatform, type NodePlatformOptions } from './host-platform.js';

export type { NodePlatformOptions };

export function nodePlatform(options: NodePlatformOptions = {}): Platform {
  return { ...hostPlatform(options), buildSnapshot: (opts: VirtualizeOptions) => buildSnapshot(opts).bytes };
}
