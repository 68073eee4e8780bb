/**
 * Command-line flags to a Policy: one pure function, so flags, policy files and the
 * builder can be compared directly (tests/cli/equivalence.test.ts).
 *
 * Precedence, lowest first: the command's defaults, then the `--config` file (each
 * subsystem it sets replaces the default), then flags, the general before the specific:
 * `--allow-all`, then `--allow-<subsystem>`, then `--stdio`, then `--stdin/--stdout/
 * --stderr`; `--allow-env` before `-e NAME`; `--deterministic` after `--allow-clocks` /
 * `--allow-random` except that an explicit `--allow-clocks=false` / `--allow-random=false`
 * keeps that subsystem denied. Mounts and preopens from flags replace a file's entry for
 * the same guest path; two flags naming one guest path are an error.
 */
import type { FsEntry, HostEnv, LimitsPolicy, Policy, StdioMode, StdioPolicy, Toggle, VirtualizeOptions } from '../policy/types.js';
import { PolicyError } from '../policy/errors.js';
import { normalizeGuestPath } from '../policy/guest-path.js';
import { envName, validatePolicy } from '../policy/validate.js';
import { CliError } from './errors.js';

/** Which defaults apply: `run` behaves like `wasmtime run`, compose like WASI-Virt's CLI. */
export type CommandMode = 'run' | 'compose';

/** Flags as the user gave them (strings unparsed); what src/cli/argv.ts extracts from yargs. */
export interface CliFlags {
  allowAll?: boolean;
  allowClocks?: boolean;
  allowExit?: boolean;
  allowFs?: boolean;
  allowHttp?: boolean;
  allowRandom?: boolean;
  allowSockets?: boolean;
  allowStdio?: boolean;
  stdio?: string;
  stdin?: string;
  stdout?: string;
  stderr?: string;
  /** One item per `--allow-env`: `true` when bare (every host variable), else its `A,B` text. */
  allowEnv?: (true | string)[];
  /** `-e/--env`: `K=V` sets a variable; `NAME` (no `=`) lets host variable NAME through. */
  env?: string[];
  /** `--mount GUEST=HOSTDIR`: embed a host directory at build time. */
  mount?: string[];
  /** Globs applied to every `--mount`. */
  include?: string[];
  exclude?: string[];
  /** Embed version-control folders in every `--mount` too. */
  keepVcs?: boolean;
  /** `error` or `skip`: what every `--mount` does with a symlink leaving it. */
  outsideSymlinks?: string;
  /** `--preopen GUEST=HOSTPATH[:ro]`: a host directory opened at run time. */
  preopen?: string[];
  /** wasmtime's `--dir HOST[::GUEST]` (run only). */
  dir?: string[];
  /** wasmtime's `--mapdir GUEST::HOST` / `GUEST:HOST` (run only). */
  mapdir?: string[];
  /** `true` when bare, else the seed text. */
  deterministic?: true | string;
  cwd?: string;
  debug?: boolean;
  /** `--max-open-files`, `--max-stdout-bytes`, ... `--timeout`, as given (see LIMIT_FLAGS). */
  limits?: { [K in keyof LimitsPolicy]?: string };
}

/** Each limit's flag, and its unit: sizes take a K/M/G suffix (KiB, MiB, GiB), times `s` or `ms`. */
export const LIMIT_FLAGS: Record<keyof LimitsPolicy, { flag: string; unit: 'count' | 'bytes' | 'ms' }> = {
  'open-files': { flag: 'max-open-files', unit: 'count' },
  'stdout-bytes': { flag: 'max-stdout-bytes', unit: 'bytes' },
  'stderr-bytes': { flag: 'max-stderr-bytes', unit: 'bytes' },
  'write-bytes': { flag: 'max-write-bytes', unit: 'bytes' },
  'memory-bytes': { flag: 'max-memory', unit: 'bytes' },
  'timeout-ms': { flag: 'timeout', unit: 'ms' },
};

export interface FlagsOptions {
  mode: CommandMode;
  /** A loaded `--config` policy; flags override it. */
  config?: Policy;
}

const STDIO_MODES: readonly StdioMode[] = ['allow', 'ignore', 'deny'];

/** What each command starts from, every subsystem explicit. */
export function commandDefaults(mode: CommandMode): Policy {
  const run = mode === 'run';
  const on = (yes: boolean): Toggle => (yes ? 'allow' : 'deny');
  return {
    clocks: on(run),
    env: { host: 'none', overrides: [] },
    // A guest's exit(0) must never trap; with exit allowed any code reaches the caller.
    exit: 'allow',
    fs: { 'host-preopens': false, preopens: {} },
    http: 'deny',
    random: on(run),
    sockets: 'deny',
    stdio: stdioAll(run ? 'allow' : 'deny'),
  };
}

export function policyFromFlags(flags: CliFlags, options: FlagsOptions): Policy {
  const p = commandDefaults(options.mode);
  for (const [k, v] of Object.entries(options.config ?? {})) {
    if (v !== undefined) (p as Record<string, unknown>)[k] = structuredClone(v);
  }
  const env = (p.env ??= { host: 'none', overrides: [] });
  const fs = (p.fs ??= { 'host-preopens': false, preopens: {} });

  if (flags.allowAll !== undefined) {
    const t = toggle(flags.allowAll);
    p.clocks = p.exit = p.http = p.random = p.sockets = t;
    env.host = flags.allowAll ? 'all' : 'none';
    // Under run the CLI is the embedder and supplies no preopens of its own (see below).
    fs['host-preopens'] = flags.allowAll && options.mode !== 'run';
    p.stdio = stdioAll(flags.allowAll ? 'allow' : 'deny');
  }
  if (flags.allowClocks !== undefined) p.clocks = toggle(flags.allowClocks);
  if (flags.allowExit !== undefined) p.exit = toggle(flags.allowExit);
  if (flags.allowHttp !== undefined) p.http = toggle(flags.allowHttp);
  if (flags.allowRandom !== undefined) p.random = toggle(flags.allowRandom);
  if (flags.allowSockets !== undefined) p.sockets = toggle(flags.allowSockets);
  if (flags.allowFs !== undefined) fs['host-preopens'] = flags.allowFs;
  if (options.mode === 'run' && flags.allowFs) {
    // fs.host-preopens exposes directories an embedder hands over at run time (a bundle's
    // caller, the WASI class); run's only directories are its own flags, so it would do nothing.
    throw new CliError('--allow-fs exposes preopens an embedder supplies at run time, and run supplies none: give directories with --dir HOST[::GUEST] or --preopen GUEST=HOST');
  }
  if (flags.allowStdio !== undefined) p.stdio = stdioAll(flags.allowStdio ? 'allow' : 'deny');
  if (flags.stdio !== undefined) p.stdio = stdioAll(stdioMode('--stdio', flags.stdio));
  for (const stream of ['stdin', 'stdout', 'stderr'] as const) {
    const v = flags[stream];
    if (v !== undefined) (p.stdio ??= stdioAll('allow'))[stream] = stdioMode(`--${stream}`, v);
  }

  applyEnv(env, flags);

  if (flags.deterministic !== undefined) {
    const seed = flags.deterministic === true ? undefined : parseSeed(flags.deterministic);
    if (flags.allowClocks !== false) p.clocks = { deterministic: {} };
    if (flags.allowRandom !== false) p.random = { deterministic: seed === undefined ? {} : { seed } };
  }

  applyMounts(fs.preopens, flags);

  if (flags.cwd !== undefined) {
    if (flags.cwd === '') throw new CliError('--cwd expects a guest directory, got an empty string');
    p.cwd = flags.cwd;
  }
  if (flags.debug) p.debug = true;
  applyLimits(p, flags);

  try {
    return validatePolicy(p);
  } catch (e) {
    // Flag values are checked above; what is left here comes from a combination.
    if (e instanceof PolicyError) throw new CliError(`the flags give an invalid policy: ${e.message}`);
    throw e;
  }
}

function toggle(b: boolean): Toggle {
  return b ? 'allow' : 'deny';
}

function stdioAll(mode: StdioMode): StdioPolicy {
  return { stdin: mode, stdout: mode, stderr: mode };
}

function stdioMode(flag: string, v: string): StdioMode {
  if ((STDIO_MODES as readonly string[]).includes(v)) return v as StdioMode;
  throw new CliError(`${flag} expects allow, ignore or deny, got "${v}"`);
}

function parseSeed(text: string): number {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    if (n <= 0xffff_ffff) return n;
  }
  throw new CliError(`--deterministic expects a seed from 0 to 4294967295, got "${text}"`);
}

function checkedName(flag: string, name: string): string {
  try {
    return envName(name, []);
  } catch (e) {
    if (e instanceof PolicyError) throw new CliError(`${flag}: ${e.message}`);
    throw e;
  }
}

function applyEnv(env: { host: HostEnv; overrides: [string, string][] }, flags: CliFlags): void {
  const allowEnv = flags.allowEnv ?? [];
  if (allowEnv.includes(true)) env.host = 'all';
  else if (allowEnv.length > 0) {
    const names: string[] = [];
    for (const item of allowEnv as string[]) {
      if (item === '') throw new CliError('--allow-env= expects NAME[,NAME...]; write --allow-env alone for every host variable');
      for (const n of item.split(',')) {
        const name = checkedName(`--allow-env "${item}"`, n);
        if (!names.includes(name)) names.push(name);
      }
    }
    env.host = { allow: names };
  }
  for (const item of flags.env ?? []) {
    const eq = item.indexOf('=');
    if (eq < 0) {
      letThrough(env, checkedName(`--env "${item}"`, item));
      continue;
    }
    const name = checkedName(`--env "${item}"`, item.slice(0, eq));
    const value = item.slice(eq + 1);
    if (value.includes('\0')) throw new CliError(`--env "${name}": a value cannot contain NUL`);
    env.overrides.push([name, value]);
  }
}

/** wasmtime's `--env NAME`: the host's NAME reaches the guest, whatever else the rule says. */
function letThrough(env: { host: HostEnv }, name: string): void {
  const h = env.host;
  if (h === 'all') return;
  if (h === 'none') env.host = { allow: [name] };
  else if ('allow' in h) {
    if (!h.allow.includes(name)) h.allow.push(name);
  } else env.host = { deny: h.deny.filter((n) => n !== name) };
}

interface Placed {
  guest: string;
  entry: FsEntry;
  flag: string;
}

function applyMounts(preopens: Record<string, FsEntry>, flags: CliFlags): void {
  const placed: Placed[] = [];
  const globs = { include: flags.include ?? [], exclude: flags.exclude ?? [] };
  for (const g of [...globs.include, ...globs.exclude]) {
    if (g === '') throw new CliError('--include / --exclude expect a glob, got an empty string');
  }
  if ((globs.include.length > 0 || globs.exclude.length > 0) && (flags.mount ?? []).length === 0) {
    throw new CliError('--include / --exclude apply to --mount, and no --mount was given');
  }
  const outside = flags.outsideSymlinks;
  if (outside !== undefined && outside !== 'error' && outside !== 'skip') {
    throw new CliError(`--outside-symlinks expects error or skip, got "${outside}"`);
  }
  if ((outside !== undefined || flags.keepVcs !== undefined) && (flags.mount ?? []).length === 0) {
    throw new CliError(`${outside !== undefined ? '--outside-symlinks' : '--keep-vcs'} applies to --mount, and no --mount was given`);
  }

  for (const v of flags.mount ?? []) {
    const [guest, host] = split('--mount', v, '=', 'GUEST=HOSTDIR');
    const opts: VirtualizeOptions = { path: host };
    if (globs.include.length > 0) opts.include = [...globs.include];
    if (globs.exclude.length > 0) opts.exclude = [...globs.exclude];
    if (flags.keepVcs) opts['keep-vcs'] = true;
    if (outside !== undefined) opts['outside-symlinks'] = outside;
    placed.push({ guest: guestPath('--mount', v, guest), entry: { virtualize: Object.keys(opts).length > 1 ? opts : host }, flag: `--mount ${v}` });
  }
  for (const v of flags.preopen ?? []) {
    const [guest, rest] = split('--preopen', v, '=', 'GUEST=HOSTPATH[:ro]');
    let host = rest;
    let readonly = false;
    if (rest.endsWith(':ro') || rest.endsWith(':rw')) {
      readonly = rest.endsWith(':ro');
      host = rest.slice(0, -3);
      if (host === '') throw new CliError(`--preopen "${v}": the host path is empty`);
    }
    placed.push({ guest: guestPath('--preopen', v, guest), entry: runtimeDir(host, readonly), flag: `--preopen ${v}` });
  }
  for (const v of flags.dir ?? []) {
    const sep = v.indexOf('::');
    const host = sep < 0 ? v : v.slice(0, sep);
    const guest = sep < 0 ? v : v.slice(sep + 2);
    if (host === '' || guest === '') throw new CliError(`--dir "${v}": expected HOST or HOST::GUEST, with neither side empty`);
    placed.push({ guest: guestPath('--dir', v, guest), entry: runtimeDir(host, false), flag: `--dir ${v}` });
  }
  for (const v of flags.mapdir ?? []) {
    const sep = v.includes('::') ? '::' : ':';
    const [guest, host] = split('--mapdir', v, sep, 'GUEST::HOST or GUEST:HOST');
    placed.push({ guest: guestPath('--mapdir', v, guest), entry: runtimeDir(host, false), flag: `--mapdir ${v}` });
  }

  const seen = new Map<string, string>();
  for (const { guest, entry, flag } of placed) {
    const before = seen.get(guest);
    if (before !== undefined) throw new CliError(`two mounts for guest path "${guest}": ${before} and ${flag}`);
    seen.set(guest, flag);
    preopens[guest] = entry;
  }
}

function runtimeDir(host: string, readonly: boolean): FsEntry {
  return { 'runtime-dir': readonly ? { path: host, readonly: true } : host };
}

function split(flag: string, v: string, sep: string, shape: string): [string, string] {
  const i = v.indexOf(sep);
  if (i < 0) throw new CliError(`${flag} "${v}": expected ${shape}`);
  const a = v.slice(0, i);
  const b = v.slice(i + sep.length);
  if (a === '' || b === '') throw new CliError(`${flag} "${v}": expected ${shape}, with neither side empty`);
  return [a, b];
}

function guestPath(flag: string, v: string, guest: string): string {
  const n = normalizeGuestPath(guest);
  if ('error' in n) throw new CliError(`${flag} "${v}": ${n.error}`);
  return n.path;
}

/** Limit flags over the config file's limits, key by key. */
function applyLimits(p: Policy, flags: CliFlags): void {
  for (const [key, text] of Object.entries(flags.limits ?? {}) as [keyof LimitsPolicy, string][]) {
    (p.limits ??= {})[key] = parseLimit(key, text);
  }
}

const SCALE: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, ms: 1, s: 1000 };

function parseLimit(key: keyof LimitsPolicy, text: string): number {
  const { flag, unit } = LIMIT_FLAGS[key];
  const m = /^(\d+)\s*([a-z]*)$/i.exec(text.trim());
  const suffix = m?.[2]?.toLowerCase().replace(/i?b$/, '') ?? '';
  const allowed = unit === 'bytes' ? ['', 'k', 'm', 'g'] : unit === 'ms' ? ['', 'ms', 's'] : [''];
  if (!m || !allowed.includes(suffix)) {
    const form = unit === 'bytes' ? 'a byte count such as 65536 or 64M' : unit === 'ms' ? 'milliseconds such as 5000 or 5s' : 'a whole number';
    throw new CliError(`--${flag} expects ${form}, got ${JSON.stringify(text)}`);
  }
  return Number(m[1]) * SCALE[suffix]!;
}
