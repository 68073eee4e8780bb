// Bundles on every engine: start-up of a composed hello-world bundle against the engine's
// plainest way to run the same module (Node: a node:wasi script; Deno, Bun and Chromium:
// compile + instantiate with a hand-written fd_write), and the gzipped size of the runtime a
// bundle ships. Processes are whole (engine start-up included) and run in pairs, ours then
// the peer's, so load on the machine hits both alike; Chromium is timed inside a fresh page
// from navigation start to the guest's output, with the browser already running.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.cjs');
const HELLO = join(ROOT, 'tests', 'components', 'wat', 'hello.wat');
const DENO = join(ROOT, 'node_modules', 'deno', 'deno');
const BUN = join(ROOT, 'node_modules', 'bun', 'bin', 'bun.exe');
const RUNS = 15;

const NODE_WASI = `import { readFileSync } from 'node:fs';
import { WASI } from 'node:wasi';
const wasi = new WASI({ version: 'preview1', args: [], env: {} });
const module = await WebAssembly.compile(readFileSync(new URL('./out/hello.wasm', import.meta.url)));
wasi.start(await WebAssembly.instantiate(module, wasi.getImportObject()));
`;

/** The least a host can do to run hello.wasm: one import, fd_write, by hand. */
const FD_WRITE = `(instance, write) => ({ wasi_snapshot_preview1: { fd_write(fd, iovs, n, written) {
  const view = new DataView(instance.exports.memory.buffer);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const ptr = view.getUint32(iovs + i * 8, true), len = view.getUint32(iovs + i * 8 + 4, true);
    write(fd, new Uint8Array(instance.exports.memory.buffer, ptr, len));
    total += len;
  }
  view.setUint32(written, total, true);
  return 0;
} } })`;

const PLAIN = `import { readFileSync, writeSync } from 'node:fs';
const imports = ${FD_WRITE};
const module = await WebAssembly.compile(readFileSync(new URL('./out/hello.wasm', import.meta.url)));
const self = {};
const instance = await WebAssembly.instantiate(module, imports(self, (fd, bytes) => writeSync(fd, bytes)));
self.exports = instance.exports;
instance.exports._start();
`;

function spawn(argv, cwd) {
  const r = spawnSync(argv[0], argv.slice(1), { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0 || r.stdout !== 'hello from wasi\n') throw new Error(`${argv.join(' ')}: status ${r.status}: ${r.stdout} ${r.stderr}`);
}

/** Medians of paired runs of two commands. */
function paired(a, b, cwd, runs = RUNS) {
  spawn(a, cwd);
  spawn(b, cwd);
  const ta = [];
  const tb = [];
  for (let i = 0; i < runs; i++) {
    let t = performance.now();
    spawn(a, cwd);
    ta.push(performance.now() - t);
    t = performance.now();
    spawn(b, cwd);
    tb.push(performance.now() - t);
  }
  const median = (x) => x.sort((p, q) => p - q)[x.length >> 1];
  return [median(ta), median(tb)];
}

export async function run(report, { tmpdir }) {
  const work = tmpdir('wv-bench-web-');
  for (const [dir, extra] of [['out', []], ['inline', ['--inline']]]) {
    const r = spawnSync(process.execPath, [CLI, HELLO, '--allow-stdio', ...extra, '-o', join(work, dir)], { cwd: work, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`compose: ${r.stderr}`);
  }
  writeFileSync(join(work, 'node-wasi.mjs'), NODE_WASI);
  writeFileSync(join(work, 'plain.mjs'), PLAIN);
  const entry = join(work, 'out', 'hello.js');

  const engines = [
    ['node', [process.execPath, entry], [process.execPath, '--no-warnings', join(work, 'node-wasi.mjs')], 'node:wasi script'],
    ['deno', [DENO, 'run', `--allow-read=${work}`, entry], [DENO, 'run', `--allow-read=${work}`, join(work, 'plain.mjs')], 'compile + instantiate, hand-written fd_write'],
    ['bun', [BUN, entry], [BUN, join(work, 'plain.mjs')], 'compile + instantiate, hand-written fd_write'],
  ];
  for (const [name, ours, peer, peerName] of engines) {
    const [o, p] = paired(ours, peer, work);
    report({ name: `start-up, hello bundle, ${name}`, ours: o, peer: p, peerName, note: `median of ${RUNS} paired whole-process runs` });
  }
  {
    const [o, p] = paired([process.execPath, join(work, 'inline', 'hello.js')], [process.execPath, '--no-warnings', join(work, 'node-wasi.mjs')], work);
    report({ name: 'start-up, hello --inline bundle, node', ours: o, peer: p, peerName: 'node:wasi script' });
  }

  const chromium = await chromiumStartup(work).catch((e) => ({ error: e }));
  if (chromium.error) report({ name: 'start-up, hello bundle, chromium', note: `not measured: ${String(chromium.error.message ?? chromium.error).split('\n')[0]}` });
  else report({ name: 'start-up, hello bundle, chromium', ours: chromium.ours, peer: chromium.peer, peerName: 'fetch + compile + instantiate, hand-written fd_write', note: `median of ${RUNS} fresh pages, navigation start to output` });

  for (const kind of ['module', 'component']) {
    const file = readFileSync(join(ROOT, 'dist', 'runtime', `${kind}.js`));
    report({
      name: `runtime of a ${kind === 'module' ? 'preview1' : 'component'} bundle, gzipped`,
      ours: gzipSync(file, { level: 9 }).byteLength / 1024,
      unit: 'KiB',
      note: `wasi-virt/runtime.js, ${(file.byteLength / 1024).toFixed(0)} KiB before gzip${kind === 'module' ? '; goal 40 KiB' : ''}`,
    });
  }
}

async function chromiumStartup(work) {
  const { chromium } = await import('playwright-core');
  // As tests/helpers/engines.ts finds and starts it (a .ts file this harness cannot import).
  const exe = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
  if (!exe) throw new Error('headless Chromium not found: `apt-get install -y chromium`');
  const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
  const pages = {
    '/ours.html': `<script type="module">
      import { run } from './out/hello.js';
      const out = [];
      await run([], { stdout: { write: (b) => out.push(new TextDecoder().decode(b)), flush() {} } });
      window.done = { ms: performance.now(), out: out.join('') };
    </script>`,
    '/plain.html': `<script type="module">
      const imports = ${FD_WRITE};
      const out = [];
      const module = await WebAssembly.compile(await (await fetch('./out/hello.wasm')).arrayBuffer());
      const self = {};
      const instance = await WebAssembly.instantiate(module, imports(self, (fd, b) => out.push(new TextDecoder().decode(b))));
      self.exports = instance.exports;
      instance.exports._start();
      window.done = { ms: performance.now(), out: out.join('') };
    </script>`,
  };
  const types = { '.js': 'text/javascript', '.wasm': 'application/wasm' };
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    if (pages[path]) return res.writeHead(200, { 'content-type': 'text/html' }).end(pages[path]);
    let body;
    try {
      body = readFileSync(join(work, path));
    } catch {
      return res.writeHead(404).end();
    }
    res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' }).end(body);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({ executablePath: exe, args: chromiumArgs });
  try {
    const time = async (page) => {
      // A fresh context each time: nothing cached from the previous load.
      const context = await browser.newContext();
      const p = await context.newPage();
      await p.goto(`${base}${page}`);
      const done = await p.waitForFunction(() => window.done).then((h) => h.jsonValue());
      await context.close();
      if (done.out !== 'hello from wasi\n') throw new Error(`${page} printed ${JSON.stringify(done.out)}`);
      return done.ms;
    };
    await time('/ours.html');
    await time('/plain.html');
    const ours = [];
    const peer = [];
    for (let i = 0; i < RUNS; i++) {
      ours.push(await time('/ours.html'));
      peer.push(await time('/plain.html'));
    }
    const median = (x) => x.sort((p, q) => p - q)[x.length >> 1];
    return { ours: median(ours), peer: median(peer) };
  } finally {
    await browser.close();
    server.close();
  }
}
