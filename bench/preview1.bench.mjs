/**
 * preview1 against node:wasi, the same WAT guests on both, in the same run: small writes,
 * large reads (host preopen, snapshot mount), open+close, stat, readdir, clock reads and
 * instantiate+_start. Figures are µs per operation (per run for instantiate), smaller is
 * better; the ratio is ours / node:wasi.
 *
 * Needs `npm run build` (imports dist/). Standalone: `node bench/preview1.bench.mjs`;
 * through the harness: `node bench/run.mjs preview1` (contract: export run(report, tools)).
 *
 * Every row's note gives the median and range of the per-round ratios, of wall time and of
 * CPU time (user + system of this process): on a shared machine a round's pair is measured
 * under the same load where the medians of the two sides may not be, and CPU time does not
 * count the time the process waited for a core. Before/after:
 * `WASI_VIRT_BASELINE=/path/to/old/dist node bench/run.mjs preview1` also runs that build's
 * `WASI` (or Kernel) in every round of every row (after node:wasi, before ours in odd rounds
 * and after it in even ones), and the note gives the baseline's ratios the same way.
 * `WASI_VIRT_BENCH_ROUNDS` sets the rounds per row (default 5, after one warm-up round).
 */
import fs from 'node:fs';
import os from 'node:os';
import nodePath from 'node:path';
import { pathToFileURL } from 'node:url';

const dist = new URL('../dist/', import.meta.url);
const { WASI, nodePlatform, Kernel, createPreview1 } = await import(new URL('node.js', dist).href);
const baselineDir = process.env.WASI_VIRT_BASELINE;
const baseline = baselineDir
  ? await import(new URL('node.js', pathToFileURL(nodePath.resolve(baselineDir) + '/')).href)
  : undefined;
const BaselineWASI = baseline?.WASI;
const wabt = await (await import('wabt')).default();

// Quiet node:wasi's ExperimentalWarning (it would land in the middle of the table): drop
// the default printer before the module loads.
process.removeAllListeners('warning');
const { WASI: NodeWASI } = await import('node:wasi');

function compile(src) {
  const m = wabt.parseWat('bench.wat', src, { bulk_memory: true });
  try {
    return new WebAssembly.Module(m.toBinary({}).buffer);
  } finally {
    m.destroy();
  }
}

const P1 = 'wasi_snapshot_preview1';
const imp = (name, params, result = true) =>
  `(import "${P1}" "${name}" (func $${name} (param ${params}) ${result ? '(result i32)' : ''}))`;

// Every guest takes its count at 0 and (where it has one) a path at 256 with its length at 4,
// and stores the first failing errno at 8 and a total at 16 (u64).
const GUESTS = {
  write: `(module ${imp('fd_write', 'i32 i32 i32 i32')}
    (memory (export "memory") 1)
    (data (i32.const 64) "0123456789abcde\\n")
    (func (export "_start") (local $n i32)
      (local.set $n (i32.load (i32.const 0)))
      (i32.store (i32.const 32) (i32.const 64)) (i32.store (i32.const 36) (i32.const 16))
      (block $done (loop $again (br_if $done (i32.eqz (local.get $n)))
        (drop (call $fd_write (i32.const 1) (i32.const 32) (i32.const 1) (i32.const 40)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1))) (br $again)))))`,

  clock: `(module ${imp('clock_time_get', 'i32 i64 i32')}
    (memory (export "memory") 1)
    (func (export "_start") (local $n i32)
      (local.set $n (i32.load (i32.const 0)))
      (block $done (loop $again (br_if $done (i32.eqz (local.get $n)))
        (drop (call $clock_time_get (i32.const 1) (i64.const 0) (i32.const 16)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1))) (br $again)))))`,

  // Open the file at 256 and read it to the end in chunks of the size at 12 (buffer at 65536).
  read: `(module ${imp('path_open', 'i32 i32 i32 i32 i32 i64 i64 i32 i32')} ${imp('fd_read', 'i32 i32 i32 i32')} ${imp('fd_close', 'i32')}
    (memory (export "memory") 3)
    (func (export "_start") (local $fd i32) (local $r i32) (local $total i64)
      (local.set $r (call $path_open (i32.const 3) (i32.const 1) (i32.const 256) (i32.load (i32.const 4))
        (i32.const 0) (i64.const 2097190) (i64.const 0) (i32.const 0) (i32.const 20)))
      (if (local.get $r) (then (i32.store (i32.const 8) (local.get $r)) (return)))
      (local.set $fd (i32.load (i32.const 20)))
      (i32.store (i32.const 32) (i32.const 65536)) (i32.store (i32.const 36) (i32.load (i32.const 12)))
      (block $done (loop $again
        (local.set $r (call $fd_read (local.get $fd) (i32.const 32) (i32.const 1) (i32.const 40)))
        (if (local.get $r) (then (i32.store (i32.const 8) (local.get $r)) (br $done)))
        (br_if $done (i32.eqz (i32.load (i32.const 40))))
        (local.set $total (i64.add (local.get $total) (i64.extend_i32_u (i32.load (i32.const 40)))))
        (br $again)))
      (i64.store (i32.const 16) (local.get $total))
      (drop (call $fd_close (local.get $fd)))))`,

  openclose: `(module ${imp('path_open', 'i32 i32 i32 i32 i32 i64 i64 i32 i32')} ${imp('fd_close', 'i32')}
    (memory (export "memory") 1)
    (func (export "_start") (local $n i32) (local $r i32)
      (local.set $n (i32.load (i32.const 0)))
      (block $done (loop $again (br_if $done (i32.eqz (local.get $n)))
        (local.set $r (call $path_open (i32.const 3) (i32.const 1) (i32.const 256) (i32.load (i32.const 4))
          (i32.const 0) (i64.const 2097190) (i64.const 0) (i32.const 0) (i32.const 20)))
        (if (local.get $r) (then (i32.store (i32.const 8) (local.get $r)) (br $done)))
        (drop (call $fd_close (i32.load (i32.const 20))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1))) (br $again)))))`,

  stat: `(module ${imp('path_filestat_get', 'i32 i32 i32 i32 i32')}
    (memory (export "memory") 1)
    (func (export "_start") (local $n i32) (local $r i32)
      (local.set $n (i32.load (i32.const 0)))
      (block $done (loop $again (br_if $done (i32.eqz (local.get $n)))
        (local.set $r (call $path_filestat_get (i32.const 3) (i32.const 1) (i32.const 256) (i32.load (i32.const 4)) (i32.const 512)))
        (if (local.get $r) (then (i32.store (i32.const 8) (local.get $r)) (br $done)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1))) (br $again)))))`,

  // Open the directory at 256 and list it with 64 KiB fd_readdir calls; counts entries at 16.
  readdir: `(module ${imp('path_open', 'i32 i32 i32 i32 i32 i64 i64 i32 i32')} ${imp('fd_readdir', 'i32 i32 i32 i64 i32')} ${imp('fd_close', 'i32')}
    (memory (export "memory") 3)
    (func (export "_start") (local $fd i32) (local $r i32) (local $used i32) (local $p i32) (local $end i32)
      (local $cookie i64) (local $count i32) (local $len i32)
      (local.set $r (call $path_open (i32.const 3) (i32.const 1) (i32.const 256) (i32.load (i32.const 4))
        (i32.const 2) (i64.const 16384) (i64.const 0) (i32.const 0) (i32.const 20)))
      (if (local.get $r) (then (i32.store (i32.const 8) (local.get $r)) (return)))
      (local.set $fd (i32.load (i32.const 20)))
      (block $done (loop $again
        (local.set $r (call $fd_readdir (local.get $fd) (i32.const 65536) (i32.const 65536) (local.get $cookie) (i32.const 40)))
        (if (local.get $r) (then (i32.store (i32.const 8) (local.get $r)) (br $done)))
        (local.set $used (i32.load (i32.const 40)))
        (local.set $p (i32.const 65536))
        (local.set $end (i32.add (i32.const 65536) (local.get $used)))
        (block $walked (loop $entry
          (br_if $walked (i32.gt_u (i32.add (local.get $p) (i32.const 24)) (local.get $end)))
          (local.set $len (i32.load (i32.add (local.get $p) (i32.const 16))))
          (br_if $walked (i32.gt_u (i32.add (i32.add (local.get $p) (i32.const 24)) (local.get $len)) (local.get $end)))
          (local.set $cookie (i64.load (local.get $p)))
          (local.set $count (i32.add (local.get $count) (i32.const 1)))
          (local.set $p (i32.add (i32.add (local.get $p) (i32.const 24)) (local.get $len)))
          (br $entry)))
        (br_if $again (i32.eq (local.get $used) (i32.const 65536)))))
      (i64.store (i32.const 16) (i64.extend_i32_u (local.get $count)))
      (drop (call $fd_close (local.get $fd)))))`,

  hello: `(module ${imp('fd_write', 'i32 i32 i32 i32')}
    (memory (export "memory") 1)
    (data (i32.const 64) "hello from wasi\\n")
    (func (export "_start")
      (i32.store (i32.const 0) (i32.const 64)) (i32.store (i32.const 4) (i32.const 16))
      (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))`,
};

const modules = Object.fromEntries(Object.entries(GUESTS).map(([k, v]) => [k, compile(v)]));

/**
 * Run `guest` once under `make()` (a WASI-like object with getImportObject/start) after
 * writing the inputs into its memory; returns { ms, errno, total }.
 */
function runOnce(guest, make, { count = 0, path = '', chunk = 0 } = {}) {
  const w = make();
  const instance = new WebAssembly.Instance(modules[guest], w.getImportObject());
  const mem = instance.exports.memory;
  const view = new DataView(mem.buffer);
  view.setUint32(0, count, true);
  const p = new TextEncoder().encode(path);
  new Uint8Array(mem.buffer).set(p, 256);
  view.setUint32(4, p.length, true);
  view.setUint32(12, chunk, true);
  const cpu0 = process.cpuUsage();
  const t = performance.now();
  w.start(instance);
  const ms = performance.now() - t;
  const cpu = process.cpuUsage(cpu0);
  const out = new DataView(mem.buffer);
  w.dispose?.();
  // CPU time (user + system, ms) too: on a shared machine it moves far less than wall time.
  return { ms, cpu: (cpu.user + cpu.system) / 1000, errno: out.getUint32(8, true), total: Number(out.getBigUint64(16, true)) };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

export async function run(report, tools) {
  const base = fs.realpathSync(tools.tmpdir('wv-p1-bench-'));
  const devnull = fs.openSync('/dev/null', 'w');
  const BIG = 64 * 1024 * 1024;
  fs.writeFileSync(nodePath.join(base, 'big.bin'), Buffer.alloc(BIG, 7));
  fs.writeFileSync(nodePath.join(base, 'f.txt'), 'x');
  fs.mkdirSync(nodePath.join(base, 'many'));
  for (let i = 0; i < 10_000; i++) fs.writeFileSync(nodePath.join(base, 'many', `entry-${String(i).padStart(5, '0')}`), '');

  const theirs = (extra = {}) => () => new NodeWASI({ version: 'preview1', stdout: devnull, preopens: { '/data': base }, ...extra });
  const oursHost = (extra = {}) => () => new WASI({ version: 'preview1', stdout: devnull, preopens: { '/data': base }, ...extra });
  const baseHost = BaselineWASI && (() => new BaselineWASI({ version: 'preview1', stdout: devnull, preopens: { '/data': base } }));
  // The kernel and preview1 face directly, WASI-shaped, for options the class does not take.
  const kernelOf = (lib) => (options) => () => {
    const host = new lib.Kernel({ policy: {}, ...options(lib) });
    const p1 = lib.createPreview1(host);
    return { getImportObject: () => p1.imports, start: (i) => p1.start(i), dispose: () => host.dispose() };
  };
  const ours = { Kernel, createPreview1, nodePlatform };
  const kernel = kernelOf(ours);
  // The baseline runs the snapshot and uncoalesced rows too (not compared there): both
  // builds' shared code then sees the same mix of handles, so neither's call sites stay
  // monomorphic where the other's are not.
  const baseKernel = baseline && kernelOf(baseline);
  // The same directory as a snapshot mount, built once up front (as a bundle carries it).
  let snapshot;
  let snapshotNote;
  try {
    const { buildSnapshot } = await import(new URL('virtual-fs/snapshot-builder.js', dist).href);
    const t = performance.now();
    snapshot = buildSnapshot({ path: base });
    report({ name: `building that snapshot once (${(snapshot.contentBytes / 2 ** 20).toFixed(0)} MiB, ${snapshot.files} files)`, ours: performance.now() - t, unit: 'ms' });
  } catch (e) {
    snapshotNote = String(e?.message ?? e);
  }
  const snapshotOptions = (lib) => ({
    policy: { fs: { 'host-preopens': false, preopens: { '/data': { virtualize: base } } } },
    snapshots: snapshot ? { '/data': snapshot.bytes } : undefined,
    platform: lib.nodePlatform({ stdout: devnull }),
  });
  const oursSnapshot = kernel(snapshotOptions);
  const baseSnapshot = baseKernel?.(snapshotOptions);
  // Coalescing off, to show what buffering small writes buys.
  const uncoalesced = (lib) => ({ platform: lib.nodePlatform({ stdout: devnull, coalesce: false }) });
  const oursUncoalesced = kernel(uncoalesced);
  const baseUncoalesced = baseKernel?.(uncoalesced);

  const runs = Number(process.env.WASI_VIRT_BENCH_ROUNDS) || 5;
  const compare = (name, guest, peerMake, ourMake, opts, perOp, check, note, baseMake) => {
    const a = [], b = [], c = []; // runOnce results: ours, node:wasi, the baseline
    let failure;
    for (let r = 0; r < runs + 1; r++) {
      const t = runOnce(guest, peerMake, opts);
      // The baseline goes before ours in odd rounds and after in even ones: a run pays for
      // garbage the run before it left, so a fixed order would favour one of the two.
      let base = r % 2 === 1 && baseMake ? runOnce(guest, baseMake, opts) : undefined;
      let o;
      try {
        o = runOnce(guest, ourMake, opts);
      } catch (e) {
        failure = String(e?.message ?? e);
        break;
      }
      if (r % 2 === 0 && baseMake) base = runOnce(guest, baseMake, opts);
      if (o.errno || !check(o)) {
        failure = o.errno ? `errno ${o.errno}` : `wrong result (total ${o.total})`;
        break;
      }
      if (t.errno || !check(t)) throw new Error(`${name}: node:wasi failed (errno ${t.errno}, total ${t.total})`);
      if (base && (base.errno || !check(base))) throw new Error(`${name}: the baseline failed (errno ${base.errno}, total ${base.total})`);
      if (r > 0) { a.push(o); b.push(t); if (base) c.push(base); } // the first round warms both up
    }
    if (failure) {
      report({ name, note: `ours not measured: ${failure}` });
      return;
    }
    const pairs = (xs, k) => {
      const q = xs.map((x, i) => x[k] / b[i][k]).sort((p, s) => p - s);
      return `${median(q).toFixed(2)} (${q[0].toFixed(2)}-${q[q.length - 1].toFixed(2)})`;
    };
    const notes = [note, `per round: wall ${pairs(a, 'ms')}, cpu ${pairs(a, 'cpu')}`];
    if (c.length > 0) notes.push(`baseline per round: wall ${pairs(c, 'ms')}, cpu ${pairs(c, 'cpu')}`);
    const ms = (xs) => (median(xs.map((x) => x.ms)) * 1000) / perOp;
    report({ name, ours: ms(a), peer: ms(b), peerName: 'node:wasi', unit: 'µs/op', note: notes.filter(Boolean).join('; ') });
  };

  const all = () => true;
  const theirsPlain = () => new NodeWASI({ version: 'preview1', stdout: devnull });
  const oursPlain = () => new WASI({ version: 'preview1', stdout: devnull });
  const basePlain = BaselineWASI && (() => new BaselineWASI({ version: 'preview1', stdout: devnull }));
  compare('1,000,000 fd_write of 16 B to /dev/null', 'write', theirsPlain, oursPlain, { count: 1_000_000 }, 1_000_000, all,
    'stdout to a non-terminal coalesces small writes (see src/adapter/node/stdio.ts)', basePlain);
  compare('  same, coalescing off', 'write', theirsPlain, oursUncoalesced, { count: 1_000_000 }, 1_000_000, all, undefined, baseUncoalesced);
  compare('1,000,000 clock_time_get', 'clock', theirsPlain, oursPlain, { count: 1_000_000 }, 1_000_000, all, undefined, basePlain);
  for (const chunk of [4096, 65536]) {
    const opts = { path: 'big.bin', chunk };
    const check = (o) => o.total === BIG;
    compare(`64 MiB read, ${chunk / 1024} KiB chunks, host preopen (per MiB)`, 'read', theirs(), oursHost(), opts, 64, check, undefined, baseHost);
    compare(`64 MiB read, ${chunk / 1024} KiB chunks, snapshot mount vs node:wasi host (per MiB)`, 'read', theirs(), oursSnapshot, opts, 64, check, undefined, baseSnapshot);
  }
  compare('100,000 path_open + fd_close (host preopen)', 'openclose', theirs(), oursHost(), { count: 100_000, path: 'f.txt' }, 100_000, all, undefined, baseHost);
  compare('200,000 path_filestat_get (host preopen)', 'stat', theirs(), oursHost(), { count: 200_000, path: 'f.txt' }, 200_000, all, undefined, baseHost);
  compare('readdir of 10,000 entries (host preopen, per entry)', 'readdir', theirs(), oursHost(), { path: 'many' }, 10_000,
    (o) => o.total === 10_000 || o.total === 10_002, undefined, baseHost); // with or without . and ..
  compare('readdir of 10,000 entries (snapshot mount, per entry)', 'readdir', theirs(), oursSnapshot, { path: 'many' }, 10_000,
    (o) => o.total === 10_000 || o.total === 10_002, undefined, baseSnapshot); // with or without . and ..
  if (snapshotNote) report({ name: 'snapshot mounts', note: `not measured: ${snapshotNote}` });

  // Instantiate + _start of hello world, 200 times (module compiled once, as both would cache it).
  const instantiate = (make) => {
    const t = performance.now();
    for (let i = 0; i < 200; i++) {
      const w = make();
      const instance = new WebAssembly.Instance(modules.hello, w.getImportObject());
      w.start(instance);
      w.dispose?.();
    }
    return (performance.now() - t) / 200;
  };
  const mk = (K) => () => new K({ version: 'preview1', stdout: devnull });
  instantiate(mk(NodeWASI));
  instantiate(mk(WASI));
  const ia = [], ib = [];
  for (let r = 0; r < runs; r++) { ib.push(instantiate(mk(NodeWASI))); ia.push(instantiate(mk(WASI))); }
  report({ name: 'instantiate + _start of hello world (x200, per run)', ours: median(ia) * 1000, peer: median(ib) * 1000, peerName: 'node:wasi', unit: 'µs/op' });
  fs.closeSync(devnull);
}

// Standalone: a small reporter and the two tools the harness would pass.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const temps = [];
  const tools = { tmpdir: (prefix) => { const d = fs.mkdtempSync(nodePath.join(os.tmpdir(), prefix)); temps.push(d); return d; } };
  const fmt = (v) => (v === undefined ? '' : v < 10 ? v.toFixed(3) : v.toFixed(1));
  try {
    await run((r) => {
      const ratio = r.ours !== undefined && r.peer ? (r.ours / r.peer).toFixed(2) : '';
      console.log(`${r.name.padEnd(76)} ours ${fmt(r.ours).padStart(9)} ${r.unit ?? ''}  node:wasi ${fmt(r.peer).padStart(9)}  ratio ${ratio}${r.note ? `  (${r.note})` : ''}`);
    }, tools);
  } finally {
    for (const d of temps) fs.rmSync(d, { recursive: true, force: true });
  }
}
