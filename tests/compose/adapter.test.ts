/**
 * Compose without an app writes the virtual adapter: the policy, its snapshots, and
 * hosts / import objects for a module or component someone instantiates themselves.
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import { component, wat } from '../helpers/guests.js';
import { cli, ensureBuilt, runScript, tempDir, writeTree } from './helpers.js';

let catModule: Uint8Array;

beforeAll(async () => {
  ensureBuilt();
  catModule = await wat('compose-cat');
});

function composeAdapter(extra: string[] = []): { work: string; out: string } {
  const work = tempDir();
  const site = join(work, 'site');
  writeTree(site, { 'a.txt': 'adapter data\n', 'b.txt': 'bee\n' });
  const out = join(work, 'out');
  const r = cli(['--mount', `/=${site}`, '--allow-stdio', '-o', out, ...extra]);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/^wrote .*virt\.js: the virtual adapter, 1 mount \(2 files, 17 B\)/);
  rmSync(site, { recursive: true });
  return { work, out };
}

describe('adapter-only output', () => {
  test('layout: entry, types, snapshots, runtime; no app, no run', () => {
    const { out } = composeAdapter();
    expect(readdirSync(out).sort()).toEqual(['package.json', 'virt.d.ts', 'virt.js', 'virt.snapshots', 'wasi-virt']);
    const entry = readFileSync(join(out, 'virt.js'), 'utf8');
    expect(entry).not.toMatch(/export const run\b/);
    expect(entry).not.toMatch(/bundle\.main\(\)/);
    expect(readFileSync(join(out, 'virt.d.ts'), 'utf8')).toMatch(/export declare function preview1Imports/);
  });

  test('preview1Imports drives a separately instantiated core module', () => {
    const { work, out } = composeAdapter();
    writeFileSync(join(work, 'cat.wasm'), catModule);
    const script = `
      import { readFileSync } from 'node:fs';
      import { preview1Imports, snapshots, policy, CaptureSink } from ${JSON.stringify(join(out, 'virt.js'))};
      const stdout = new CaptureSink();
      const wasi = preview1Imports({ args: ['b.txt', 'extra'], stdout });
      const module = await WebAssembly.compile(readFileSync(${JSON.stringify(join(work, 'cat.wasm'))}));
      const instance = await WebAssembly.instantiate(module, wasi.imports);
      const code = wasi.start(instance);
      wasi.dispose();
      const snap = snapshots['/'];
      console.log(JSON.stringify({
        code, text: stdout.text(), keys: Object.keys(snapshots), magic: Buffer.from(snap.subarray(1, 7)).toString(),
        preopens: Object.keys(policy.fs.preopens),
      }));
    `;
    const r = runScript(script, work);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout.trim())).toEqual({ code: 1, text: 'bee\n', keys: ['/'], magic: 'WVSNAP', preopens: ['/'] });
  });

  test('createHost gives a Kernel with the mount; two hosts share nothing', () => {
    const { work, out } = composeAdapter();
    const script = `
      import { createHost } from ${JSON.stringify(join(out, 'virt.js'))};
      const a = createHost({ args: ['x'] });
      const b = createHost();
      console.log(JSON.stringify({ args: a.args, other: b.args, preopens: a.fs.preopens.map(([p]) => p), distinct: a.fs !== b.fs }));
      a.dispose(); b.dispose();
    `;
    const r = runScript(script, work);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout.trim())).toEqual({ args: ['main.wasm', 'x'], other: ['main.wasm'], preopens: ['/'], distinct: true });
  });

  test('preview2Imports serves a component transpiled by someone else', async () => {
    const { work, out } = composeAdapter();
    // Someone's own jco output (instantiation mode), made here with the preview2 face's transpile.
    const { transpileComponent } = await import('../../src/adapter/preview2/transpile.js');
    const t = await transpileComponent(await component(catModule), { cacheDir: join(work, 'jco') });
    const script = `
      import { readFileSync } from 'node:fs';
      import { preview2Imports, CaptureSink, ExitSignal } from ${JSON.stringify(join(out, 'virt.js'))};
      const { instantiate } = await import(${JSON.stringify(pathToFileURL(t.jsFile).href)});
      const dir = ${JSON.stringify(t.dir)};
      const core = (name) => new WebAssembly.Module(readFileSync(dir + '/' + name));
      const stdout = new CaptureSink();
      const root = instantiate(core, preview2Imports({ args: ['a.txt'], stdout }));
      let code = 0;
      try { root.run.run(); } catch (e) { if (e instanceof ExitSignal) code = e.code; else throw e; }
      console.log(JSON.stringify({ code, text: stdout.text() }));
    `;
    const r = runScript(script, work);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout.trim())).toEqual({ code: 0, text: 'adapter data\n' });
  });

  test('an adapter whose policy allows sockets carries preview2-shim, found from anywhere', () => {
    const { work, out } = composeAdapter(['--allow-sockets']);
    const shim = join(out, 'node_modules', '@bytecodealliance', 'preview2-shim');
    expect(readdirSync(shim)).toContain('package.json');
    expect(readdirSync(join(shim, 'dist')).length).toBeGreaterThan(0);
    const script = `
      import { loadNetwork } from ${JSON.stringify(join(out, 'virt.js'))};
      const net = await loadNetwork({ sockets: true });
      console.log(JSON.stringify({ tcp: typeof net.sockets.tcp.TcpSocket, stream: typeof net.io.InputStream }));
      process.exit(0); // the shim's worker thread would keep the process alive
    `;
    const r = runScript(script, work);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout.trim())).toEqual({ tcp: 'function', stream: 'function' });
  });

  test('an adapter with sockets and http denied carries no shim; loadNetwork says what is missing', () => {
    const { work, out } = composeAdapter();
    expect(readdirSync(out)).not.toContain('node_modules');
    const script = `
      import { loadNetwork } from ${JSON.stringify(join(out, 'virt.js'))};
      try { await loadNetwork({ sockets: true }); console.log('loaded'); } catch (e) { console.log(e.name + ': ' + e.message); }
    `;
    const r = runScript(script, work);
    expect(r.stdout.trim()).toMatch(/^MissingShimError: sockets need @bytecodealliance\/preview2-shim, which cannot be found from this bundle/);
  });
});

