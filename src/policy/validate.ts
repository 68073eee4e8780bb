/**
 * Check any value against the Policy schema and return it in canonical form, or throw a
 * PolicyError naming the key path and what was expected. Every source of policies (files,
 * the builder, `fromJSON`, CLI flags) goes through here, so equal intents give deep-equal
 * Policies.
 *
 * Canonical form: toggles are "allow" / "deny" (WASI-Virt's booleans are accepted); env,
 * stdio and fs are complete (missing members take WASI-Virt's defaults: env host "none"
 * and no overrides, each stdio stream "allow", no host preopens and no preopens); guest
 * preopen names are normalized; `virtualize` / `runtime-dir` use the plain string form
 * when no option is set; keys come in one fixed order.
 */
import type {
  ClocksPolicy, DeterministicClocks, DeterministicRandom, EnvPolicy, FsEntry, FsPolicy, HostEnv,
  LimitsPolicy, Policy, RandomPolicy, RuntimeDirOptions, StdioMode, StdioPolicy, Toggle, VirtualizeOptions,
} from './types.js';
import { PolicyError, describe, type PathSegment } from './errors.js';
import { checkEntryName, normalizeGuestPath } from './guest-path.js';
import { nearest } from '../util/suggest.js';

type Table = Record<string, unknown>;
type Path = readonly PathSegment[];

export interface ValidateOptions {
  /** Key path of `value` inside a larger document (a WASI-Virt test case's `virt-opts`). */
  path?: PathSegment[];
}

/**
 * WASI-Virt keys that have no meaning here. They are type-checked and dropped, so a
 * WASI-Virt configuration loads unchanged (reasons in docs/policy.md).
 */
export const IGNORED_KEYS: Readonly<Record<string, string>> = {
  'run-wasm-opt': 'there is no adapter module to optimize; the import object is built in JavaScript',
  'wasi-version': 'every WASI 0.2.x version is served (import names are matched without their version)',
  'compose-component-path': 'the program is named on the command line or passed to the API, not in the policy',
};

/** Same, inside `fs`. */
export const IGNORED_FS_KEYS: Readonly<Record<string, string>> = {
  'passive-cutoff': 'snapshots are one buffer read in place; there are no active or passive data segments',
};

const TOP_KEYS = [
  'clocks', 'env', 'exit', 'fs', 'http', 'random', 'sockets', 'stdio', 'args', 'cwd', 'debug', 'limits',
  ...Object.keys(IGNORED_KEYS),
];

export const ENTRY_KINDS = ['dir', 'source', 'file', 'symlink', 'virtualize', 'runtime-file', 'runtime-dir'] as const;
const DIRECTORY_KINDS = new Set(['dir', 'virtualize', 'runtime-dir']);

export function validatePolicy(value: unknown, options: ValidateOptions = {}): Policy {
  const at = options.path ?? [];
  const t = asTable(value, at, 'a policy table');
  checkKeys(t, at, TOP_KEYS, {
    config: 'wasi:config virtualization (experimental in WASI-Virt) is not implemented',
  });
  const out: Policy = {};
  if (t.clocks !== undefined) out.clocks = validateClocks(t.clocks, [...at, 'clocks']);
  if (t.env !== undefined) out.env = validateEnv(t.env, [...at, 'env']);
  if (t.exit !== undefined) out.exit = validateToggle(t.exit, [...at, 'exit']);
  if (t.fs !== undefined) out.fs = validateFs(t.fs, [...at, 'fs']);
  if (t.http !== undefined) out.http = validateToggle(t.http, [...at, 'http']);
  if (t.random !== undefined) out.random = validateRandom(t.random, [...at, 'random']);
  if (t.sockets !== undefined) out.sockets = validateToggle(t.sockets, [...at, 'sockets']);
  if (t.stdio !== undefined) out.stdio = validateStdio(t.stdio, [...at, 'stdio']);
  if (t.args !== undefined) out.args = stringList(t.args, [...at, 'args'], guestString);
  if (t.cwd !== undefined) out.cwd = nonEmpty(t.cwd, [...at, 'cwd'], 'a guest directory');
  if (t.debug !== undefined) out.debug = bool(t.debug, [...at, 'debug']);
  if (t.limits !== undefined) out.limits = validateLimits(t.limits, [...at, 'limits']);
  if (t['run-wasm-opt'] !== undefined) bool(t['run-wasm-opt'], [...at, 'run-wasm-opt']);
  if (t['wasi-version'] !== undefined) string(t['wasi-version'], [...at, 'wasi-version'], 'a version string');
  if (t['compose-component-path'] !== undefined) {
    string(t['compose-component-path'], [...at, 'compose-component-path'], 'a path');
  }
  return out;
}

export const LIMIT_KEYS = ['open-files', 'stdout-bytes', 'stderr-bytes', 'write-bytes', 'memory-bytes', 'timeout-ms'] as const;

/** Each limit a whole number; `open-files` leaves room for stdio (3). Keys in one fixed order. */
export function validateLimits(v: unknown, path: Path): LimitsPolicy {
  const t = asTable(v, path, 'a limits table');
  checkKeys(t, path, LIMIT_KEYS);
  const out: LimitsPolicy = {};
  for (const k of LIMIT_KEYS) {
    if (t[k] !== undefined) out[k] = integer(t[k], [...path, k], k === 'open-files' ? 3 : 0, Number.MAX_SAFE_INTEGER);
  }
  return out;
}

export function validateToggle(v: unknown, path: Path): Toggle {
  if (v === true || v === 'allow') return 'allow';
  if (v === false || v === 'deny') return 'deny';
  throw new PolicyError(path, `expected "allow" or "deny" (or true / false), got ${describe(v)}`);
}

export function validateClocks(v: unknown, path: Path): ClocksPolicy {
  const d = deterministicPart(v, path, 'clocks');
  if (d === undefined) return validateToggle(v, path);
  const dpath = [...path, 'deterministic'];
  checkKeys(d, dpath, ['start', 'step-ns']);
  const out: DeterministicClocks = {};
  if (d.start !== undefined) out.start = instant(d.start, [...dpath, 'start']);
  if (d['step-ns'] !== undefined) out['step-ns'] = integer(d['step-ns'], [...dpath, 'step-ns'], 0, Number.MAX_SAFE_INTEGER);
  return { deterministic: out };
}

export function validateRandom(v: unknown, path: Path): RandomPolicy {
  const d = deterministicPart(v, path, 'random');
  if (d === undefined) return validateToggle(v, path);
  const dpath = [...path, 'deterministic'];
  checkKeys(d, dpath, ['seed']);
  const out: DeterministicRandom = {};
  if (d.seed !== undefined) out.seed = integer(d.seed, [...dpath, 'seed'], 0, 0xffff_ffff);
  return { deterministic: out };
}

/** The `{ deterministic = {...} }` (or `"deterministic"`) form, or undefined for a toggle. */
function deterministicPart(v: unknown, path: Path, what: string): Table | undefined {
  if (v === 'deterministic') return {};
  if (!isTable(v)) {
    if (typeof v === 'boolean' || v === 'allow' || v === 'deny') return undefined;
    throw new PolicyError(path, `expected "allow", "deny", "deterministic" (or true / false, or a { deterministic } table), got ${describe(v)}`);
  }
  checkKeys(v, path, ['deterministic']);
  const d = v.deterministic;
  if (d === undefined) throw new PolicyError(path, `expected a { deterministic = {...} } table for ${what}`);
  if (d === true) return {};
  return asTable(d, [...path, 'deterministic'], 'a table of deterministic settings');
}

export function validateEnv(v: unknown, path: Path): EnvPolicy {
  const t = asTable(v, path, 'an env table');
  checkKeys(t, path, ['host', 'overrides']);
  return {
    host: t.host === undefined ? 'none' : validateHostEnv(t.host, [...path, 'host']),
    overrides: t.overrides === undefined ? [] : validateOverrides(t.overrides, [...path, 'overrides']),
  };
}

export function validateHostEnv(v: unknown, path: Path): HostEnv {
  if (v === 'all' || v === 'none') return v;
  if (!isTable(v)) throw new PolicyError(path, `expected "all", "none", { allow = [...] } or { deny = [...] }, got ${describe(v)}`);
  const keys = Object.keys(v);
  checkKeys(v, path, ['allow', 'deny']);
  if (keys.length !== 1) {
    if (keys.length === 0) throw new PolicyError(path, 'expected one key, "allow" or "deny"');
    throw new PolicyError([...path, keys[1]!], '"allow" and "deny" cannot be combined', 'key');
  }
  const [kind] = keys as ['allow' | 'deny'];
  const names = stringList(v[kind], [...path, kind], envName);
  return kind === 'allow' ? { allow: names } : { deny: names };
}

export function validateOverrides(v: unknown, path: Path): [string, string][] {
  if (!Array.isArray(v)) throw new PolicyError(path, `expected an array of [name, value] pairs, got ${describe(v)}`);
  return v.map((pair, i) => {
    const p = [...path, i];
    if (!Array.isArray(pair) || pair.length !== 2) {
      throw new PolicyError(p, `expected a [name, value] pair, got ${Array.isArray(pair) ? `an array of ${pair.length}` : describe(pair)}`);
    }
    return [envName(pair[0], [...p, 0]), guestString(pair[1], [...p, 1])];
  });
}

export function validateStdio(v: unknown, path: Path): StdioPolicy {
  const t = asTable(v, path, 'a stdio table');
  checkKeys(t, path, ['stdin', 'stdout', 'stderr']);
  const mode = (k: 'stdin' | 'stdout' | 'stderr') => (t[k] === undefined ? 'allow' : validateStdioMode(t[k], [...path, k]));
  return { stdin: mode('stdin'), stdout: mode('stdout'), stderr: mode('stderr') };
}

export function validateStdioMode(v: unknown, path: Path): StdioMode {
  if (v === 'allow' || v === 'ignore' || v === 'deny') return v;
  throw new PolicyError(path, `expected "allow", "ignore" or "deny", got ${describe(v)}`);
}

export function validateFs(v: unknown, path: Path): FsPolicy {
  const t = asTable(v, path, 'an fs table');
  checkKeys(t, path, ['host-preopens', 'preopens', ...Object.keys(IGNORED_FS_KEYS)]);
  if (t['passive-cutoff'] !== undefined) integer(t['passive-cutoff'], [...path, 'passive-cutoff'], 0, Number.MAX_SAFE_INTEGER);
  return {
    'host-preopens': t['host-preopens'] === undefined ? false : bool(t['host-preopens'], [...path, 'host-preopens']),
    preopens: t.preopens === undefined ? {} : validatePreopens(t.preopens, [...path, 'preopens']),
  };
}

export function validatePreopens(v: unknown, path: Path): Record<string, FsEntry> {
  const t = asTable(v, path, 'a table of guest paths');
  const out: Record<string, FsEntry> = {};
  const spelled = new Map<string, string>();
  for (const [name, entry] of Object.entries(t)) {
    const guest = validateGuestPath(name, [...path, name]);
    const before = spelled.get(guest);
    if (before !== undefined) {
      throw new PolicyError([...path, name], `"${name}" is the same guest path as "${before}"`, 'key');
    }
    spelled.set(guest, name);
    out[guest] = validatePreopenEntry(entry, [...path, name]);
  }
  return out;
}

export function validateGuestPath(name: string, path: Path): string {
  const n = normalizeGuestPath(name);
  if ('error' in n) throw new PolicyError(path, n.error, 'key');
  return n.path;
}

/** A preopen root: an entry that is a directory. */
export function validatePreopenEntry(v: unknown, path: Path): FsEntry {
  const entry = validateFsEntry(v, path);
  const kind = Object.keys(entry)[0]!;
  if (!DIRECTORY_KINDS.has(kind)) {
    throw new PolicyError(path, `a preopen must be a directory (dir, virtualize or runtime-dir), got ${kind}`);
  }
  return entry;
}

export function validateFsEntry(v: unknown, path: Path): FsEntry {
  const t = asTable(v, path, `an entry (a table with one key: ${ENTRY_KINDS.join(', ')})`);
  checkKeys(t, path, ENTRY_KINDS);
  const keys = Object.keys(t);
  if (keys.length === 0) throw new PolicyError(path, `expected one key: ${ENTRY_KINDS.join(', ')}`);
  if (keys.length > 1) {
    throw new PolicyError([...path, keys[1]!], `an entry has one kind, but "${keys[0]}" and "${keys[1]}" are both set`, 'key');
  }
  const kind = keys[0] as (typeof ENTRY_KINDS)[number];
  const p = [...path, kind];
  const x = t[kind];
  switch (kind) {
    case 'dir': {
      const children = asTable(x, p, 'a table of names to entries');
      const dir: Record<string, FsEntry> = {};
      for (const [name, child] of Object.entries(children)) {
        const bad = checkEntryName(name);
        if (bad) throw new PolicyError([...p, name], bad, 'key');
        dir[name] = validateFsEntry(child, [...p, name]);
      }
      return { dir };
    }
    case 'source':
      return { source: string(x, p, 'a string (the file\'s UTF-8 text)') };
    case 'file':
      return { file: bytes(x, p) };
    case 'symlink':
      return { symlink: nonEmpty(x, p, 'a link target') };
    case 'runtime-file':
      return { 'runtime-file': hostPath(x, p) };
    case 'virtualize': {
      if (!isTable(x)) return { virtualize: hostPath(x, p) };
      checkKeys(x, p, ['path', 'include', 'exclude', 'keep-vcs', 'outside-symlinks']);
      const opts: VirtualizeOptions = { path: hostPath(x.path, [...p, 'path']) };
      if (x.include !== undefined) opts.include = stringList(x.include, [...p, 'include'], glob);
      if (x.exclude !== undefined) opts.exclude = stringList(x.exclude, [...p, 'exclude'], glob);
      if (x['keep-vcs'] !== undefined && bool(x['keep-vcs'], [...p, 'keep-vcs'])) opts['keep-vcs'] = true;
      if (x['outside-symlinks'] !== undefined) {
        const o = x['outside-symlinks'];
        if (o !== 'error' && o !== 'skip') throw new PolicyError([...p, 'outside-symlinks'], `expected "error" or "skip", got ${describe(o)}`);
        opts['outside-symlinks'] = o;
      }
      return { virtualize: Object.keys(opts).length === 1 ? opts.path : opts };
    }
    case 'runtime-dir': {
      if (!isTable(x)) return { 'runtime-dir': hostPath(x, p) };
      checkKeys(x, p, ['path', 'readonly']);
      const opts: RuntimeDirOptions = { path: hostPath(x.path, [...p, 'path']) };
      const ro = x.readonly === undefined ? false : bool(x.readonly, [...p, 'readonly']);
      if (ro) opts.readonly = true;
      return { 'runtime-dir': ro ? opts : opts.path };
    }
  }
}

// ---- scalars ----

export function isTable(v: unknown): v is Table {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function asTable(v: unknown, path: Path, what: string): Table {
  if (!isTable(v)) throw new PolicyError(path, `expected ${what}, got ${describe(v)}`);
  return v;
}

/** Refuse the first key not in `known`; `refused` gives specific reasons for known-bad keys. */
function checkKeys(t: Table, path: Path, known: readonly string[], refused: Record<string, string> = {}): void {
  for (const key of Object.keys(t)) {
    if (known.includes(key)) continue;
    const why = refused[key];
    if (why) throw new PolicyError([...path, key], `unsupported key "${key}": ${why}`, 'key');
    const hint = suggest(key, known);
    throw new PolicyError([...path, key], `unknown key "${key}"${hint ? ` (did you mean "${hint}"?)` : ''}`, 'key');
  }
}

/** The known key a typo most likely meant: camelCase or snake_case spellings, or a small edit. */
function suggest(key: string, known: readonly string[]): string | undefined {
  const kebab = key.replace(/_/g, '-').replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
  if (known.includes(kebab)) return kebab;
  if (key.length < 4) return undefined;
  return nearest(kebab, known);
}

function bool(v: unknown, path: Path): boolean {
  if (typeof v !== 'boolean') throw new PolicyError(path, `expected true or false, got ${describe(v)}`);
  return v;
}

function string(v: unknown, path: Path, what: string): string {
  if (typeof v !== 'string') throw new PolicyError(path, `expected ${what}, got ${describe(v)}`);
  return v;
}

/** Strings that reach the guest (args, env values): C strings, so no NUL. */
function guestString(v: unknown, path: Path): string {
  const s = string(v, path, 'a string');
  if (s.includes('\0')) throw new PolicyError(path, 'cannot contain NUL');
  return s;
}

function nonEmpty(v: unknown, path: Path, what: string): string {
  const s = string(v, path, what);
  if (s === '') throw new PolicyError(path, `expected ${what}, got an empty string`);
  if (s.includes('\0')) throw new PolicyError(path, 'cannot contain NUL');
  return s;
}

/** A host path; relative ones are resolved against the working directory when used. */
function hostPath(v: unknown, path: Path): string {
  return nonEmpty(v, path, 'a host path');
}

function glob(v: unknown, path: Path): string {
  return nonEmpty(v, path, 'a glob pattern');
}

export function envName(v: unknown, path: Path): string {
  const s = nonEmpty(v, path, 'a variable name');
  if (s.includes('=')) throw new PolicyError(path, `variable name ${describe(s)} cannot contain "="`);
  return s;
}

function stringList(v: unknown, path: Path, item: (x: unknown, p: Path) => string): string[] {
  if (!Array.isArray(v)) throw new PolicyError(path, `expected an array of strings, got ${describe(v)}`);
  return v.map((x, i) => item(x, [...path, i]));
}

function integer(v: unknown, path: Path, min: number, max: number): number {
  const n = typeof v === 'bigint' && v >= BigInt(min) && v <= BigInt(max) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    throw new PolicyError(path, `expected an integer from ${min} to ${max}, got ${describe(v)}`);
  }
  return n;
}

function bytes(v: unknown, path: Path): number[] {
  if (v instanceof Uint8Array) return Array.from(v);
  if (!Array.isArray(v)) throw new PolicyError(path, `expected an array of bytes (0-255), got ${describe(v)}`);
  return v.map((b, i) => integer(b, [...path, i], 0, 255));
}

/** An ISO-8601 instant; TOML's own date-time values are accepted and written back as ISO text. */
function instant(v: unknown, path: Path): string {
  if (v instanceof Date && !Number.isNaN(v.getTime())) return v.toISOString();
  const s = string(v, path, 'an ISO-8601 date-time such as "2000-01-01T00:00:00Z"');
  if (Number.isNaN(Date.parse(s))) throw new PolicyError(path, `expected an ISO-8601 date-time such as "2000-01-01T00:00:00Z", got ${describe(s)}`);
  return s;
}
