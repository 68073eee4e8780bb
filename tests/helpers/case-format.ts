/**
 * The test-case file format (docs/test-cases.md): WASI-Virt's `tests/cases/*.toml` schema
 * (component, compose, host-env, host-fs-path, virt-opts, expect) plus our keys. Reading a
 * case checks every key; a mistake is a PolicyFileError `file:line: key: reason`, the same
 * one-line form `--config` gives, because `virt-opts` goes through the policy validator
 * and the harness keys through the same line map (readPolicyDocument).
 *
 * Reading never fails on what the case is *about*: when the policy itself is refused
 * (by the validator or by `cli-flags`), that is recorded as `refusal`, which a case with
 * `expect.error` expects and any other case reports as a failure.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { PolicyError, describe as describeValue, type PathSegment } from '../../src/policy/errors.js';
import { readPolicyDocument } from '../../src/policy/parse.js';
import type { Policy } from '../../src/policy/types.js';
import { validatePolicy } from '../../src/policy/validate.js';
import { buildCli, YargsUsageError } from '../../src/cli/options.js';
import { prepareArgv, toCliFlags, usageMessage } from '../../src/cli/argv.js';
import { policyFromFlags } from '../../src/cli/flags.js';
import { guestKind, hasP3Twin } from './case-run.js';

export const ABIS = ['preview1', 'preview2', 'preview3'] as const;
export type Abi = (typeof ABIS)[number];

/** What a run must show. Every key is optional; docs/test-cases.md says what each checks. */
export interface Expect {
  env?: [string, string][];
  'file-read'?: string;
  stdout?: string;
  'stdout-contains'?: string[];
  stderr?: string;
  'stderr-contains'?: string[];
  'exit-code'?: number;
  trap?: string;
  error?: string;
  encapsulation?: boolean;
  imports?: { required?: string[]; disallowed?: string[] };
  deterministic?: boolean;
  'host-files'?: Record<string, string | false>;
}

/** A file the runner puts in the case's scratch directory: text, or a symlink. */
export type ScratchEntry = string | { symlink: string };

export interface TestCase {
  /** File name (`env-allow.toml`): how failures name the case. */
  name: string;
  file: string;
  component: string;
  compose: boolean;
  cli: boolean;
  hostEnv: Record<string, string>;
  hostFsPath?: string;
  args: string[];
  stdin?: string;
  cliFlags?: string[];
  abi: Abi[];
  scratch: Record<string, ScratchEntry>;
  /** The resolved policy (virt-opts, then cli-flags; host paths as written), unless it was refused. */
  policy?: Policy;
  /** The policy of `virt-opts` alone (what `cli = true` passes as `--config`). */
  virtOpts?: Policy;
  /** Why the policy was refused, as one line, and by what. */
  refusal?: string;
  refusedBy?: 'virt-opts' | 'cli-flags';
  /** The expectations for each ABI (common keys with `expect.<abi>` laid over them). */
  expect: Record<Abi, Expect>;
}

type Table = Record<string, unknown>;

const TOP_KEYS = [
  'component', 'compose', 'cli', 'host-env', 'host-fs-path', 'virt-opts', 'args', 'stdin', 'cli-flags',
  'abi', 'scratch', 'expect',
];
const EXPECT_KEYS = [
  'env', 'file-read', 'stdout', 'stdout-contains', 'stderr', 'stderr-contains', 'exit-code', 'trap', 'error',
  'encapsulation', 'imports', 'deterministic', 'host-files',
];
/** Keys only the common `[expect]` table takes (they are about the case, not one ABI's run). */
const COMMON_ONLY = ['error', 'deterministic', ...ABIS];

const UNSUPPORTED: Record<string, string> = {
  'host-config': 'wasi:config is not supported (out of scope: its virtualization is experimental in WASI-Virt)',
  config: 'wasi:config is not supported (out of scope: its virtualization is experimental in WASI-Virt)',
};

function isTable(v: unknown): v is Table {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

function table(v: unknown, path: PathSegment[]): Table {
  if (!isTable(v)) throw new PolicyError(path, `expected a table, got ${describeValue(v)}`);
  return v;
}

function keys(t: Table, path: PathSegment[], allowed: readonly string[]): void {
  for (const k of Object.keys(t)) {
    if (UNSUPPORTED[k]) throw new PolicyError([...path, k], UNSUPPORTED[k]!, 'key');
    if (!allowed.includes(k)) throw new PolicyError([...path, k], `unknown key "${k}"`, 'key');
  }
}

function str(v: unknown, path: PathSegment[]): string {
  if (typeof v !== 'string') throw new PolicyError(path, `expected a string, got ${describeValue(v)}`);
  return v;
}

function bool(v: unknown, path: PathSegment[]): boolean {
  if (typeof v !== 'boolean') throw new PolicyError(path, `expected true or false, got ${describeValue(v)}`);
  return v;
}

function strings(v: unknown, path: PathSegment[]): string[] {
  if (!Array.isArray(v)) throw new PolicyError(path, `expected an array of strings, got ${describeValue(v)}`);
  return v.map((s, i) => str(s, [...path, i]));
}

function stringTable(v: unknown, path: PathSegment[]): Record<string, string> {
  const t = table(v, path);
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(t)) out[k] = str(x, [...path, k]);
  return out;
}

function relativePath(v: string, path: PathSegment[]): string {
  if (v === '' || v.startsWith('/') || v.split('/').includes('..')) {
    throw new PolicyError(path, `expected a path inside the scratch directory (relative, no ".."), got ${describeValue(v)}`);
  }
  return v;
}

function readExpect(v: unknown, path: PathSegment[], common: boolean): Expect {
  const t = table(v, path);
  keys(t, path, common ? [...EXPECT_KEYS, ...ABIS] : EXPECT_KEYS.filter((k) => !COMMON_ONLY.includes(k)));
  const e: Expect = {};
  const at = (k: string): PathSegment[] => [...path, k];
  if (t.env !== undefined) {
    if (!Array.isArray(t.env)) throw new PolicyError(at('env'), `expected an array of [name, value] pairs, got ${describeValue(t.env)}`);
    e.env = t.env.map((pair, i) => {
      if (!Array.isArray(pair) || pair.length !== 2) throw new PolicyError([...at('env'), i], `expected a [name, value] pair, got ${describeValue(pair)}`);
      return [str(pair[0], [...at('env'), i, 0]), str(pair[1], [...at('env'), i, 1])];
    });
  }
  for (const k of ['file-read', 'stdout', 'stderr', 'trap', 'error'] as const) {
    if (t[k] !== undefined) e[k] = str(t[k], at(k));
  }
  for (const k of ['stdout-contains', 'stderr-contains'] as const) {
    if (t[k] !== undefined) e[k] = strings(t[k], at(k));
  }
  if (t['exit-code'] !== undefined) {
    const c = t['exit-code'];
    if (typeof c !== 'number' || !Number.isInteger(c) || c < 0 || c > 255) {
      throw new PolicyError(at('exit-code'), `expected an integer 0-255, got ${describeValue(c)}`);
    }
    e['exit-code'] = c;
  }
  if (t.encapsulation !== undefined) e.encapsulation = bool(t.encapsulation, at('encapsulation'));
  if (t.deterministic !== undefined) e.deterministic = bool(t.deterministic, at('deterministic'));
  if (t.imports !== undefined) {
    const i = table(t.imports, at('imports'));
    keys(i, at('imports'), ['required', 'disallowed']);
    e.imports = {};
    if (i.required !== undefined) e.imports.required = strings(i.required, [...at('imports'), 'required']);
    if (i.disallowed !== undefined) e.imports.disallowed = strings(i.disallowed, [...at('imports'), 'disallowed']);
  }
  if (t['host-files'] !== undefined) {
    const h = table(t['host-files'], at('host-files'));
    e['host-files'] = {};
    for (const [k, x] of Object.entries(h)) {
      const p = [...at('host-files'), k];
      relativePath(k, p);
      if (x !== false && typeof x !== 'string') throw new PolicyError(p, `expected the file's text, or false for "must not exist", got ${describeValue(x)}`, 'value');
      e['host-files'][k] = x;
    }
  }
  if (e.trap !== undefined && e['exit-code'] !== undefined) {
    throw new PolicyError(at('trap'), 'a run that traps has no exit code: give trap or exit-code, not both', 'key');
  }
  return e;
}

/**
 * The policy `cli-flags` give: the flags parsed by the CLI's own yargs set-up and
 * resolved by policyFromFlags over the case's virt-opts (as `--config` would be), with
 * run's defaults, or compose's when the case composes.
 */
export function policyFromCliFlags(flags: string[], config: Policy | undefined, compose: boolean): Policy {
  let argv: Record<string, unknown> | undefined;
  try {
    buildCli(prepareArgv(['policy', ...flags]), '0.0.0', (c) => {
      argv = c.argv;
    }).parseSync();
  } catch (e) {
    if (e instanceof YargsUsageError) throw new Error(usageMessage(e.message, flags));
    throw e;
  }
  if (!argv) throw new Error(`cli-flags ${JSON.stringify(flags)} did not parse as policy flags`);
  return policyFromFlags(toCliFlags(argv), { mode: compose ? 'compose' : 'run', config });
}

export function readCase(file: string): TestCase {
  const doc = readPolicyDocument(readFileSync(file, 'utf8'), 'toml', file);
  const c = doc.check(() => {
    const t = table(doc.value, []);
    keys(t, [], TOP_KEYS);
    if (t.component === undefined) throw new PolicyError([], 'missing key "component" (the guest to run)');
    if (t.expect === undefined) throw new PolicyError([], 'missing table [expect]');
    const component = str(t.component, ['component']);
    const compose = t.compose === undefined ? false : bool(t.compose, ['compose']);
    const cli = t.cli === undefined ? false : bool(t.cli, ['cli']);
    if (compose && cli) throw new PolicyError(['cli'], 'a case runs composed (compose) or through `wasi-virt run` (cli), not both', 'key');
    let kind: ReturnType<typeof guestKind>;
    try {
      kind = guestKind(component);
    } catch (e) {
      throw new PolicyError(['component'], (e as Error).message.replace(/^component "[^"]*": /, ''));
    }
    // By default, every ABI the guest exists on.
    const has: Record<Abi, boolean> = { preview1: kind === 'core', preview2: true, preview3: hasP3Twin(component) };
    let abi: Abi[] = ABIS.filter((a) => has[a]);
    if (t.abi !== undefined) {
      abi = strings(t.abi, ['abi']).map((a, i) => {
        if (!(ABIS as readonly string[]).includes(a)) throw new PolicyError(['abi', i], `expected "preview1", "preview2" or "preview3", got ${describeValue(a)}`);
        return a as Abi;
      });
      if (abi.length === 0 || new Set(abi).size !== abi.length) throw new PolicyError(['abi'], 'expected some of "preview1", "preview2", "preview3", each once');
    }
    if (kind === 'native-component' && abi.includes('preview1')) {
      throw new PolicyError(['abi'], `"${component}" is a native preview2 component: it does not run on preview1`);
    }
    const i3 = abi.indexOf('preview3');
    if (i3 >= 0 && !has.preview3) {
      throw new PolicyError(['abi', i3], `"${component}" has no WASI 0.3 guest (tests/components/js/case-${component}.js)`);
    }
    const scratch: Record<string, ScratchEntry> = {};
    if (t.scratch !== undefined) {
      for (const [k, x] of Object.entries(table(t.scratch, ['scratch']))) {
        const p: PathSegment[] = ['scratch', k];
        relativePath(k, p);
        if (typeof x === 'string') scratch[k] = x;
        else if (isTable(x) && Object.keys(x).length === 1 && typeof x.symlink === 'string') scratch[k] = { symlink: x.symlink };
        else throw new PolicyError(p, `expected the file's text or { symlink = "target" }, got ${describeValue(x)}`);
      }
    }
    const common = readExpect(t.expect, ['expect'], true);
    const et = t.expect as Table;
    const expect = {} as Record<Abi, Expect>;
    for (const a of ABIS) {
      const own = et[a] === undefined ? {} : readExpect(et[a], ['expect', a], false);
      expect[a] = { ...common, ...own };
      if (own['exit-code'] !== undefined) delete expect[a].trap;
      if (own.trap !== undefined) delete expect[a]['exit-code'];
    }
    const hostFsPath = t['host-fs-path'] === undefined ? undefined : str(t['host-fs-path'], ['host-fs-path']);
    if (common['file-read'] !== undefined && hostFsPath === undefined) {
      throw new PolicyError(['expect', 'file-read'], 'file-read needs host-fs-path (the path the guest reads)', 'key');
    }
    const tc: TestCase = {
      name: basename(file),
      file,
      component,
      compose,
      cli,
      hostEnv: t['host-env'] === undefined ? {} : stringTable(t['host-env'], ['host-env']),
      args: t.args === undefined ? [] : strings(t.args, ['args']),
      abi,
      scratch,
      expect,
    };
    if (hostFsPath !== undefined) tc.hostFsPath = hostFsPath;
    if (t.stdin !== undefined) tc.stdin = str(t.stdin, ['stdin']);
    if (t['cli-flags'] !== undefined) tc.cliFlags = strings(t['cli-flags'], ['cli-flags']);
    return tc;
  });
  // The policy last: a refusal here is what an `expect.error` case is about.
  const t = doc.value as Table;
  const refuse = (by: 'virt-opts' | 'cli-flags', e: unknown): TestCase => {
    c.refusal = e instanceof Error ? e.message : String(e);
    c.refusedBy = by;
    return c;
  };
  if (t['virt-opts'] !== undefined) {
    try {
      c.virtOpts = doc.check(() => validatePolicy(t['virt-opts'], { path: ['virt-opts'] }));
    } catch (e) {
      return refuse('virt-opts', e);
    }
  }
  try {
    c.policy = c.cliFlags ? policyFromCliFlags(c.cliFlags, c.virtOpts, c.compose) : c.virtOpts ?? {};
  } catch (e) {
    return refuse('cli-flags', e);
  }
  return c;
}
