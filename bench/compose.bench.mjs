// Bundles against `wasi-virt run`: start-up of `node out/x.js` for a core module and a
// component, a bundle with a 64 MiB mount against `run --mount` (which snapshots the
// directory on every start), and the snapshot file against the same bytes inlined as
// base64 in a JS module. Every figure is a median wall time of a fresh Node process.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.cjs');
const WAT = join(ROOT, 'tests', 'components', 'wat');

function node(args, cwd) {
  const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')}: status ${r.status}: ${r.stderr}`);
  return r.stdout;
}

function size(dir) {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    n += e.isDirectory() ? size(join(dir, e.name)) : statSync(join(dir, e.name)).size;
  }
  return n;
}

export async function run(report, { measure, tmpdir }) {
  const work = tmpdir('wv-bench-compose-');
  const runs = { runs: 9, warmup: 2 };

  // Core module.
  node([CLI, join(WAT, 'hello.wat'), '--allow-stdio', '-o', join(work, 'core')], work);
  const coreWasm = join(work, 'core', 'hello.wasm');
  report({
    name: 'start-up, hello (core module)',
    ours: await measure(() => node([join(work, 'core', 'hello.js')], work), runs),
    peer: await measure(() => node([CLI, 'run', coreWasm], work), runs),
    peerName: 'wasi-virt run hello.wasm',
    note: `bundle ${(size(join(work, 'core')) / 1024).toFixed(0)} KiB`,
  });

  // The same module as a component (the run peer finds its transpiled form in the cache).
  const jco = await import('@bytecodealliance/jco');
  const adapter = readFileSync(fileURLToPath(jco.preview1AdapterCommandPath()));
  const comp = join(work, 'hello-p2.wasm');
  writeFileSync(comp, await jco.componentNew(readFileSync(coreWasm), [['wasi_snapshot_preview1', adapter]]));
  node([CLI, comp, '--allow-stdio', '-o', join(work, 'p2')], work);
  node([CLI, 'run', comp], work);
  report({
    name: 'start-up, hello (component)',
    ours: await measure(() => node([join(work, 'p2', 'hello-p2.js')], work), runs),
    peer: await measure(() => node([CLI, 'run', comp], work), runs),
    peerName: 'wasi-virt run (transpile cached)',
    note: `bundle ${(size(join(work, 'p2')) / 1024).toFixed(0)} KiB`,
  });

  // A 64 MiB mount.
  const site = join(work, 'site');
  mkdirSync(join(site, 'data'), { recursive: true });
  for (let i = 0; i < 64; i++) writeFileSync(join(site, 'data', `f${i}.bin`), randomBytes(1 << 20));
  writeFileSync(join(site, 'small.txt'), 'small\n');
  const composeMs = await measure(() => node([CLI, join(WAT, 'compose-cat.wat'), '--mount', `/=${site}`, '--allow-stdio', '-o', join(work, 'big')], work), { runs: 3, warmup: 0 });
  const cat = join(work, 'big', 'compose-cat.wasm');
  report({
    name: 'start-up + cat small.txt, 64 MiB mount',
    ours: await measure(() => node([join(work, 'big', 'compose-cat.js'), 'small.txt'], work), runs),
    peer: await measure(() => node([CLI, 'run', '--mount', `/=${site}`, cat, 'small.txt'], work), runs),
    peerName: 'wasi-virt run --mount (snapshots each start)',
    note: `compose took ${composeMs.toFixed(0)} ms`,
  });

  // The snapshot file against the same bytes as an inlined base64 string.
  const snap = join(work, 'big', 'compose-cat.snapshots');
  const inline = join(work, 'inline.mjs');
  writeFileSync(inline, `export const snap = Buffer.from("${readFileSync(snap).toString('base64')}", "base64");\n`);
  report({
    name: 'load 64 MiB of snapshots in a fresh process',
    ours: await measure(() => node(['-e', `require('node:fs').readFileSync(${JSON.stringify(snap)})`], work), { runs: 5, warmup: 1 }),
    peer: await measure(() => node(['--input-type=module', '-e', `await import(${JSON.stringify(inline)})`], work), { runs: 3, warmup: 0 }),
    peerName: 'the same bytes inlined as base64 in a JS module',
  });
}
