/**
 * The transpile cache and the rewrites of jco's generated code. The rewrite tests fail
 * when a jco upgrade changes the patterns they rely on, so the speed-up cannot be lost
 * silently (the code would still run, only ~15x slower per host call).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaptureSink } from '../../src/adapter/kernel/index.js';
import { runComponent } from '../../src/adapter/preview2/instantiate.js';
import { JCO_DEBUG_DEFINITION, PROMISING_CALL, rewriteGenerated } from '../../src/adapter/preview2/jco-rewrite.js';
import { clearMemoryCache, ComponentLoadError, transpileComponent, transpileStats } from '../../src/adapter/preview2/transpile.js';
import { watComponent } from './helpers.js';

let hello: Uint8Array;
let cacheDir: string;
beforeAll(async () => {
  hello = await watComponent('hello');
  cacheDir = mkdtempSync(join(tmpdir(), 'wasi-virt-cache-'));
});
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

const runHello = async () => {
  const stdout = new CaptureSink();
  const { code } = await runComponent(hello, { policy: {}, stdout, env: {}, cacheDir });
  return { code, out: stdout.text() };
};

describe('transpile cache', () => {
  it('transpiles once, then hits memory, then disk after the process forgets', async () => {
    clearMemoryCache();
    const before = { ...transpileStats };
    expect(await runHello()).toEqual({ code: 0, out: 'hello from wasi\n' });
    expect(transpileStats.transpiled - before.transpiled).toBe(1);

    expect(await runHello()).toEqual({ code: 0, out: 'hello from wasi\n' });
    expect(transpileStats.transpiled - before.transpiled).toBe(1);
    expect(transpileStats.memoryHits - before.memoryHits).toBe(1);

    clearMemoryCache();
    expect(await runHello()).toEqual({ code: 0, out: 'hello from wasi\n' });
    expect(transpileStats.transpiled - before.transpiled).toBe(1);
    expect(transpileStats.diskHits - before.diskHits).toBe(1);
  });

  it('never imports an entry from a cache directory other users can write (a planted one is not run)', async () => {
    const shared = mkdtempSync(join(tmpdir(), 'wasi-virt-shared-cache-'));
    try {
      const t = await transpileComponent(hello, { cacheDir: shared });
      expect(t.dir.startsWith(shared)).toBe(true);
      // Another user plants code where the next run of this component would look.
      writeFileSync(t.jsFile, "throw new Error('planted code ran');\n");
      chmodSync(shared, 0o777);
      clearMemoryCache();
      const stdout = new CaptureSink();
      const { code } = await runComponent(hello, { policy: {}, stdout, env: {}, cacheDir: shared });
      expect({ code, out: stdout.text() }).toEqual({ code: 0, out: 'hello from wasi\n' });
      expect((await transpileComponent(hello, { cacheDir: shared })).dir.startsWith(shared)).toBe(false);
    } finally {
      rmSync(shared, { recursive: true, force: true });
      clearMemoryCache();
    }
  });

  it('stores one complete entry per component and no temporary files', async () => {
    const t = await transpileComponent(hello, { cacheDir });
    const entries = readdirSync(cacheDir);
    expect(entries).toEqual([t.key]);
    expect(t.key).toMatch(/^[0-9a-f]{64}-[0-9a-f]{12}$/);
    expect(readdirSync(t.dir).sort()).toEqual(['component.mjs', ...t.coreFiles, 'meta.json'].sort());
    expect(t.imports).toContain('wasi:io/streams');
    expect(t.patched && t.fastPath).toBe(true);
  });

  it('keys entries by content: another component gets its own entry', async () => {
    const other = await watComponent('p2-tool');
    const a = await transpileComponent(hello, { cacheDir });
    const b = await transpileComponent(other, { cacheDir });
    expect(a.key).not.toBe(b.key);
    expect(existsSync(b.jsFile)).toBe(true);
  });

  it('refuses bytes that are not a component with one line', async () => {
    const bad = transpileComponent(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]), { cacheDir });
    await expect(bad).rejects.toBeInstanceOf(ComponentLoadError);
    await expect(bad).rejects.toThrow(/^not a runnable component: [^\n]+$/);
  });
});

describe('rewrites of the generated code', () => {
  let raw: string;
  beforeAll(async () => {
    const { transpileBytes } = await import('@bytecodealliance/jco-transpile');
    const r = await transpileBytes(await watComponent('p2-tool'), {
      name: 'component', instantiation: 'sync', emitTypescriptDeclarations: false, noComponentErrorWrapping: false,
    });
    raw = new TextDecoder().decode(Object.entries(r.files).find(([n]) => n.endsWith('.js'))![1]);
  });

  it('finds the per-call JCO_DEBUG check where it expects it', () => {
    expect(raw.split(JCO_DEBUG_DEFINITION)).toHaveLength(2);
  });

  it('reads JCO_DEBUG once and builds no log arguments when it is unset', () => {
    const { js, patched } = rewriteGenerated(raw);
    expect(patched).toBe(true);
    expect(js.match(/JCO_DEBUG/g)).toHaveLength(1);
    expect(js).toMatch(/try \{ _jcoDebug = !!globalThis\?\.process\?\.env\?\.JCO_DEBUG; \} catch \{\}/);
    expect(js.match(/[^\w$.]_debugLog\(/g)?.length).toBe(js.match(/_jcoDebug && _debugLog\(/g)?.length);
  });

  it('sends every synchronous host import around the async task machinery', () => {
    const { js, fastPath } = rewriteGenerated(raw);
    expect(fastPath).toBe(true);
    expect(js).not.toMatch(/_lowerImportBackwardsCompat\.bind\(\n\s*null,/);
    expect(js).not.toContain('taskCreation: {');
    expect(js.match(/const task = _SYNC_TASK;/g)?.length).toBe(raw.match(/const hostProvided = true;/g)?.length);
    // A guest still may not call out while jco is inside its cabi_realloc or post-return.
    expect(js).toContain('_checkMayLeave(idx); return fn.apply(this, params);');
    // The result still parses as a module.
    const file = join(cacheDir, 'check.mjs');
    writeFileSync(file, js);
    const check = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8' });
    rmSync(file);
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it('finds the bind at any indentation (jco indents it by nesting depth)', () => {
    const deeper = raw.split('_lowerImportBackwardsCompat.bind(\n  null,\n').join('_lowerImportBackwardsCompat.bind(\n      null,\n');
    expect(deeper).not.toBe(raw);
    const { js, fastPath } = rewriteGenerated(deeper);
    expect(fastPath).toBe(true);
    expect(js).not.toMatch(/_lowerImportBackwardsCompat\.bind\(\n\s*null,/);
  });

  it('leaves code it does not recognise alone', () => {
    expect(rewriteGenerated('export function instantiate() {}')).toEqual({
      js: 'export function instantiate() {}', patched: false, fastPath: false,
    });
  });

  it('keeps the async machinery for components that lower anything asynchronously', () => {
    const asyncish = raw.replace('isAsync: false,', 'isAsync: true,');
    expect(rewriteGenerated(asyncish).fastPath).toBe(false);
  });

  it('calls WebAssembly.promising through a helper that throws a ready-made error without JSPI', () => {
    // The raw code calls it in a try block at every instantiation (and jco may change that).
    expect(raw).toContain(`try {\n    realloc0Async = ${PROMISING_CALL}`);
    const { js } = rewriteGenerated(raw);
    expect(js.split(PROMISING_CALL)).toHaveLength(2); // the helper's own call, when JSPI exists
    expect(js).toContain('realloc0Async = _wvPromising(');
    const helper = js.slice(0, js.indexOf('\n', js.indexOf('const _wvPromising')));
    // Without JSPI (Node 20) the helper throws; with it, it is the real function's result.
    const promising = new Function('WebAssembly', `${helper}\nreturn _wvPromising;`);
    expect(() => promising({})(() => 0)).toThrow(TypeError);
    expect(promising({ promising: (f: () => number) => ['promised', f] })(Math.abs)).toEqual(['promised', Math.abs]);
    expect(rewriteGenerated('export function instantiate() {}').js).toBe('export function instantiate() {}');
  });

  it('runs the rewritten module from the cache', () => {
    const cached = readdirSync(cacheDir).map((k) => join(cacheDir, k, 'component.mjs')).filter(existsSync);
    expect(cached.length).toBeGreaterThan(0);
    for (const f of cached) expect(readFileSync(f, 'utf8')).toContain('const _SYNC_TASK = ');
  });
});
