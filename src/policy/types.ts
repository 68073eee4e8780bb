/**
 * The Policy: plain, JSON-serializable data saying what a guest may do.
 *
 * One schema serves everywhere: the TypeScript object, `toJSON()`, the output of
 * `wasi-virt policy`, `--config policy.json` and (written as TOML tables) `--config
 * policy.toml`. Keys follow WASI-Virt's `virt-opts` (kebab-case) so its test-case
 * files load unchanged; our additions use the same style.
 *
 * A field left undefined means "not virtualized": the subsystem passes through to
 * whatever the embedder supplies (WASI-Virt's API default). The CLI fills every
 * field, so its defaults are explicit (see src/cli/flags.ts).
 */

/** Pass a subsystem through to the host, or refuse it. */
export type Toggle = 'allow' | 'deny';

/** allow: the host's stream. ignore: reads see EOF, writes vanish. deny: every call fails. */
export type StdioMode = 'allow' | 'ignore' | 'deny';

export interface DeterministicClocks {
  /** Wall-clock reading of the first call, as an ISO-8601 instant. Default 2000-01-01T00:00:00Z. */
  start?: string;
  /** Nanoseconds every clock reading advances by. Default 1,000,000 (1 ms). */
  'step-ns'?: number;
}

export interface DeterministicRandom {
  /** Seed of the generator behind random, insecure and insecure-seed. Default 0. */
  seed?: number;
}

export type ClocksPolicy = Toggle | { deterministic: DeterministicClocks };
export type RandomPolicy = Toggle | { deterministic: DeterministicRandom };

/** Which host variables reach the guest. */
export type HostEnv = 'all' | 'none' | { allow: string[] } | { deny: string[] };

export interface EnvPolicy {
  host: HostEnv;
  /** Set after the host list is filtered; later pairs win over earlier ones and over host values. */
  overrides: [string, string][];
}

export interface StdioPolicy {
  stdin: StdioMode;
  stdout: StdioMode;
  stderr: StdioMode;
}

/** Options of a build-time mount (`virtualize`). */
export interface VirtualizeOptions {
  /** Host file or directory, read when the policy is built into a snapshot. */
  path: string;
  /** Globs (fast-glob syntax, relative to `path`) a file must match to be kept. Default everything. */
  include?: string[];
  /**
   * Globs that drop a file or directory (a matched directory goes with all it holds).
   * They add to the built-in version-control excludes (`.git` and friends, see
   * docs/snapshot-format.md), which `keep-vcs` turns off.
   */
  exclude?: string[];
  /** Embed version-control folders (`.git`, `.hg`, ...) too. Default false. */
  'keep-vcs'?: boolean;
  /** A symlink whose target leaves the mount: `error` (default) refuses the build, `skip` leaves it out. */
  'outside-symlinks'?: 'error' | 'skip';
}

/** Options of a runtime host directory (`runtime-dir`, `--preopen`). */
export interface RuntimeDirOptions {
  /** Host directory, opened when the guest starts. */
  path: string;
  /** Close every write path (open for write, create, truncate, unlink, rename, ...). */
  readonly?: boolean;
}

/**
 * One node of the guest file-system tree, externally tagged as in WASI-Virt's FsEntry.
 * `dir`, `source`, `file` and `symlink` live in memory; `virtualize` embeds a host
 * path at build time; `runtime-file` and `runtime-dir` are host paths opened at run time.
 */
export type FsEntry =
  | { dir: Record<string, FsEntry> }
  | { source: string }
  | { file: number[] }
  | { symlink: string }
  | { virtualize: string | VirtualizeOptions }
  | { 'runtime-file': string }
  | { 'runtime-dir': string | RuntimeDirOptions };

export interface FsPolicy {
  /** Expose the preopens the embedder supplies at run time (node:wasi-style `preopens`, `run --dir`). */
  'host-preopens': boolean;
  /** Guest preopen name (an absolute guest path such as `/` or `/data`) to its tree. */
  preopens: Record<string, FsEntry>;
}

/**
 * Resource limits on one guest (docs/policy.md). Every one is optional; `open-files` has
 * a default even when unset, the others are unbounded unless set.
 */
export interface LimitsPolicy {
  /** Open fds the guest may hold, stdio and preopens included; past it, opens fail with EMFILE. Default 1024. */
  'open-files'?: number;
  /** Bytes the guest may write to stdout; past it, writes fail with EDQUOT (`quota`). */
  'stdout-bytes'?: number;
  /** Same, for stderr. */
  'stderr-bytes'?: number;
  /** Bytes the guest may write into host files (runtime dirs and files, host preopens), all files together. */
  'write-bytes'?: number;
  /** Largest linear memory, in bytes, checked at instantiation and on every host call: a trap past it. */
  'memory-bytes'?: number;
  /** Wall-clock milliseconds a run may take (`run`, bundles); the guest runs in a worker and is stopped past it. */
  'timeout-ms'?: number;
}

/** What `limits.open-files` is when the policy leaves it unset: far below a host's usual RLIMIT_NOFILE. */
export const DEFAULT_OPEN_FILES = 1024;

export interface Policy {
  clocks?: ClocksPolicy;
  exit?: Toggle;
  http?: Toggle;
  random?: RandomPolicy;
  sockets?: Toggle;
  env?: EnvPolicy;
  stdio?: StdioPolicy;
  fs?: FsPolicy;
  /** The guest's argv, program name first. Undefined: the embedder's (for `run`, `[app, ...rest]`). */
  args?: string[];
  /** The guest's initial working directory (preview2 `initial-cwd`). */
  cwd?: string;
  /** Trace every WASI call to stderr. */
  debug?: boolean;
  limits?: LimitsPolicy;
}

/** The subsystems a policy can allow or deny, in the order help text and reports list them. */
export const SUBSYSTEMS = ['clocks', 'env', 'exit', 'fs', 'http', 'random', 'sockets', 'stdio'] as const;
export type Subsystem = (typeof SUBSYSTEMS)[number];
