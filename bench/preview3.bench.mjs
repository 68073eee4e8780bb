// Per-call cost of the WASI 0.3 face against the 0.2 face (and jco + preview3-shim), on
// the same work: a component whose `run` calls wasi:random/random#get-random-u64 N times.
// Two components from component WAT (built here with jco's parser): one exporting the
// async `wasi:cli/run@0.3.0-rc-2026-03-15` and importing random@0.3 (jco binds it with
// its async task machinery and JSPI), one exporting a sync `wasi:cli/run@0.2.3` and
// importing random@0.2.3 (jco's sync bindings; transpile.ts's fast-path rewrite does not
// match this hand-made component, so both sides pay jco's per-call task bookkeeping).
//
// 0.3 needs JSPI, so each measurement runs in a Node 26 child (node_modules/node). A
// child runs fresh instances: N calls to warm up (untimed), then 1 call and N calls,
// timing only `run`; per call = (t(N) - t(1)) / (N - 1). Median of 3 children per side.
// Needs `npm run build` (imports dist/). Standalone: `node bench/preview3.bench.mjs`;
// through the harness: `node bench/run.mjs preview3`.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..');
const NODE26 = join(root, 'node_modules', 'node', 'bin', 'node');
const N = 20000;
const P3 = '0.3.0-rc-2026-03-15';

function componentWat(face, n) {
  const loop = `(local $i i32)
      (block $done (loop $l
        (br_if $done (i32.ge_u (local.get $i) (i32.const ${n})))
        (drop (call $get))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))`;
  if (face === 'p3') {
    return `(component
  (import "wasi:random/random@${P3}" (instance $random (export "get-random-u64" (func (result u64)))))
  (core func $get (canon lower (func $random "get-random-u64")))
  (core func $task-return (canon task.return (result (result))))
  (core module $m
    (import "" "get" (func $get (result i64)))
    (import "" "task-return" (func $tr (param i32)))
    (func (export "run") (result i32) ${loop}
      (call $tr (i32.const 0))
      (i32.const 0))
    (func (export "cb") (param i32 i32 i32) (result i32) (i32.const 0)))
  (core instance $i (instantiate $m (with "" (instance (export "get" (func $get)) (export "task-return" (func $task-return))))))
  (func $run async (result (result)) (canon lift (core func $i "run") async (callback (core func $i "cb"))))
  (instance $ri (export "run" (func $run)))
  (export "wasi:cli/run@${P3}" (instance $ri)))`;
  }
  return `(component
  (import "wasi:random/random@0.2.3" (instance $random (export "get-random-u64" (func (result u64)))))
  (core func $get (canon lower (func $random "get-random-u64")))
  (core module $m
    (import "" "get" (func $get (result i64)))
    (func (export "run") (result i32) ${loop}
      (i32.const 0)))
  (core instance $i (instantiate $m (with "" (instance (export "get" (func $get))))))
  (func $run (result (result)) (canon lift (core func $i "run")))
  (instance $ri (export "run" (func $run)))
  (export "wasi:cli/run@0.2.3" (instance $ri)))`;
}

async function buildGuests(dir) {
  const jco = await import('@bytecodealliance/jco');
  for (const face of ['p2', 'p3']) {
    for (const n of [1, N]) writeFileSync(join(dir, `${face}-${n}.wasm`), await jco.parse(componentWat(face, n)));
  }
}

function child(side, work) {
  return new Promise((resolve, reject) => {
    const p = spawn(NODE26, [fileURLToPath(import.meta.url), '--child', side, work], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, WASI_VIRT_CACHE: join(work, 'cache') },
    });
    let out = '';
    p.stdout.on('data', (d) => { out += d; });
    p.on('exit', (code) => (code === 0 ? resolve(Number(out)) : reject(new Error(`${side}: child exited ${code}`))));
  });
}

const median = (xs) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];

async function childMain(side, work) {
  const dist = (p) => import(pathToFileURL(join(root, 'dist', p)).href);
  const { Kernel } = await dist('adapter/kernel/index.js');
  const policy = { random: 'allow' };
  let runOnce;
  if (side === 'p2') {
    const { loadComponent, runToCompletion } = await dist('adapter/preview2/instantiate.js');
    const { createPreview2 } = await dist('adapter/preview2/index.js');
    const load = async (n) => loadComponent(new Uint8Array(readFileSync(join(work, `p2-${n}.wasm`))));
    const loaded = { 1: await load(1), [N]: await load(N) };
    runOnce = async (n) => {
      const exports = loaded[n].instantiate(createPreview2(new Kernel({ policy })));
      const t = performance.now();
      runToCompletion(exports);
      return performance.now() - t;
    };
  } else {
    const { transpileComponent } = await dist('adapter/preview2/transpile.js');
    const { createPreview3 } = await dist('adapter/preview3/index.js');
    const load = async (n) => {
      const t = await transpileComponent(new Uint8Array(readFileSync(join(work, `p3-${n}.wasm`))), { instantiation: 'async' });
      const mod = await import(pathToFileURL(t.jsFile).href);
      const modules = new Map(await Promise.all(t.coreFiles.map(async (f) => [f, await WebAssembly.compile(readFileSync(join(t.dir, f)))])));
      return (imports) => mod.instantiate((name) => modules.get(name), imports);
    };
    const inst = { 1: await load(1), [N]: await load(N) };
    const peer = side === 'p3-shim' ? (await import('@bytecodealliance/preview3-shim')).random : undefined;
    runOnce = async (n) => {
      const imports = peer ? { 'wasi:random/random': peer.random } : createPreview3(new Kernel({ policy }));
      const exports = await inst[n](imports);
      const run = exports[`wasi:cli/run@${P3}`].run;
      const t = performance.now();
      await run();
      return performance.now() - t;
    };
  }
  await runOnce(N);
  const t1 = await runOnce(1);
  const tn = await runOnce(N);
  process.stdout.write(String(((tn - t1) / (N - 1)) * 1000));
}

export async function run(report) {
  const work = mkdtempSync(join(tmpdir(), 'wv-bench-p3-'));
  try {
    await buildGuests(work);
    const per = {};
    for (const side of ['p2', 'p3', 'p3-shim']) {
      const xs = [];
      for (let i = 0; i < 3; i++) xs.push(await child(side, work));
      per[side] = median(xs);
    }
    report({
      name: `WASI 0.3 face: get-random-u64 × ${N} (µs per call)`,
      ours: per.p3,
      peer: per.p2,
      peerName: 'the 0.2 face, same call',
      unit: 'µs',
      note: 'Node 26; both through jco\'s task machinery (the 0.2 fast-path rewrite does not match this hand-made component; adapter-made ones get it)',
    });
    report({
      name: `WASI 0.3 face vs jco + preview3-shim: get-random-u64 × ${N} (µs per call)`,
      ours: per.p3,
      peer: per['p3-shim'],
      peerName: 'jco + @bytecodealliance/preview3-shim',
      unit: 'µs',
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') {
  await childMain(process.argv[3], process.argv[4]);
} else if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run((row) => console.log(JSON.stringify(row)));
}
