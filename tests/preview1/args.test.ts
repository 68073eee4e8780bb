import { describe, expect, it } from 'vitest';
import { ERRNO } from '../../src/virtual-fs/errors.js';
import { nodePlatform } from '../../src/adapter/node/platform.js';
import type { Policy } from '../../src/policy/types.js';
import { wat } from '../helpers/guests.js';
import { cStrings, instantiate } from './p1-helpers.js';

async function run(options: Parameters<typeof instantiate>[1]) {
  const g = await instantiate(await wat('args-env'), options);
  expect(g.start()).toBe(0);
  const v = g.view;
  const errnos = [16, 20, 24, 28].map((o) => v.getUint32(o, true));
  const args = cStrings(v, 1024, v.getUint32(0, true));
  const env = cStrings(v, 4096, v.getUint32(8, true));
  const argBytes = args.reduce((n, s) => n + new TextEncoder().encode(s).byteLength + 1, 0);
  const envBytes = env.reduce((n, s) => n + new TextEncoder().encode(s).byteLength + 1, 0);
  expect(v.getUint32(4, true)).toBe(argBytes);
  expect(v.getUint32(12, true)).toBe(envBytes);
  return { errnos, args, env };
}

const HOST = { HOME: '/home/me', LANG: 'C.UTF-8', SECRET: 'hunter2', EMPTY: '' };
const withEnv = (env: Policy['env']): Policy => ({ env });

describe('args_get / args_sizes_get', () => {
  it('passes argv byte for byte: spaces, quotes, non-ASCII, empty strings', async () => {
    const argv = ['prog.wasm', 'the "second" arg', 'ünïcödé ✓', '', '3'];
    const r = await run({ args: argv });
    expect(r.errnos).toEqual([0, 0, 0, 0]);
    expect(r.args).toEqual(argv);
  });

  it('uses policy.args over the embedder args', async () => {
    const r = await run({ args: ['ignored'], policy: { args: ['from-policy', 'x'] } });
    expect(r.args).toEqual(['from-policy', 'x']);
  });

  it('reports an empty argv as zero strings', async () => {
    const r = await run({ args: [] });
    expect(r.args).toEqual([]);
  });
});

describe('environ_get / environ_sizes_get', () => {
  it('host "all" passes every host variable, in host order', async () => {
    const r = await run({ env: HOST, policy: withEnv({ host: 'all', overrides: [] }) });
    expect(r.env).toEqual(['HOME=/home/me', 'LANG=C.UTF-8', 'SECRET=hunter2', 'EMPTY=']);
  });

  it('an allow-list lets through only the named variables', async () => {
    const r = await run({ env: HOST, policy: withEnv({ host: { allow: ['HOME', 'MISSING'] }, overrides: [] }) });
    expect(r.env).toEqual(['HOME=/home/me']);
  });

  it('a deny-list drops the named variables', async () => {
    const r = await run({ env: HOST, policy: withEnv({ host: { deny: ['SECRET'] }, overrides: [] }) });
    expect(r.env).toEqual(['HOME=/home/me', 'LANG=C.UTF-8', 'EMPTY=']);
  });

  it('"none" gives an empty environment (count 0, size 0)', async () => {
    const r = await run({ env: HOST, policy: withEnv({ host: 'none', overrides: [] }) });
    expect(r.env).toEqual([]);
  });

  it('overrides come first and win over host values; values keep =, spaces and newlines', async () => {
    const r = await run({
      env: HOST,
      policy: withEnv({ host: { allow: ['HOME', 'LANG'] }, overrides: [['LANG', 'fr_FR'], ['b', 'escap " ing'], ['c', 'new\nline'], ['eq', 'a=b']] }),
    });
    expect(r.env).toEqual(['LANG=fr_FR', 'b=escap " ing', 'c=new\nline', 'eq=a=b', 'HOME=/home/me']);
  });

  it('with the Node platform, nothing of process.env leaks past an allow-list', async () => {
    process.env['WASI_VIRT_TEST_ALLOWED'] = 'yes';
    process.env['WASI_VIRT_TEST_HIDDEN'] = 'no';
    try {
      const g = await instantiate(await wat('args-env'), {
        env: undefined, platform: nodePlatform(),
        policy: withEnv({ host: { allow: ['WASI_VIRT_TEST_ALLOWED'] }, overrides: [] }),
      });
      g.start();
      expect(cStrings(g.view, 4096, g.view.getUint32(8, true))).toEqual(['WASI_VIRT_TEST_ALLOWED=yes']);
      const all = await instantiate(await wat('args-env'), { env: undefined, platform: nodePlatform(), policy: withEnv({ host: 'all', overrides: [] }) });
      all.start();
      const seen = cStrings(all.view, 4096, all.view.getUint32(8, true));
      expect(seen).toEqual(Object.entries(process.env).map(([k, v]) => `${k}=${v}`));
    } finally {
      delete process.env['WASI_VIRT_TEST_ALLOWED'];
      delete process.env['WASI_VIRT_TEST_HIDDEN'];
    }
  });
});

describe('bad pointers', () => {
  it('args_get / environ_get outside memory return EFAULT and write nothing', async () => {
    const g = await instantiate(await wat('args-env'), { args: ['a', 'b'], env: HOST, policy: withEnv({ host: 'all', overrides: [] }) });
    g.p1.bind(g.memory);
    const f = g.p1.wasiImport as Record<string, (...a: number[]) => number>;
    const size = g.memory.buffer.byteLength;
    const before = new Uint8Array(g.memory.buffer).slice();
    expect(f['args_get']!(size - 4, 0)).toBe(ERRNO.fault);
    expect(f['args_get']!(0, size - 2)).toBe(ERRNO.fault);
    expect(f['environ_get']!(-1, 0)).toBe(ERRNO.fault);
    expect(f['args_sizes_get']!(size, 0)).toBe(ERRNO.fault);
    expect(f['environ_sizes_get']!(0, size - 3)).toBe(ERRNO.fault);
    expect(Buffer.compare(new Uint8Array(g.memory.buffer), before)).toBe(0);
  });
});
