// A second `wasi-virt run` of the same component skips transpilation: the transpiled JS
// is cached by the component's sha256 (in memory per process, on disk across processes;
// tests/preview2/transpile.test.ts proves the skip with a counter). This times it, each
// figure a whole `wasi-virt run` process (Node start-up included):
//   cold    an empty WASI_VIRT_CACHE, so the run transpiles (jco-transpile) first;
//   warm    the same cache again, so the run loads the cached JS;
//   peer    `jco run`, which transpiles on every run (and starts a second Node for the guest).
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const main = join(root, 'dist', 'cli', 'main.js');

async function helloComponent(dir) {
  const wabt = await (await import('wabt')).default();
  const mod = wabt.parseWat('hello.wat', readFileSync(join(root, 'tests', 'components', 'wat', 'hello.wat'), 'utf8'));
  const core = mod.toBinary({}).buffer;
  mod.destroy();
  const jco = await import('@bytecodealliance/jco');
  const adapter = readFileSync(fileURLToPath(jco.preview1AdapterCommandPath()));
  const file = join(dir, 'hello.component.wasm');
  writeFileSync(file, await jco.componentNew(core, [['wasi_snapshot_preview1', adapter]]));
  return file;
}

function runOnce(args, env) {
  const r = spawnSync(process.execPath, args, { env: { ...process.env, ...env }, encoding: 'utf8' });
  if (r.status !== 0 || r.stdout !== 'hello from wasi\n') throw new Error(`${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
}

export async function run(report, { measure, tmpdir }) {
  const dir = tmpdir('wv-transpile-');
  const comp = await helloComponent(dir);
  const cache = join(dir, 'cache');
  const cold = await measure(() => {
    rmSync(cache, { recursive: true, force: true });
    runOnce([main, 'run', comp], { WASI_VIRT_CACHE: cache });
  }, { runs: 5, warmup: 1 });
  runOnce([main, 'run', comp], { WASI_VIRT_CACHE: cache });
  const warm = await measure(() => runOnce([main, 'run', comp], { WASI_VIRT_CACHE: cache }), { runs: 5, warmup: 1 });
  const jcoCli = join(root, 'node_modules', '@bytecodealliance', 'jco', 'dist', 'jco.js');
  const peer = await measure(() => runOnce([jcoCli, 'run', comp], {}), { runs: 3, warmup: 1 });
  report({ name: 'wasi-virt run of a component, cold cache (transpiles)', ours: cold, peer, peerName: 'jco run (transpiles every run)' });
  report({ name: 'wasi-virt run of a component, warm cache (skips transpile)', ours: warm, peer: cold, peerName: 'our own cold run',
    note: 'whole processes, Node start-up included' });
}
