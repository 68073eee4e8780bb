/**
 * WasiVirt: the builder plus its Node runtime methods, and the README's API example run as
 * printed (so the README cannot drift from the code).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CaptureSink } from '../../src/adapter/kernel/index.js';
import { WasiVirt } from '../../src/wasi-virt.js';
import { c, component, ROOT } from '../helpers/guests.js';

const work = mkdtempSync(join(tmpdir(), 'wv-api-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function site(): string {
  const dir = join(work, `site-${Math.random().toString(36).slice(2)}`);
  mkdirSync(join(dir, 'drafts'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), '<h1>hi</h1>\n');
  writeFileSync(join(dir, 'drafts', 'secret.html'), 'unpublished');
  return dir;
}

describe('WasiVirt', () => {
  it('runs a core module and the same program as a component under one policy', async () => {
    const dir = site();
    const virt = new WasiVirt().fs().virtualPreopen('/', dir, { exclude: ['drafts/**'] }).stdio().allow();
    for (const wasm of [c('case_file_read'), await component(c('case_file_read'))]) {
      const stdout = new CaptureSink();
      expect(await virt.run(wasm, { args: ['read', '/index.html'], stdout })).toEqual({ code: 0 });
      expect(stdout.text()).toBe('<h1>hi</h1>\n');
      const listing = new CaptureSink();
      await virt.run(wasm, { args: ['read', '/'], stdout: listing });
      expect(listing.text()).toBe('index.html'); // drafts/ was excluded from the snapshot
    }
  });

  it('preview1() gives an import object, start and the host behind them', async () => {
    const stdout = new CaptureSink();
    const p1 = new WasiVirt().env().overrides([['MODE', 'test']]).stdio().allow().preview1({ args: ['env'], stdout });
    const { instance } = await WebAssembly.instantiate(c('case_get_env'), p1.imports);
    expect(p1.start(instance)).toBe(0);
    expect(stdout.text()).toBe('MODE=test\n');
    expect(p1.host.env).toEqual([['MODE', 'test']]);
    p1.host.dispose();
  });

  it('preview2() gives a jco import map with both key forms', () => {
    const { imports, host } = new WasiVirt().preview2();
    expect(Object.keys(imports)).toContain('wasi:cli/environment');
    expect(Object.keys(imports)).toContain('wasi:cli/environment@0.2.12');
    host.dispose();
  });

  it('fromJSON gives back a WasiVirt with the same policy', () => {
    const virt = new WasiVirt().clocks('deterministic').exit(false);
    const again = WasiVirt.fromJSON(JSON.parse(JSON.stringify(virt)));
    expect(again).toBeInstanceOf(WasiVirt);
    expect(again.policy()).toEqual(virt.policy());
  });
});

describe('the README API example', () => {
  it('runs as printed', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const block = /```js\n(import \{ readFileSync \}[\s\S]*?new WasiVirt\(\)[\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const dir = mkdtempSync(join(work, 'readme-'));
    const s = site();
    execFileSync('cp', ['-r', s, join(dir, 'site')]);
    mkdirSync(join(dir, 'data'));
    writeFileSync(join(dir, 'app.wasm'), c('case_file_read'));
    const script = block!.replace("from 'wasi-virt'", `from ${JSON.stringify(join(ROOT, 'dist', 'node.js'))}`);
    writeFileSync(join(dir, 'example.mjs'), script);
    const out = execFileSync(process.execPath, ['example.mjs'], { cwd: dir, encoding: 'utf8' });
    expect(out).toBe('0 <h1>hi</h1>\n\n');
  });
});
