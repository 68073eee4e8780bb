// Start-up where a user feels it, each against node:wasi in the same run:
//   - `wasi-virt run hello.wasm`, the whole process (wall time and peak RSS), against a
//     7-line node:wasi script running the same module;
//   - `import('wasi-virt')` and the preview1-only entry (`wasi-virt/wasi`) in a fresh
//     process, timed inside it, against `import('node:wasi')`.
// Runs are paired and interleaved (ours, then the peer, N times) and the figure is the
// median, so a busy machine slows both sides alike. Needs `npm run build`.
// Standalone: `node bench/startup.bench.mjs`; through the harness: `node bench/run.mjs startup`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.cjs');

const NODE_WASI_SCRIPT = `import { readFileSync } from 'node:fs';
import { WASI } from 'node:wasi';
process.removeAllListeners('warning');
const wasi = new WASI({ version: 'preview1', args: process.argv.slice(2) });
const module = await WebAssembly.compile(readFileSync(process.argv[2]));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
process.exitCode = wasi.start(instance);
`;

// Preloaded into both sides of the whole-process row: peak RSS to fd 3 at exit.
const RSS_PRELOAD = `process.on('exit', () => { try { require('node:fs').writeSync(3, String(process.resourceUsage().maxRSS)); } catch {} });\n`;

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** One whole process: wall ms and peak RSS (KiB); fails loudly on a wrong result. */
function wholeProcess(args, expect, preload) {
  const t = performance.now();
  const r = spawnSync(process.execPath, ['--require', preload, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
  const ms = performance.now() - t;
  if (r.status !== 0 || r.stdout !== expect) throw new Error(`${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
  return { ms, rssKiB: Number(r.output[3]) };
}

/** Milliseconds an `import(spec)` takes in a fresh process, timed inside it. */
function importMs(spec) {
  const code = `const t = performance.now(); await import(${JSON.stringify(spec)}); process.stdout.write(String(performance.now() - t));`;
  const r = spawnSync(process.execPath, ['--no-warnings', '--input-type=module', '-e', code], { encoding: 'utf8', cwd: ROOT });
  if (r.status !== 0) throw new Error(`import ${spec}: ${r.stderr}`);
  return Number(r.stdout);
}

export async function run(report, { tmpdir: temp } = {}) {
  const work = temp ? temp('wv-startup-') : mkdtempSync(join(tmpdir(), 'wv-startup-'));
  const wabt = await (await import('wabt')).default();
  const mod = wabt.parseWat('hello.wat', readFileSync(join(ROOT, 'tests', 'components', 'wat', 'hello.wat'), 'utf8'));
  const hello = join(work, 'hello.wasm');
  writeFileSync(hello, new Uint8Array(mod.toBinary({}).buffer));
  mod.destroy();
  const script = join(work, 'node-wasi.mjs');
  writeFileSync(script, NODE_WASI_SCRIPT);
  const preload = join(work, 'rss.cjs');
  writeFileSync(preload, RSS_PRELOAD);
  const expect = 'hello from wasi\n';

  const N = 15;
  const ours = [], peer = [];
  wholeProcess([CLI, 'run', hello], expect, preload);
  wholeProcess([script, hello], expect, preload);
  for (let i = 0; i < N; i++) {
    ours.push(wholeProcess([CLI, 'run', hello], expect, preload));
    peer.push(wholeProcess([script, hello], expect, preload));
  }
  report({
    name: '`wasi-virt run hello.wasm`, whole process',
    ours: median(ours.map((r) => r.ms)),
    peer: median(peer.map((r) => r.ms)),
    peerName: 'node:wasi, 7-line script',
    note: 'goal <= 1.3x; Node start-up (~40 % of the peer) is in both figures',
  });
  report({
    name: '  same, peak RSS',
    ours: median(ours.map((r) => r.rssKiB)) / 1024,
    peer: median(peer.map((r) => r.rssKiB)) / 1024,
    unit: 'MiB',
    peerName: 'node:wasi, 7-line script',
    note: 'goal <= peer + 15 MiB',
  });

  const specs = {
    // As a user imports it: the package's own name (its exports map), from its directory.
    root: 'wasi-virt',
    wasi: pathToFileURL(join(ROOT, 'dist', 'wasi.cjs')).href,
    node: 'node:wasi',
  };
  const t = { root: [], wasi: [], node: [] };
  for (let i = 0; i < N; i++) for (const k of Object.keys(specs)) t[k].push(importMs(specs[k]));
  report({
    name: "import('wasi-virt') in a fresh process",
    ours: median(t.root),
    peer: median(t.node),
    peerName: "import('node:wasi')",
    note: 'goal <= 30 ms (node:wasi is built into Node: its figure is the floor)',
  });
  report({
    name: "import('wasi-virt/wasi'), the preview1-only entry",
    ours: median(t.wasi),
    peer: median(t.node),
    peerName: "import('node:wasi')",
    note: 'goal <= 15 ms',
  });
  if (!temp) rmSync(work, { recursive: true, force: true });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await run((row) => {
    const ratio = row.peer ? (row.ours / row.peer).toFixed(2) : '';
    console.log(`${row.name}: ours ${row.ours.toFixed(1)} ${row.unit ?? 'ms'}, ${row.peerName} ${row.peer?.toFixed(1) ?? ''} (${ratio})`);
  });
}
