/**
 * A composed bundle of a core module (WAT source) runs by itself: `node out/x.js`, with
 * its mount embedded (the source directory deleted, the bundle moved), imported from
 * other code without running itself, and under run's exit and trap conventions.
 */
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { COMPONENTS } from '../helpers/guests.js';
import { cli, ensureBuilt, runNode, runScript, tempDir, writeTree } from './helpers.js';

const CAT = join(COMPONENTS, 'wat', 'compose-cat.wat');

beforeAll(() => ensureBuilt());

function composeCat(extra: string[] = []): { work: string; out: string; site: string } {
  const work = tempDir();
  const site = join(work, 'site');
  writeTree(site, { 'a.txt': 'hi there\n', 'docs/b.md': '# b\n' });
  const out = join(work, 'out');
  const r = cli([CAT, '--mount', `/=${site}`, '--allow-stdio', '-o', out, ...extra]);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/^wrote .*compose-cat\.js: core module .*compose-cat\.wat, 1 mount \(2 files, 13 B\)/);
  return { work, out, site };
}

describe('core module bundle', () => {
  test('runs with node, prints the mounted file and exits with the guest code', () => {
    const { out } = composeCat();
    const r = runNode(join(out, 'compose-cat.js'), ['a.txt', 'x', 'y', 'z']);
    expect(r.stdout).toBe('hi there\n');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(3);
    const nested = runNode(join(out, 'compose-cat.js'), ['/docs/b.md']);
    expect(nested.stdout).toBe('# b\n');
    expect(nested.status).toBe(0);
  });

  test('still runs after the mount directory is deleted and out/ is moved elsewhere', () => {
    const { work, out, site } = composeCat();
    rmSync(site, { recursive: true });
    const moved = join(tempDir('wv-moved-'), 'deploy');
    renameSync(out, moved);
    expect(existsSync(out)).toBe(false);
    const r = runNode(join(moved, 'compose-cat.js'), ['a.txt', 'x'], { cwd: work });
    expect(r.stdout).toBe('hi there\n');
    expect(r.status).toBe(1);
  });

  test('the snapshot is one binary file, not inlined in the JavaScript', () => {
    const { out } = composeCat();
    const entry = readFileSync(join(out, 'compose-cat.js'), 'utf8');
    expect(entry).not.toContain('hi there');
    const snap = readFileSync(join(out, 'compose-cat.snapshots'));
    expect(snap.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x57, 0x56, 0x53, 0x4e, 0x41, 0x50, 0x0a]));
    expect(snap.includes(Buffer.from('hi there\n'))).toBe(true);
  });

  test('several mounts, one a single file nested in a memory directory, share the snapshot file', () => {
    const work = tempDir();
    writeTree(work, { 'site/a.txt': 'root mount\n', 'motd': 'message of the day\n', 'lib/x.txt': 'lib\n' });
    writeTree(work, {
      'policy.json': JSON.stringify({
        fs: {
          'host-preopens': false,
          preopens: {
            '/': { virtualize: join(work, 'site') },
            '/etc': { dir: { motd: { virtualize: join(work, 'motd') } } },
            '/usr/lib': { virtualize: join(work, 'lib') },
          },
        },
      }),
    });
    const out = join(work, 'out');
    const r = cli([CAT, '--config', join(work, 'policy.json'), '--allow-stdio', '-o', out]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/3 mounts \(3 files, 34 B\)/);
    rmSync(join(work, 'site'), { recursive: true });
    rmSync(join(work, 'motd'));
    rmSync(join(work, 'lib'), { recursive: true });
    for (const [path, text] of [['a.txt', 'root mount\n'], ['etc/motd', 'message of the day\n'], ['usr/lib/x.txt', 'lib\n']]) {
      const ran = runNode(join(out, 'compose-cat.js'), [path!]);
      expect(ran.stdout, path).toBe(text);
      expect(ran.status).toBe(0);
    }
    const entry = readFileSync(join(out, 'compose-cat.js'), 'utf8');
    const offsets = [...entry.matchAll(/"offset": (\d+)/g)].map((m) => Number(m[1]));
    expect(offsets).toHaveLength(3);
    expect(offsets.every((o) => o % 4096 === 0)).toBe(true);
  });

  test('an output directory inside the mount is left out of the snapshot (composing twice does not embed the bundle)', () => {
    const work = tempDir();
    writeTree(work, { 'a.txt': 'top\n', 'dir [x]/b.txt': 'b\n' });
    const out = join(work, 'dir [x]', 'out');
    const compose = () => cli([CAT, '--mount', `/=${work}`, '--allow-stdio', '-o', out]);
    expect(compose().status).toBe(0);
    const first = readFileSync(join(out, 'compose-cat.snapshots'));
    expect(compose().status).toBe(0);
    const second = readFileSync(join(out, 'compose-cat.snapshots'));
    expect(second.equals(first)).toBe(true);
    expect(runNode(join(out, 'compose-cat.js'), ['dir [x]/b.txt']).stdout).toBe('b\n');
    expect(runNode(join(out, 'compose-cat.js'), ['dir [x]/out/compose-cat.js']).status).toBe(144);
  });

  test('import { run } works from other code, and importing does not run the app', () => {
    const { out } = composeCat();
    const user = tempDir('wv-user-');
    const script = `
      import { run, CaptureSink, policy } from ${JSON.stringify(join(out, 'compose-cat.js'))};
      const stdout = new CaptureSink();
      const first = await run(['a.txt', 'x', 'y'], { stdout });
      const second = await run(['docs/b.md'], { stdout });
      console.log(JSON.stringify({ first, second, text: stdout.text(), frozen: Object.isFrozen(policy), stdio: policy.stdio }));
    `;
    const r = runScript(script, user);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const got = JSON.parse(r.stdout.trim()) as Record<string, unknown>;
    expect(got).toEqual({
      first: { code: 2 },
      second: { code: 0 },
      text: 'hi there\n# b\n',
      frozen: true,
      stdio: { stdin: 'allow', stdout: 'allow', stderr: 'allow' },
    });
  });

  test('the baked-in policy holds: stdout ignored by policy prints nothing', () => {
    const work = tempDir();
    writeTree(work, { 'site/a.txt': 'secret\n' });
    const out = join(work, 'out');
    expect(cli([CAT, '--mount', `/=${join(work, 'site')}`, '--stdout=ignore', '--stderr', '-o', out]).status).toBe(0);
    const r = runNode(join(out, 'compose-cat.js'), ['a.txt']);
    expect(r.stdout).toBe('');
    expect(r.status).toBe(0);
    const missing = runNode(join(out, 'compose-cat.js'), ['nope.txt']);
    expect(missing.stderr).toBe('cat: cannot open\n');
    expect(missing.status).toBe(144); // 100 + noent (44)
  });

  test('runtime directories stay runtime paths: the bundle reads them when it runs', () => {
    const work = tempDir();
    const data = join(work, 'data');
    writeTree(data, { 'a.txt': 'before\n' });
    const out = join(work, 'out');
    expect(cli([CAT, '--preopen', `/=${data}:ro`, '--allow-stdio', '-o', out]).status).toBe(0);
    writeFileSync(join(data, 'a.txt'), 'after compose\n');
    expect(runNode(join(out, 'compose-cat.js'), ['a.txt']).stdout).toBe('after compose\n');
    expect(readdirSync(out)).not.toContain('compose-cat.snapshots');
    rmSync(data, { recursive: true });
    const gone = runNode(join(out, 'compose-cat.js'), ['a.txt']);
    expect(gone.status).toBe(2);
    expect(gone.errLines).toHaveLength(1);
    expect(gone.errLines[0]).toMatch(/^wasi-virt: error: cannot run compose-cat: .*data/);
  });

  test('a trap is one line and exit 134, after the guest output', () => {
    const work = tempDir();
    writeTree(work, {
      'trap.wat': `(module
        (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
        (memory (export "memory") 1)
        (data (i32.const 64) "before\\n")
        (func $boom (unreachable))
        (func (export "_start")
          (i32.store (i32.const 0) (i32.const 64)) (i32.store (i32.const 4) (i32.const 7))
          (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
          (call $boom)))`,
    });
    const out = join(work, 'out');
    expect(cli([join(work, 'trap.wat'), '--allow-stdio', '-o', out]).status).toBe(0);
    const r = runNode(join(out, 'trap.js'));
    expect(r.stdout).toBe('before\n');
    expect(r.status).toBe(134);
    expect(r.errLines).toEqual(['wasi-virt: trap: unreachable (in boom)']);
    const ran = cli(['run', join(out, 'trap.wasm')]);
    expect({ stdout: r.stdout, stderr: r.stderr, status: r.status }).toEqual({ stdout: ran.stdout, stderr: ran.stderr, status: ran.status });
  });

  test('a denied non-zero exit is a policy trap, reported as run reports it', () => {
    const work = tempDir();
    writeTree(work, { 'site/a.txt': 'x\n' });
    const out = join(work, 'out');
    expect(cli([CAT, '--mount', `/=${join(work, 'site')}`, '--allow-stdio', '--allow-exit=false', '-o', out]).status).toBe(0);
    const ok = runNode(join(out, 'compose-cat.js'), ['a.txt']);
    expect(ok.status).toBe(0);
    const r = runNode(join(out, 'compose-cat.js'), ['a.txt', 'x', 'y']);
    expect(r.stdout).toBe('x\n');
    expect(r.errLines).toEqual(['wasi-virt: trap: denied by policy: exit = "deny" (the guest tried to exit with code 2)']);
    expect(r.status).toBe(134);
    const ran = cli(['run', '--mount', `/=${join(work, 'site')}`, '--allow-exit=false', join(out, 'compose-cat.wasm'), 'a.txt', 'x', 'y']);
    expect({ stdout: r.stdout, stderr: r.stderr, status: r.status }).toEqual({ stdout: ran.stdout, stderr: ran.stderr, status: ran.status });
  });

  test('--debug bakes call tracing into the bundle', () => {
    const work = tempDir();
    writeTree(work, { 'site/a.txt': 'x\n' });
    const out = join(work, 'out');
    expect(cli([CAT, '--mount', `/=${join(work, 'site')}`, '--allow-stdio', '--debug', '-o', out]).status).toBe(0);
    const r = runNode(join(out, 'compose-cat.js'), ['a.txt']);
    expect(r.stdout).toBe('x\n');
    expect(r.stderr).toMatch(/path_open/);
  });
});
