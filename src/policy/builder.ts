/**
 * PolicyBuilder: WASI-Virt's Rust builder (`WasiVirt`) in camelCase, producing a Policy.
 *
 * Semantics follow WASI-Virt's API: a subsystem never touched stays undefined and passes
 * through to whatever the embedder supplies; the first `env()` / `fs()` / `stdio()`
 * enables that subsystem with WASI-Virt's defaults (env: no host variables, no overrides;
 * fs: no preopens, no host preopens; stdio: every stream allowed).
 *
 * Chaining: `env()`, `fs()` and `stdio()` return a small sub-builder whose every method
 * returns the parent builder (typed as the subclass, so `WasiVirt`'s own methods stay in
 * the chain):
 *
 *     new PolicyBuilder()
 *       .env().allow(['HOME'])
 *       .env().overrides([['LANG', 'C']])
 *       .fs().virtualPreopen('/', './site')
 *       .stdio().stderr('ignore')
 *       .clocks('deterministic')
 *
 * Returning the parent rather than the sub-builder keeps names unambiguous (env and stdio
 * have their own `allowAll` / `allow`, which would shadow or be shadowed by the parent's),
 * needs no proxy, and makes every step read "subsystem, setting". Two settings of one
 * subsystem name it twice, as above.
 *
 * Every input is validated when given (a PolicyError names the field); `policy()` returns
 * a canonical deep copy, equal to what a policy file or the CLI gives for the same intent.
 */
import type {
  DeterministicClocks, DeterministicRandom, EnvPolicy, FsEntry, FsPolicy, LimitsPolicy, Policy, StdioMode,
  StdioPolicy, VirtualizeOptions,
} from './types.js';
import { PolicyError } from './errors.js';
import {
  envName, validateFsEntry, validateGuestPath, validateLimits, validateOverrides, validatePolicy,
  validatePreopenEntry, validateStdioMode,
} from './validate.js';

export type ClocksSetting = boolean | 'allow' | 'deny' | 'deterministic' | { deterministic: DeterministicClocks };
export type RandomSetting = boolean | 'allow' | 'deny' | 'deterministic' | { deterministic: DeterministicRandom };
export type ToggleSetting = boolean | 'allow' | 'deny';

export interface HostPreopenOptions {
  /** Close every write path (wasmtime's `DirPerms::READ` + `FilePerms::READ`). */
  readonly?: boolean;
}

export interface VirtualPreopenOptions {
  /** Globs (relative to the host dir) a file must match to be embedded. */
  include?: string[];
  /** Globs that leave a file or directory out, besides the version-control folders. */
  exclude?: string[];
  /** Embed version-control folders (`.git`, ...) too, which are left out by default. */
  keepVcs?: boolean;
  /** A symlink leaving the mounted dir: refuse the build (`error`, default) or leave it out. */
  outsideSymlinks?: 'error' | 'skip';
}

export class PolicyBuilder {
  /** The policy as built so far; kept canonical by validating each input as it arrives. */
  protected draft: Policy;

  constructor(initial?: Policy) {
    this.draft = initial === undefined ? {} : validatePolicy(initial);
  }

  /** Pass everything through: WASI-Virt's `allow_all` (env keeps its overrides, fs its preopens). */
  allowAll(): this {
    return this.setAll('allow');
  }

  /** Refuse everything: WASI-Virt's `deny_all`, where stdio becomes `ignore` (not `deny`). */
  denyAll(): this {
    return this.setAll('deny');
  }

  /** `true`/`'allow'` host clocks, `false`/`'deny'` none, `'deterministic'` (or options) fixed virtual time. */
  clocks(setting: ClocksSetting): this {
    return this.set('clocks', setting);
  }

  /** With exit denied, exit(0) still ends the guest normally; other codes trap. */
  exit(setting: ToggleSetting): this {
    return this.set('exit', setting);
  }

  http(setting: ToggleSetting): this {
    return this.set('http', setting);
  }

  /** `true`/`'allow'` the host CSPRNG, `false`/`'deny'` none, `'deterministic'` (or `{deterministic: {seed}}`) seeded. */
  random(setting: RandomSetting): this {
    return this.set('random', setting);
  }

  sockets(setting: ToggleSetting): this {
    return this.set('sockets', setting);
  }

  /** Virtualize the environment (first call: no host variables, no overrides). */
  env(): EnvBuilder<this> {
    this.envDraft();
    return new EnvBuilder(this, () => this.envDraft());
  }

  /** Virtualize the file system (first call: no preopens, no host preopens). */
  fs(): FsBuilder<this> {
    this.fsDraft();
    return new FsBuilder(this, () => this.fsDraft());
  }

  /** Virtualize stdio (first call: every stream allowed). */
  stdio(): StdioBuilder<this> {
    this.stdioDraft();
    return new StdioBuilder(this, () => this.stdioDraft());
  }

  /** The guest's argv, program name first. */
  args(args: readonly string[]): this {
    return this.set('args', [...args]);
  }

  /** The guest's initial working directory. */
  cwd(dir: string): this {
    return this.set('cwd', dir);
  }

  /**
   * Resource limits (`{ 'open-files': 256, 'timeout-ms': 5000, ... }`, see docs/policy.md);
   * merged into the limits set so far.
   */
  limits(limits: LimitsPolicy): this {
    this.draft.limits = validateLimits({ ...this.draft.limits, ...limits }, ['limits']);
    return this;
  }

  /** Trace every WASI call to stderr. */
  debug(enabled = true): this {
    return this.set('debug', enabled);
  }

  /** The policy built so far, as a canonical deep copy (later builder calls do not change it). */
  policy(): Policy {
    return validatePolicy(structuredClone(this.draft));
  }

  toJSON(): Policy {
    return this.policy();
  }

  /** A builder (of the class it is called on) holding `json`: a Policy object or its JSON text. */
  static fromJSON<T extends PolicyBuilder>(this: new () => T, json: unknown): T {
    let value = json;
    if (typeof json === 'string') {
      try {
        value = JSON.parse(json);
      } catch (e) {
        throw new PolicyError([], `not JSON: ${(e as Error).message}`);
      }
    }
    const builder = new this();
    builder.draft = validatePolicy(value);
    return builder;
  }

  /** Set one top-level key as a policy file would give it (validated, canonical). */
  private set<K extends 'clocks' | 'exit' | 'http' | 'random' | 'sockets' | 'args' | 'cwd' | 'debug'>(key: K, setting: unknown): this {
    this.draft[key] = validatePolicy({ [key]: setting })[key];
    return this;
  }

  /** Every subsystem one way: the toggles, host variables, host preopens and stdio. */
  private setAll(toggle: 'allow' | 'deny'): this {
    const allow = toggle === 'allow';
    for (const k of ['clocks', 'exit', 'http', 'random', 'sockets'] as const) this.draft[k] = toggle;
    this.envDraft().host = allow ? 'all' : 'none';
    this.fsDraft()['host-preopens'] = allow;
    this.setStdio(allow ? 'allow' : 'ignore');
    return this;
  }

  private envDraft(): EnvPolicy {
    return (this.draft.env ??= { host: 'none', overrides: [] });
  }

  private fsDraft(): FsPolicy {
    return (this.draft.fs ??= { 'host-preopens': false, preopens: {} });
  }

  private stdioDraft(): StdioPolicy {
    return (this.draft.stdio ??= { stdin: 'allow', stdout: 'allow', stderr: 'allow' });
  }

  private setStdio(mode: StdioMode): void {
    this.draft.stdio = { stdin: mode, stdout: mode, stderr: mode };
  }
}

/** Which host variables reach the guest, and the guest's own (override) variables. */
export class EnvBuilder<P> {
  constructor(private readonly parent: P, private readonly env: () => EnvPolicy) {}

  /** Only these host variables reach the guest (replaces any earlier host rule). */
  allow(names: readonly string[]): P {
    this.env().host = { allow: names.map((n, i) => envName(n, ['env', 'host', 'allow', i])) };
    return this.parent;
  }

  /** Every host variable except these (replaces any earlier host rule). */
  deny(names: readonly string[]): P {
    this.env().host = { deny: names.map((n, i) => envName(n, ['env', 'host', 'deny', i])) };
    return this.parent;
  }

  allowAll(): P {
    this.env().host = 'all';
    return this.parent;
  }

  denyAll(): P {
    this.env().host = 'none';
    return this.parent;
  }

  /** Append variables set for the guest (later pairs win); a record is taken in its key order. */
  overrides(pairs: readonly (readonly [string, string])[] | Record<string, string>): P {
    const list = Array.isArray(pairs) ? pairs.map((p) => [...p]) : Object.entries(pairs);
    const env = this.env();
    env.overrides.push(...validateOverrides(list, ['env', 'overrides']));
    return this.parent;
  }
}

/** The guest file system: embedded trees, host directories, and the embedder's preopens. */
export class FsBuilder<P> {
  constructor(private readonly parent: P, private readonly fs: () => FsPolicy) {}

  /** Expose the preopens the embedder supplies at run time. */
  allowHostPreopens(): P {
    this.fs()['host-preopens'] = true;
    return this.parent;
  }

  denyHostPreopens(): P {
    this.fs()['host-preopens'] = false;
    return this.parent;
  }

  /** Mount any entry (a directory kind) at a guest path; replaces an earlier one there. */
  preopen(guest: string, entry: FsEntry): P {
    const path = validateGuestPath(guest, ['fs', 'preopens', guest]);
    this.fs().preopens[path] = validatePreopenEntry(entry, ['fs', 'preopens', guest]);
    return this.parent;
  }

  /** A host directory opened (confined) when the guest starts: `--preopen guest=host[:ro]`. */
  hostPreopen(guest: string, hostPath: string, options: HostPreopenOptions = {}): P {
    return this.preopen(guest, { 'runtime-dir': options.readonly ? { path: hostPath, readonly: true } : hostPath });
  }

  /** A host directory embedded as a read-only snapshot when the policy is built: `--mount`. */
  virtualPreopen(guest: string, hostDir: string, options: VirtualPreopenOptions = {}): P {
    const v: VirtualizeOptions = { path: hostDir };
    if (options.include !== undefined) v.include = [...options.include];
    if (options.exclude !== undefined) v.exclude = [...options.exclude];
    if (options.outsideSymlinks !== undefined) v['outside-symlinks'] = options.outsideSymlinks;
    if (options.keepVcs !== undefined) v['keep-vcs'] = options.keepVcs;
    const entry = validateFsEntry({ virtualize: v }, ['fs', 'preopens', guest]);
    return this.preopen(guest, entry);
  }
}

/** Each standard stream: allow (the host's), ignore (EOF / discarded), deny (errors). */
export class StdioBuilder<P> {
  constructor(private readonly parent: P, private readonly stdio: () => StdioPolicy) {}

  allow(): P {
    return this.all('allow');
  }

  ignore(): P {
    return this.all('ignore');
  }

  deny(): P {
    return this.all('deny');
  }

  stdin(mode: StdioMode): P {
    this.stdio().stdin = validateStdioMode(mode, ['stdio', 'stdin']);
    return this.parent;
  }

  stdout(mode: StdioMode): P {
    this.stdio().stdout = validateStdioMode(mode, ['stdio', 'stdout']);
    return this.parent;
  }

  stderr(mode: StdioMode): P {
    this.stdio().stderr = validateStdioMode(mode, ['stdio', 'stderr']);
    return this.parent;
  }

  private all(mode: StdioMode): P {
    const s = this.stdio();
    s.stdin = s.stdout = s.stderr = mode;
    return this.parent;
  }
}
