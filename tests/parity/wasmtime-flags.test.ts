/**
 * wasmtime's run flags, accepted by `wasi-virt run` as aliases: `--dir HOST`,
 * `--dir HOST::GUEST`, the WASI tutorial's `--mapdir GUEST:HOST` (and `GUEST::HOST`),
 * `--env K=V` / `--env NAME`. Run through the built CLI with a guest that prints the
 * preopen names it sees and its environment, and with the tutorial's copy program to show
 * each name reaches the host directory it was mapped to, read-write.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileWat } from '../helpers/guests.js';
import { ROOT, SHOW, ensureBuilt, tempDir, wasiVirt } from './helpers.js';

const TMP = tempDir('wasmtime-flags');
const WORK = join(TMP, 'work');
const SHOW_WASM = join(TMP, 'show.wasm');
const DEMO = join(ROOT, 'examples', 'wasi-tutorial', 'build', 'demo.wasm');

beforeAll(async () => {
  ensureBuilt();
  mkdirSync(join(WORK, 'sub'), { recursive: true });
  mkdirSync(join(TMP, 'elsewhere'));
  writeFileSync(join(WORK, 'in.txt'), 'copied through a mapped name\n');
  writeFileSync(SHOW_WASM, await compileWat(SHOW));
});

const run = (args: string[], env?: NodeJS.ProcessEnv) => wasiVirt(['run', ...args], { cwd: WORK, env });
const show = (flags: string[], env?: NodeJS.ProcessEnv) => run([...flags, SHOW_WASM], env);

describe('--dir', () => {
  it('--dir HOST: the guest name is HOST exactly as written (., relative, absolute), with or without =', () => {
    const abs = join(TMP, 'elsewhere');
    const r = show(['--dir', '.', '--dir=sub', `--dir=${abs}`]);
    // fd order is flag order, as wasmtime numbers them.
    expect(r).toEqual({ status: 0, stdout: `preopen .\npreopen sub\npreopen ${abs}\n`, stderr: '' });
    expect(show(['--dir=sub', '--dir=.']).stdout).toBe('preopen sub\npreopen .\n');
  });

  it('--dir HOST::GUEST: the guest sees GUEST, backed by HOST, read-write', () => {
    const host = join(TMP, 'elsewhere');
    expect(show([`--dir=${host}::/data`]).stdout).toBe('preopen /data\n');
    const r = run(['--dir=.', '--dir', `${host}::/data`, DEMO, 'in.txt', '/data/by-dir.txt']);
    expect(r).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(readFileSync(join(host, 'by-dir.txt'), 'utf8')).toBe('copied through a mapped name\n');
  });

  it('bad values are one line and exit 2', () => {
    for (const [flags, message] of [
      [['--dir=::/g'], /^wasi-virt: error: --dir "::\/g": expected HOST or HOST::GUEST, with neither side empty\n$/],
      [['--dir=.::'], /^wasi-virt: error: --dir "\.::": expected HOST or HOST::GUEST, with neither side empty\n$/],
      [[`--dir=${join(TMP, 'missing')}`], /^wasi-virt: error: .*missing.*\n$/],
      [['--dir=.', '--dir=.'], /^wasi-virt: error: two mounts for guest path "\.": --dir \. and --dir \.\n$/],
    ] as const) {
      const r = show([...flags]);
      expect([flags, r.status, r.stdout]).toEqual([flags, 2, '']);
      expect(r.stderr).toMatch(message);
    }
  });
});

describe('--mapdir (the WASI tutorial\'s spelling)', () => {
  for (const sep of [':', '::']) {
    it(`--mapdir GUEST${sep}HOST: the guest sees GUEST, backed by HOST, read-write`, () => {
      const host = join(TMP, 'elsewhere');
      expect(show([`--mapdir=/tmp${sep}${host}`]).stdout).toBe('preopen /tmp\n');
      expect(show(['--mapdir', `/tmp${sep}${host}`]).stdout).toBe('preopen /tmp\n');
      const name = `by-mapdir-${sep.length}.txt`;
      const r = run(['--dir=.', `--mapdir=/tmp${sep}${host}`, DEMO, 'in.txt', `/tmp/${name}`]);
      expect(r).toEqual({ status: 0, stdout: '', stderr: '' });
      expect(readFileSync(join(host, name), 'utf8')).toBe('copied through a mapped name\n');
      expect(existsSync(join('/tmp', name))).toBe(false);
    });
  }

  it('a value without a separator, or with an empty side: one line, exit 2', () => {
    for (const v of ['/tmp', ':/x', '/tmp:', '/tmp::']) {
      const r = show([`--mapdir=${v}`]);
      expect([v, r.status, r.stdout]).toEqual([v, 2, '']);
      expect(r.stderr).toMatch(/^wasi-virt: error: --mapdir ".*": expected GUEST::HOST or GUEST:HOST.*\n$/);
    }
  });

  it('--dir, --mapdir and --preopen resolve to the same policy', () => {
    const policy = (flags: string[]) => JSON.parse(wasiVirt(['policy', '--for', 'run', ...flags]).stdout) as unknown;
    const want = policy(['--preopen', '/tmp=/var/tmp']);
    for (const flags of [['--dir', '/var/tmp::/tmp'], ['--mapdir', '/tmp:/var/tmp'], ['--mapdir', '/tmp::/var/tmp']]) {
      expect([flags, policy(flags)]).toEqual([flags, want]);
    }
  });
});

describe('--env', () => {
  const host = { ...process.env, PARITY_HOST_VAR: 'from the host', PARITY_OTHER: 'hidden' };

  it('--env K=V sets a variable (the value is everything after the first =); nothing is inherited otherwise', () => {
    const r = show(['--env', 'A=1', '--env=B=x=y, z', '-e', 'C='], host);
    expect(r).toEqual({ status: 0, stdout: 'env A=1\nenv B=x=y, z\nenv C=\n', stderr: '' });
  });

  it('--env NAME lets that host variable through, and only that one', () => {
    const r = show(['--env', 'PARITY_HOST_VAR', '--env', 'A=1'], host);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean).sort()).toEqual(['env A=1', 'env PARITY_HOST_VAR=from the host']);
  });

  it('-S inherit-env has --allow-env as its equivalent: every host variable', () => {
    const r = show(['--allow-env'], host);
    expect(r.stdout).toContain('env PARITY_HOST_VAR=from the host\n');
    expect(r.stdout).toContain('env PARITY_OTHER=hidden\n');
  });

  it('a bad name is one line, exit 2', () => {
    const r = show(['--env', '=v']);
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(r.stderr).toMatch(/^wasi-virt: error: --env "=v": /);
  });
});

describe('--help documents the aliases', () => {
  it('run --help names --dir HOST[::GUEST], --mapdir GUEST::HOST / GUEST:HOST and --env K=V / NAME', () => {
    const help = wasiVirt(['run', '--help']).stdout.replace(/\s+/g, ' ');
    expect(help).toContain('--dir HOST[::GUEST] (wasmtime)');
    expect(help).toContain('--mapdir GUEST::HOST (the WASI tutorial\'s; GUEST:HOST also accepted)');
    expect(help).toContain('-e K=V: set a guest variable');
    expect(help).toContain('wasmtime\'s --env NAME');
    expect(help).toContain('.wat text');
  });
});
