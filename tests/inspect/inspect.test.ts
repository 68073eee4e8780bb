/**
 * `wasi-virt inspect`: imports and what several policies do with each, for a core
 * module and a component, in JSON and text, with snapshot summaries and the
 * encapsulation verdict.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { COMPONENTS, component, wat } from '../helpers/guests.js';
import { buildSnapshot } from '../../src/virtual-fs/snapshot-builder.js';
import { FUNCTIONS } from '../../src/adapter/preview1/abi.js';
import { PREVIEW1_FACETS, PREVIEW2_FACETS } from '../../src/inspect/imports.js';
import type { InspectReport } from '../../src/inspect/report.js';
import { cli, ensureBuilt, tempDir, writeTree } from '../compose/helpers.js';

const ALL = join(COMPONENTS, 'wat', 'inspect-imports.wat');
const CAT = join(COMPONENTS, 'wat', 'compose-cat.wat');

beforeAll(() => ensureBuilt());

function inspect(args: string[]): InspectReport {
  const r = cli(['inspect', ...args, '--json']);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as InspectReport;
}

function effects(r: InspectReport): Record<string, string> {
  return Object.fromEntries(r.imports.map((i) => [i.field ?? i.name, i.effect]));
}

describe('core module', () => {
  test('compose defaults: everything denied or virtualized, encapsulated', () => {
    const r = inspect([ALL]);
    expect(r.kind).toBe('module');
    expect(r.abi).toBe('preview1');
    expect(effects(r)).toEqual({
      args_get: 'virtualized', environ_get: 'virtualized', clock_time_get: 'denied', random_get: 'denied',
      fd_read: 'denied', fd_write: 'denied', path_open: 'denied', poll_oneoff: 'denied', proc_exit: 'virtualized',
      proc_raise: 'virtualized', sched_yield: 'virtualized', sock_accept: 'denied',
    });
    expect(r.imports.find((i) => i.field === 'fd_write')).toMatchObject({
      name: 'wasi_snapshot_preview1.fd_write', module: 'wasi_snapshot_preview1', kind: 'function', facets: ['stdout', 'stderr', 'fs'],
    });
    expect(r.facets.env).toEqual({ effect: 'virtualized', detail: 'no variable set by the policy, no host variable' });
    expect(r.facets.fs).toEqual({ effect: 'denied', detail: 'no preopens: the guest sees no file system' });
    expect(r.encapsulated).toBe(true);
    expect(r.reasons).toEqual([]);
    expect(r.exports).toEqual(['memory', '_start']);
  });

  test('run defaults: host clocks, random and stdio reach the host', () => {
    const r = inspect([ALL, '--for', 'run']);
    expect(effects(r)).toMatchObject({ clock_time_get: 'passthrough', random_get: 'passthrough', fd_write: 'passthrough', fd_read: 'passthrough', poll_oneoff: 'passthrough' });
    expect(r.encapsulated).toBe(false);
    expect(r.reasons).toEqual([
      "clocks reaches the host (the host's wall and monotonic clocks)",
      "random reaches the host (the host's secure random source)",
      "stdin reaches the host (the host's stdin)",
      "stdout reaches the host (the host's stdout)",
      "stderr reaches the host (the host's stderr)",
    ]);
  });

  test('deterministic clocks and random, env overrides, ignored stdio, a mount: virtualized and encapsulated', () => {
    const work = tempDir();
    writeTree(work, { 'site/a.txt': 'aaa', 'site/d/b.txt': 'bb' });
    const r = inspect([ALL, '--deterministic=7', '-e', 'MODE=test', '--stdio=ignore', '--mount', `/=${join(work, 'site')}`]);
    expect(effects(r)).toMatchObject({
      clock_time_get: 'virtualized', random_get: 'virtualized', environ_get: 'virtualized',
      fd_write: 'virtualized', fd_read: 'virtualized', path_open: 'virtualized',
    });
    expect(r.facets.random?.detail).toBe('deterministic: seeded with 7');
    expect(r.facets.env?.detail).toBe('1 variable set by the policy, no host variable');
    expect(r.facets.stdout).toEqual({ effect: 'ignored', detail: 'stdout = ignore: writes succeed and are discarded' });
    expect(r.facets.fs?.detail).toBe(`read-only: / snapshot of ${join(work, 'site')}`);
    const built = buildSnapshot({ path: join(work, 'site'), onProgress: () => {} });
    expect(r.mounts).toEqual([{
      guest: '/', source: join(work, 'site'), hash: built.hash, files: 2, dirs: 2, symlinks: 0, contentBytes: 5,
      snapshotBytes: built.bytes.byteLength, root: 'directory',
    }]);
    expect(r.encapsulated).toBe(true);
  });

  test('host env and a host directory reach the host; denied stdio stays denied', () => {
    const work = tempDir();
    writeTree(work, { 'data/x': 'x' });
    const r = inspect([ALL, '--allow-env=HOME,PATH', '--preopen', `/data=${join(work, 'data')}:ro`]);
    expect(r.facets.env).toEqual({ effect: 'passthrough', detail: 'host variables HOME, PATH; no variable set by the policy' });
    expect(r.facets.fs).toEqual({ effect: 'passthrough', detail: `/data host dir ${join(work, 'data')} (read-only)` });
    expect(effects(r)).toMatchObject({ environ_get: 'passthrough', path_open: 'passthrough', fd_write: 'passthrough', clock_time_get: 'denied' });
    expect(r.imports.find((i) => i.field === 'fd_write')?.detail).toBe('stdout: denied, stderr: denied, fs: passthrough');
    expect(r.encapsulated).toBe(false);
    expect(r.reasons).toEqual([
      'env reaches the host (host variables HOME, PATH; no variable set by the policy)',
      `fs reaches the host (/data host dir ${join(work, 'data')} (read-only))`,
    ]);
  });

  test('an import that is not WASI is unprovided and breaks encapsulation', () => {
    const work = tempDir();
    writeTree(work, { 'ext.wat': '(module (import "env" "log" (func (param i32))) (import "wasi_unstable" "fd_write" (func (param i32 i32 i32 i32) (result i32))) (memory (export "memory") 1))' });
    const r = inspect([join(work, 'ext.wat')]);
    expect(r.abi).toBe('wasi_unstable');
    expect(r.imports).toEqual([
      { name: 'env.log', module: 'env', field: 'log', kind: 'function', facets: [], effect: 'unprovided', detail: 'not a WASI import: the embedder must supply it' },
      expect.objectContaining({ name: 'wasi_unstable.fd_write', effect: 'denied' }),
    ]);
    expect(r.encapsulated).toBe(false);
    expect(r.reasons).toEqual(['env.log must come from the embedder']);
  });

  test('the tables name exactly the preview1 functions', () => {
    expect(Object.keys(PREVIEW1_FACETS).sort()).toEqual([...FUNCTIONS].sort());
  });
});

describe('component', () => {
  let catBytes: Uint8Array;

  beforeAll(async () => {
    catBytes = await component(await wat('compose-cat'));
  });

  test('lists the versioned imports and what the policy does with each', () => {
    const work = tempDir();
    const cat = join(work, 'cat.wasm');
    writeFileSync(cat, catBytes);
    writeTree(work, { 'site/a.txt': 'a' });
    const r = inspect([cat, '--stdout', '--stderr=ignore', '--mount', `/=${join(work, 'site')}`]);
    expect(r.kind).toBe('component');
    expect(r.abi).toBe('preview2');
    expect(r.imports.map((i) => [i.name, i.effect])).toEqual([
      ['wasi:cli/environment@0.2.12', 'virtualized'],
      ['wasi:cli/exit@0.2.12', 'virtualized'],
      ['wasi:io/error@0.2.12', 'virtualized'],
      ['wasi:io/streams@0.2.12', 'virtualized'],
      ['wasi:cli/stdin@0.2.12', 'denied'],
      ['wasi:cli/stdout@0.2.12', 'passthrough'],
      ['wasi:cli/stderr@0.2.12', 'ignored'],
      ['wasi:clocks/wall-clock@0.2.12', 'denied'],
      ['wasi:filesystem/types@0.2.12', 'virtualized'],
      ['wasi:filesystem/preopens@0.2.12', 'virtualized'],
    ]);
    expect(r.imports[0]).toMatchObject({ interface: 'wasi:cli/environment', version: '0.2.12', kind: 'instance', facets: ['env', 'args'] });
    expect(r.exports).toEqual(['wasi:cli/run@0.2.12']);
    expect(r.mounts.map((m) => [m.guest, m.files])).toEqual([['/', 1]]);
    expect(r.encapsulated).toBe(false);
    expect(r.reasons).toEqual(["stdout reaches the host (the host's stdout)"]);
  });

  test('sockets and http follow the policy; other interfaces and versions are unprovided', async () => {
    const jco = await import('@bytecodealliance/jco');
    const bytes = await jco.parse(`(component
      (import "wasi:sockets/tcp@0.2.3" (instance))
      (import "wasi:http/outgoing-handler@0.2.0" (instance))
      (import "wasi:random/random" (instance))
      (import "wasi:config/store@0.2.0-draft" (instance))
      (import "wasi:cli/environment@0.3.0" (instance))
      (import "acme:log/sink@1.0.0" (instance)))`);
    const file = join(tempDir(), 'net.wasm');
    writeFileSync(file, bytes);
    const denied = inspect([file]);
    expect(denied.imports.map((i) => [i.name, i.effect, i.detail])).toEqual([
      ['wasi:sockets/tcp@0.2.3', 'denied', 'sockets = deny: creating a socket or resolving a name fails'],
      ['wasi:http/outgoing-handler@0.2.0', 'denied', 'http = deny: every outgoing request fails with HTTP-request-denied'],
      ['wasi:random/random', 'denied', 'random = deny: every request fails'],
      ['wasi:config/store@0.2.0-draft', 'unprovided', 'wasi:config/store is not an interface wasi-virt serves'],
      ['wasi:cli/environment@0.3.0', 'unprovided', 'WASI 0.3.0 is not served (wasi-virt serves 0.2.x and 0.3.0-rc-2026-03-15)'],
      ['acme:log/sink@1.0.0', 'unprovided', 'not a WASI import: the embedder must supply it'],
    ]);
    expect(denied.encapsulated).toBe(false);
    const allowed = inspect([file, '--allow-sockets', '--allow-http', '--allow-random']);
    expect(allowed.imports.slice(0, 3).map((i) => i.effect)).toEqual(['passthrough', 'passthrough', 'passthrough']);
  });

  test('every interface the preview2 face serves is in the table, and only those', async () => {
    const { createPreview2 } = await import('../../src/adapter/preview2/index.js');
    const { Kernel } = await import('../../src/adapter/kernel/index.js');
    const served = Object.keys(createPreview2(new Kernel({ policy: {} }))).filter((k) => !k.includes('@'));
    expect(Object.keys(PREVIEW2_FACETS).sort()).toEqual(served.sort());
  });
});

describe('text output', () => {
  test('imports, the rules they reach, mounts and the verdict', () => {
    const work = tempDir();
    writeTree(work, { 'site/a.txt': 'hi there\n' });
    const site = join(work, 'site');
    const r = cli(['inspect', CAT, '--mount', `/=${site}`, '--stdout', '--stderr=ignore']);
    expect(r.status).toBe(0);
    const hash = buildSnapshot({ path: site, onProgress: () => {} }).hash.slice(0, 16);
    expect(r.stdout).toBe([
      `${CAT}: core module (preview1), 6 imports`,
      '',
      'imports:',
      '  wasi_snapshot_preview1.args_sizes_get  virtualized  args',
      '  wasi_snapshot_preview1.args_get        virtualized  args',
      '  wasi_snapshot_preview1.path_open       virtualized  fs',
      '  wasi_snapshot_preview1.fd_read         virtualized  stdin, fs',
      '  wasi_snapshot_preview1.fd_write        passthrough  stdout, stderr, fs',
      '  wasi_snapshot_preview1.proc_exit       virtualized  exit',
      '',
      'policy:',
      "  args    virtualized  argv as the caller passes it (command line, run(args))",
      `  fs      virtualized  read-only: / snapshot of ${site}`,
      '  stdin   denied       stdin = deny: reads fail',
      "  stdout  passthrough  the host's stdout",
      '  stderr  ignored      stderr = ignore: writes succeed and are discarded',
      '  exit    virtualized  the code is returned to the caller; the host process is never ended by the guest',
      '',
      'mounts:',
      `  /  sha256:${hash}  1 file, 1 dir, 9 B  from ${site}`,
      '',
      'limits:',
      '  open-files    1024 open files, then EMFILE (default)',
      '  stdout-bytes  unbounded',
      '  stderr-bytes  unbounded',
      '  write-bytes   unbounded',
      '  memory-bytes  unbounded',
      '  timeout-ms    none',
      '',
      'encapsulated: no',
      "  stdout reaches the host (the host's stdout)",
      '',
    ].join('\n'));
  });

  test('the limits a policy sets, from flags or a policy file, with the default marked', () => {
    const work = tempDir();
    writeTree(work, { 'p.toml': '[limits]\nopen-files = 64\nwrite-bytes = 1048576\n' });
    const r = cli(['inspect', CAT, '--config', join(work, 'p.toml'), '--max-memory', '64M', '--timeout', '5s', '--json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).limits).toEqual([
      { limit: 'open-files', value: 64, default: false, detail: '64 open files, then EMFILE' },
      { limit: 'stdout-bytes', default: true, detail: 'unbounded' },
      { limit: 'stderr-bytes', default: true, detail: 'unbounded' },
      { limit: 'write-bytes', value: 1048576, default: false, detail: '1.0 MiB, then EDQUOT' },
      { limit: 'memory-bytes', value: 67108864, default: false, detail: '64.0 MiB of linear memory, then a trap' },
      { limit: 'timeout-ms', value: 5000, default: false, detail: '5000 ms, then a trap' },
    ]);
  });

  test('a malformed app is one line, exit 2', () => {
    const work = tempDir();
    writeTree(work, { 'bad.wasm': new Uint8Array([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0, 10, 0x09, 1]) });
    const r = cli(['inspect', join(work, 'bad.wasm')]);
    expect(r.status).toBe(2);
    expect(r.errLines).toEqual(['wasi-virt: error: malformed component: section 10 runs past the end of the file at byte 10']);
  });
});
