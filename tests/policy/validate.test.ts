import { describe, expect, it } from 'vitest';
import { validatePolicy } from '../../src/policy/validate.js';
import { PolicyError, formatPath } from '../../src/policy/errors.js';

function errorOf(value: unknown): PolicyError {
  try {
    validatePolicy(value);
  } catch (e) {
    if (e instanceof PolicyError) return e;
    throw e;
  }
  throw new Error('expected a PolicyError');
}

describe('validatePolicy: compat forms become canonical', () => {
  it('maps WASI-Virt booleans to allow/deny and keeps untouched subsystems undefined', () => {
    expect(validatePolicy({ clocks: true, exit: false, http: 'allow', random: false, sockets: 'deny' }))
      .toEqual({ clocks: 'allow', exit: 'deny', http: 'allow', random: 'deny', sockets: 'deny' });
    expect(validatePolicy({})).toEqual({});
  });

  it('fills env, stdio and fs with WASI-Virt defaults', () => {
    expect(validatePolicy({ env: {}, stdio: { stdout: 'ignore' }, fs: {} })).toEqual({
      env: { host: 'none', overrides: [] },
      stdio: { stdin: 'allow', stdout: 'ignore', stderr: 'allow' },
      fs: { 'host-preopens': false, preopens: {} },
    });
  });

  it('accepts deterministic clocks and random, including the bare word', () => {
    expect(validatePolicy({ clocks: 'deterministic', random: 'deterministic' }))
      .toEqual({ clocks: { deterministic: {} }, random: { deterministic: {} } });
    expect(validatePolicy({
      clocks: { deterministic: { start: new Date('2001-02-03T04:05:06Z'), 'step-ns': 5 } },
      random: { deterministic: { seed: 4294967295 } },
    })).toEqual({
      clocks: { deterministic: { start: '2001-02-03T04:05:06.000Z', 'step-ns': 5 } },
      random: { deterministic: { seed: 4294967295 } },
    });
  });

  it('normalizes guest preopen names and the option forms of entries', () => {
    expect(validatePolicy({
      fs: {
        preopens: {
          '/data//x/': { virtualize: { path: './x' } },
          '.': { 'runtime-dir': { path: '.', readonly: false } },
          './fs-tests.dir/': { 'runtime-dir': 'fs-tests.dir' },
          '../up': { 'runtime-dir': '..' },
          '/ro': { 'runtime-dir': { path: '/srv', readonly: true } },
          '/site': { virtualize: { path: './site', include: ['**/*.html'], exclude: ['drafts/**'], 'outside-symlinks': 'skip' } },
        },
      },
    }).fs!.preopens).toEqual({
      '/data/x': { virtualize: './x' },
      '.': { 'runtime-dir': '.' },
      './fs-tests.dir/': { 'runtime-dir': 'fs-tests.dir' },
      '../up': { 'runtime-dir': '..' },
      '/ro': { 'runtime-dir': { path: '/srv', readonly: true } },
      '/site': { virtualize: { path: './site', include: ['**/*.html'], exclude: ['drafts/**'], 'outside-symlinks': 'skip' } },
    });
  });

  it('accepts args, cwd and debug', () => {
    expect(validatePolicy({ args: ['app', '-v'], cwd: '/work', debug: true })).toEqual({ args: ['app', '-v'], cwd: '/work', debug: true });
  });
});

describe('validatePolicy: errors name the key path and what was expected', () => {
  const cases: [string, unknown, string][] = [
    ['a wrong file type', { fs: { preopens: { '/': { dir: { x: { source: 1 } } } } } }, 'fs.preopens."/".dir.x.source: expected a string'],
    ['an unknown key, at its parent', { fs: { preopens: { '/': { dir: { x: { foo: 'a' } } } } } }, 'fs.preopens."/".dir.x: unknown key "foo"'],
    ['a camelCase key, with a suggestion', { fs: { hostPreopens: true } }, 'fs: unknown key "hostPreopens" (did you mean "host-preopens"?)'],
    ['a bad toggle', { clocks: 'maybe' }, 'clocks: expected "allow", "deny", "deterministic"'],
    ['a bad stdio mode', { stdio: { stdout: 'loud' } }, 'stdio.stdout: expected "allow", "ignore" or "deny", got "loud"'],
    ['allow and deny together', { env: { host: { allow: [], deny: [] } } }, 'env.host: "allow" and "deny" cannot be combined'],
    ['a malformed override pair', { env: { overrides: [['A', '1'], ['B']] } }, 'env.overrides[1]: expected a [name, value] pair, got an array of 1'],
    ['an env name with "="', { env: { host: { allow: ['A=B'] } } }, 'env.host.allow[0]: variable name "A=B" cannot contain "="'],
    ['two entry kinds', { fs: { preopens: { '/': { dir: {}, source: 'x' } } } }, 'fs.preopens."/": an entry has one kind, but "dir" and "source" are both set'],
    ['an empty entry', { fs: { preopens: { '/': {} } } }, 'fs.preopens."/": expected one key: dir, source'],
    ['a file as a preopen', { fs: { preopens: { '/': { source: 'x' } } } }, 'fs.preopens."/": a preopen must be a directory'],
    ['a bad child name', { fs: { preopens: { '/': { dir: { 'a/b': { source: '' } } } } } }, 'fs.preopens."/".dir: "a/b" is not a file name'],
    ['".." in a guest path', { fs: { preopens: { '/a/../b': { dir: {} } } } }, 'fs.preopens: guest path "/a/../b" contains ".."'],
    ['two spellings of one guest path', { fs: { preopens: { '/d': { dir: {} }, '/d/': { dir: {} } } } }, 'fs.preopens: "/d/" is the same guest path as "/d"'],
    ['a byte out of range', { fs: { preopens: { '/': { dir: { b: { file: [1, 256] } } } } } }, 'fs.preopens."/".dir.b.file[1]: expected an integer from 0 to 255, got 256'],
    ['a seed out of range', { random: { deterministic: { seed: -1 } } }, 'random.deterministic.seed: expected an integer from 0 to 4294967295'],
    ['a bad start instant', { clocks: { deterministic: { start: 'yesterday' } } }, 'clocks.deterministic.start: expected an ISO-8601 date-time'],
    ['wasi:config', { config: {} }, 'unsupported key "config"'],
    ['an ignored key of the wrong type', { 'run-wasm-opt': 'yes' }, 'run-wasm-opt: expected true or false, got "yes"'],
    ['a non-table policy', [], 'expected a policy table, got an array'],
  ];
  for (const [what, value, message] of cases) {
    it(what, () => {
      expect(errorOf(value).message.startsWith(message), errorOf(value).message).toBe(true);
    });
  }

  it('keeps the path as data', () => {
    const e = errorOf({ fs: { preopens: { '/': { dir: { x: { foo: 1 } } } } } });
    expect(e.path).toEqual(['fs', 'preopens', '/', 'dir', 'x', 'foo']);
    expect(e.kind).toBe('key');
    expect(formatPath(e.path)).toBe('fs.preopens."/".dir.x.foo');
  });
});
