/**
 * wasi-virt, platform-neutral entry: nothing here imports `node:*`, so a browser bundle
 * can take it whole. Node-only pieces (confined host directories, the snapshot builder,
 * fd-backed stdio, the node:wasi drop-in) come from `src/node.ts`, which the package
 * root resolves to under Node.
 */
export type * from './policy/types.js';
export { SUBSYSTEMS } from './policy/types.js';
export {
  ERRNO, WasiError, toErrno, toPreview2, fromPreview2,
  type ErrorCode, type ErrnoName, type Preview2ErrorCode,
} from './virtual-fs/errors.js';
export { Handle, DirHandle, type Stat, type FileType, type DirEntry, type OpenRequest } from './virtual-fs/handle.js';
export { resolve, MAX_SYMLINK_HOPS } from './virtual-fs/resolver.js';
export { MountTable } from './virtual-fs/mount-table.js';
export { MemoryTree } from './virtual-fs/memory-tree.js';
export { RoDir, RoFile, type RoTree } from './virtual-fs/ro-tree.js';
export {
  decodeSnapshot, readSnapshotHeader, snapshotRoot, hashMatches, SnapshotError, SnapshotTree, RoFileMount,
  type SnapshotHeader, type DecodeOptions,
} from './virtual-fs/snapshot.js';
export { encodeSnapshot, type EncodeNode, type EncodeOptions, type EncodedSnapshot } from './virtual-fs/snapshot-encode.js';
export {
  Kernel, ExitSignal, GuestTrap, LimitTrap, PolicyTrap, CaptureSink, BufferSource,
  type KernelOptions, type LimitName, type InputSource, type OutputSink, type Platform,
} from './adapter/kernel/index.js';
export { runEnding, exitStatus, TRAP_EXIT, USAGE_EXIT, INTERNAL_EXIT, type RunEnding } from './adapter/kernel/ending.js';
export { createPreview1, ModuleShapeError, type Preview1, type Preview1Options } from './adapter/preview1/index.js';
export { PolicyBuilder, EnvBuilder, FsBuilder, StdioBuilder } from './policy/builder.js';
export { validatePolicy } from './policy/validate.js';
export { parsePolicyText, formatFromName, type PolicyFormat } from './policy/parse.js';
export { PolicyError, PolicyFileError, formatPath } from './policy/errors.js';
export { createPreview2, classesOf, WASI_VERSIONS, type Preview2Options, type ImportObject as Preview2Imports, type NetworkProvider } from './adapter/preview2/index.js';
export { createPreview3, WASI_P3_VERSION, type Preview3Options, type Network3 } from './adapter/preview3/index.js';
export { runModule, detectVersion, UnresolvedImportError, type RunModuleOptions } from './adapter/preview1/run.js';
export { runToCompletion, NotACommandError } from './adapter/preview2/run-exports.js';
export { webPlatform, ConsoleSink } from './adapter/web/platform.js';
