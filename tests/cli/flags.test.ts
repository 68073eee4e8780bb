/** The pure flags-to-Policy function: defaults per command, precedence, parsing of values. */
import { describe, expect, it } from 'vitest';
import { commandDefaults, policyFromFlags, type CliFlags } from '../../src/cli/flags.js';
import { CliError } from '../../src/cli/errors.js';

const compose = (flags: CliFlags, config?: Parameters<typeof policyFromFlags>[1]['config']) =>
  policyFromFlags(flags, { mode: 'compose', config });
const run = (flags: CliFlags) => policyFromFlags(flags, { mode: 'run' });

describe('command defaults', () => {
  it('compose denies everything but exit (WASI-Virt CLI, minus the exit trap)', () => {
    expect(compose({})).toEqual({
      clocks: 'deny', env: { host: 'none', overrides: [] }, exit: 'allow',
      fs: { 'host-preopens': false, preopens: {} }, http: 'deny', random: 'deny', sockets: 'deny',
      stdio: { stdin: 'deny', stdout: 'deny', stderr: 'deny' },
    });
  });

  it('run allows stdio, clocks, random and exit, like wasmtime run', () => {
    expect(run({})).toEqual({
      clocks: 'allow', env: { host: 'none', overrides: [] }, exit: 'allow',
      fs: { 'host-preopens': false, preopens: {} }, http: 'deny', random: 'allow', sockets: 'deny',
      stdio: { stdin: 'allow', stdout: 'allow', stderr: 'allow' },
    });
    expect(commandDefaults('run')).toEqual(run({}));
  });
});

describe('precedence', () => {
  it('--allow-all, then each --allow-*, then --stdio, then per stream', () => {
    const p = compose({ allowAll: true, allowSockets: false, allowStdio: false, stdio: 'ignore', stderr: 'allow' });
    expect(p).toMatchObject({
      clocks: 'allow', exit: 'allow', http: 'allow', random: 'allow', sockets: 'deny',
      env: { host: 'all' }, fs: { 'host-preopens': true },
      stdio: { stdin: 'ignore', stdout: 'ignore', stderr: 'allow' },
    });
    expect(run({ allowAll: false })).toMatchObject({ clocks: 'deny', exit: 'deny', stdio: { stdin: 'deny' } });
  });

  it('--allow-env lists add up; bare means all; -e NAME lets one host variable through', () => {
    expect(compose({ allowEnv: ['A,B', 'C', 'A'] }).env).toEqual({ host: { allow: ['A', 'B', 'C'] }, overrides: [] });
    expect(compose({ allowEnv: ['A', true] }).env!.host).toBe('all');
    expect(compose({ env: ['HOME', 'X=1', 'Y=a=b,c', 'Z='] }).env).toEqual({
      host: { allow: ['HOME'] }, overrides: [['X', '1'], ['Y', 'a=b,c'], ['Z', '']],
    });
    expect(compose({ allowEnv: ['A'], env: ['B'] }).env!.host).toEqual({ allow: ['A', 'B'] });
    expect(compose({}, { env: { host: { deny: ['HOME', 'PATH'] }, overrides: [['A', '1']] } }).env)
      .toEqual({ host: { deny: ['HOME', 'PATH'] }, overrides: [['A', '1']] });
    expect(compose({ env: ['HOME', 'A=2'] }, { env: { host: { deny: ['HOME', 'PATH'] }, overrides: [['A', '1']] } }).env)
      .toEqual({ host: { deny: ['PATH'] }, overrides: [['A', '1'], ['A', '2']] });
  });

  it('--deterministic sets clocks and random, except one explicitly denied', () => {
    expect(compose({ deterministic: true })).toMatchObject({ clocks: { deterministic: {} }, random: { deterministic: {} } });
    expect(compose({ deterministic: '42', allowClocks: false })).toMatchObject({ clocks: 'deny', random: { deterministic: { seed: 42 } } });
    expect(compose({ deterministic: true, allowRandom: false, allowAll: true })).toMatchObject({ clocks: { deterministic: {} }, random: 'deny' });
  });

  it('flags override the config file; the file overrides the defaults', () => {
    const config = {
      clocks: 'allow' as const,
      stdio: { stdin: 'ignore' as const, stdout: 'allow' as const, stderr: 'allow' as const },
      fs: { 'host-preopens': true, preopens: { '/': { virtualize: './a' }, '/keep': { dir: {} } } },
    };
    const p = compose({ stdout: 'deny', mount: ['/=./b'] }, config);
    expect(p.clocks).toBe('allow');
    expect(p.random).toBe('deny');
    expect(p.stdio).toEqual({ stdin: 'ignore', stdout: 'deny', stderr: 'allow' });
    expect(p.fs).toEqual({ 'host-preopens': true, preopens: { '/': { virtualize: './b' }, '/keep': { dir: {} } } });
  });
});

describe('mounts and preopens', () => {
  it('parses every spelling', () => {
    expect(run({
      mount: ['/site=./public', '/a=b=c'],
      preopen: ['/data=./data:ro', '/rw=./rw:rw', '/plain=/srv'],
      dir: ['.', './out::/out'],
      mapdir: ['/tmp::/var/tmp', '/x:./y'],
    }).fs!.preopens).toEqual({
      '/site': { virtualize: './public' },
      '/a': { virtualize: 'b=c' },
      '/data': { 'runtime-dir': { path: './data', readonly: true } },
      '/rw': { 'runtime-dir': './rw' },
      '/plain': { 'runtime-dir': '/srv' },
      '.': { 'runtime-dir': '.' },
      '/out': { 'runtime-dir': './out' },
      '/tmp': { 'runtime-dir': '/var/tmp' },
      '/x': { 'runtime-dir': './y' },
    });
  });

  it('keeps relative guest names as written (wasmtime --dir D preopens D under its own name)', () => {
    expect(Object.keys(run({ dir: ['fs-tests.dir', './x', '../y::../y'] }).fs!.preopens)).toEqual(['fs-tests.dir', './x', '../y']);
    expect(() => run({ dir: ['./a::x', './b::x'] })).toThrow('two mounts for guest path "x"');
  });

  it('applies --include / --exclude to every --mount', () => {
    expect(compose({ mount: ['/=./site', '/b=./b'], include: ['**/*.html'], exclude: ['drafts/**', '.git/**'] }).fs!.preopens).toEqual({
      '/': { virtualize: { path: './site', include: ['**/*.html'], exclude: ['drafts/**', '.git/**'] } },
      '/b': { virtualize: { path: './b', include: ['**/*.html'], exclude: ['drafts/**', '.git/**'] } },
    });
  });

  const bad: [string, CliFlags, RegExp][] = [
    ['--mount without =', { mount: ['x'] }, /--mount "x": expected GUEST=HOSTDIR/],
    ['--mount with an empty side', { mount: ['=./x'] }, /neither side empty/],
    ['--preopen with an empty host', { preopen: ['/d=:ro'] }, /the host path is empty/],
    ['--preopen with an empty guest', { preopen: ['=./d'] }, /neither side empty/],
    ['two mounts for one guest path', { mount: ['/d=./a'], preopen: ['/d/=./b'] }, /two mounts for guest path "\/d": --mount \/d=\.\/a and --preopen \/d\/=\.\/b/],
    ['--dir with an empty guest', { dir: ['./a::'] }, /--dir "\.\/a::"/],
    ['a guest path with ..', { mount: ['/a/../b=./x'] }, /contains "\.\."/],
    ['--include without --mount', { include: ['*.txt'], preopen: ['/d=./d'] }, /no --mount was given/],
    ['a bad stdio mode', { stdio: 'loud' }, /--stdio expects allow, ignore or deny, got "loud"/],
    ['a bad seed', { deterministic: '-1' }, /--deterministic expects a seed/],
    ['a huge seed', { deterministic: '4294967296' }, /--deterministic expects a seed/],
    ['an empty env name', { env: ['=x'] }, /--env "=x"/],
    ['an empty --allow-env', { allowEnv: [''] }, /--allow-env= expects NAME/],
    ['an empty name in a list', { allowEnv: ['A,,B'] }, /--allow-env "A,,B"/],
    ['an empty --cwd', { cwd: '' }, /--cwd expects a guest directory/],
  ];
  for (const [what, flags, message] of bad) {
    it(`refuses ${what}`, () => {
      expect(() => compose(flags)).toThrow(CliError);
      expect(() => compose(flags)).toThrow(message);
    });
  }
});
