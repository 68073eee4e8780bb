/**
 * wasi-virt for Node: everything from the neutral entry plus the Node-only pieces.
 * The package root resolves here under Node (package.json "exports" condition `node`).
 */
export * from './index.js';
export {
  buildSnapshot, progressReporter, sha256, DEFAULT_EXCLUDE, MAX_SNAPSHOT_BYTES,
  type SnapshotBuild, type SnapshotBuildOptions, type ProgressCallback, type ProgressOptions,
} from './virtual-fs/snapshot-builder.js';
export { loadPolicyFile, loadPolicyFileSync, type LoadOptions } from './policy/load.js';
export { runComponent, instantiateComponent, loadComponent, runToCompletion, type RunComponentOptions } from './adapter/preview2/instantiate.js';
export {
  runComponent3, instantiateComponent3, runToCompletion3, isPreview3Command, hasJspi, JspiMissingError,
} from './adapter/preview3/instantiate.js';
export { transpileComponent, ComponentLoadError } from './adapter/preview2/transpile.js';
export { cacheDir } from './util/cache-dir.js';
export { loadNetwork } from './adapter/preview2/network-node.js';
export { WASI, runModule, type WASIOptions } from './wasi.js';
export { nodePlatform, type NodePlatformOptions } from './adapter/node/platform.js';
export { FdSink, FdSource } from './adapter/node/stdio.js';
export { composeBundle } from './compose/bundle.js';
export { inspectApp, formatReport } from './inspect/report.js';
export { readComponent } from './inspect/component-binary.js';
export { WasiVirt, type RunOptions } from './wasi-virt.js';
