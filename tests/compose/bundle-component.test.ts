/**
 * The same cat guest wrapped as a preview2 component: compose transpiles it, and the
 * bundle runs without jco, with its mount embedded (WASI-Virt drops fs virtualization
 * when composing a component, its defect B1; this must not).
 */
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { component, wat } from '../helpers/guests.js';
import { cli, ensureBuilt, runNode, runScript, tempDir, writeTree } from './helpers.js';

let catComponent: Uint8Array;

beforeAll(async () => {
  ensureBuilt();
  catComponent = await component(await wat('compose-cat'));
});

function composeCat(extra: string[] = []): { work: string; out: string; site: string } {
  const work = tempDir();
  const site = join(work, 'site');
  writeTree(site, { 'a.txt': 'hi from a component\n' });
  writeFileSync(join(work, 'cat.wasm'), catComponent);
  const out = join(work, 'out');
  const r = cli([join(work, 'cat.wasm'), '--mount', `/=${site}`, '--allow-stdio', '-o', out, ...extra]);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/^wrote .*cat\.js: component .*cat\.wasm, 1 mount/);
  return { work, out, site };
}

describe('component bundle', () => {
  test('runs with node and keeps its mount (no WASI-Virt B1), after the source and the repo are out of reach', () => {
    const { work, out, site } = composeCat();
    rmSync(site, { recursive: true });
    const moved = join(tempDir('wv-moved-'), 'app');
    renameSync(out, moved);
    const r = runNode(join(moved, 'cat.js'), ['a.txt'], { cwd: work });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('hi from a component\n');
    expect(r.status).toBe(0);
    // The preview1 adapter inside the component collapses proc_exit(N) to exit(err): 1.
    const extra = runNode(join(moved, 'cat.js'), ['a.txt', 'x', 'y']);
    expect(extra.stdout).toBe('hi from a component\n');
    expect(extra.status).toBe(1);
  });

  test('holds the transpiled component, not jco', () => {
    const { out } = composeCat();
    const dir = join(out, 'cat.component');
    const files = readdirSync(dir).sort();
    expect(files).toContain('component.mjs');
    expect(files.filter((f) => f.endsWith('.wasm')).length).toBeGreaterThan(0);
    const js = readFileSync(join(dir, 'component.mjs'), 'utf8');
    expect(js).toMatch(/export function instantiate\(/);
    expect(js).not.toMatch(/from ['"]@bytecodealliance/);
    expect(existsSync(join(out, 'node_modules'))).toBe(false);
    const manifest = readFileSync(join(out, 'cat.js'), 'utf8');
    expect(manifest).toContain('"kind": "component"');
  });

  test('import { run } from another module, with a captured stdout', () => {
    const { out } = composeCat();
    const script = `
      import { run, CaptureSink } from ${JSON.stringify(join(out, 'cat.js'))};
      const stdout = new CaptureSink();
      const r = await run(['a.txt'], { stdout });
      console.log(JSON.stringify({ r, text: stdout.text() }));
    `;
    const r = runScript(script, tempDir('wv-user-'));
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout.trim())).toEqual({ r: { code: 0 }, text: 'hi from a component\n' });
  });

  test('a trap ends the bundle exactly as it ends wasi-virt run', async () => {
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
    const { compileWat } = await import('../helpers/guests.js');
    writeFileSync(join(work, 'trap.wasm'), await component(await compileWat(readFileSync(join(work, 'trap.wat'), 'utf8'))));
    const out = join(work, 'out');
    expect(cli([join(work, 'trap.wasm'), '--allow-stdio', '-o', out]).status).toBe(0);
    const bundled = runNode(join(out, 'trap.js'));
    const ran = cli(['run', join(work, 'trap.wasm')]);
    expect(bundled.stdout).toBe('before\n');
    expect(bundled.status).toBe(134);
    expect(bundled.errLines).toHaveLength(1);
    expect(bundled.errLines[0]).toMatch(/^wasi-virt: trap: .*unreachable.* \(in boom\)$/);
    expect({ stdout: bundled.stdout, stderr: bundled.stderr, status: bundled.status }).toEqual({ stdout: ran.stdout, stderr: ran.stderr, status: ran.status });
  });

  test('a file the policy does not mount is not there', () => {
    const { out } = composeCat();
    const r = runNode(join(out, 'cat.js'), ['etc/passwd']);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('cat: cannot open\n');
    expect(r.status).toBe(1);
  });
});
