/**
 * How close preview1 host-preopen calls are to the cost of the Node fs calls they must make.
 * The bench guests of preview1.bench.mjs (clock reads, stat, open+close, 4 KiB reads) run
 * under node:wasi, under ours, and under a "bare" import object that makes only those
 * Node calls (the `/proc/self/fd/<dir>/<name>` lstat, open + fstat + close, readSync,
 * hrtime.bigint) with no checks, rights, errno mapping or handles. For readdir, node:wasi's
 * fd_readdir listing of 10,000 entries against the Node listing alone and the listing plus
 * the lstat per entry that d_ino needs. CPU time (user + system) per operation, medians of
 * rounds run in turn; the ratio is ours / node:wasi, the note gives bare / node:wasi: what
 * no JS on top of node:fs can beat.
 *
 * Needs `npm run build`. Run: `node bench/run.mjs hostfs-floor`.
 */
import fs from 'node:fs';
import nodePath from 'node:path';

const dist = new URL('../dist/', import.meta.url);
const { WASI } = await import(new URL('node.js', dist).href);
const wabt = await (await import('wabt')).default();
process.removeAllListeners('warning');
const { WASI: NodeWASI } = await import('node:wasi');

const P1 = 'wasi_snapshot_preview1';
const imp = (name, params) => `(import "${P1}" "${name}" (func $${name} (param ${params}) (result i32)))`;
// Count at 0, a path at 256 with its length at 4, chunk size at 12, first errno at 8.
const loop = (body) => `(local.set $n (i32.load (i32.const 0)))
  (block $done (loop $again (br_if $done (i32.eqz (local.get $n))) ${body}
    (local.set $n (i32.sub (local.get $n) (i32.const 1))) (br $again)))`;
const fail = (call) => `(local.set $r ${call}) (if (local.get $r) (then (i32.store (i32.const 8) (local.get $r)) (br $done)))`;
const GUESTS = {
  clock: `(module ${imp('clock_time_get', 'i32 i64 i32')} (memory (export "memory") 1)
    (func (export "_start") (local $n i32) (local $r i32)
      ${loop(fail('(call $clock_time_get (i32.const 1) (i64.const 0) (i32.const 16))'))}))`,
  stat: `(module ${imp('path_filestat_get', 'i32 i32 i32 i32 i32')} (memory (export "memory") 1)
    (func (export "_start") (local $n i32) (local $r i32)
      ${loop(fail('(call $path_filestat_get (i32.const 3) (i32.const 1) (i32.const 256) (i32.load (i32.const 4)) (i32.const 512))'))}))`,
  openclose: `(module ${imp('path_open', 'i32 i32 i32 i32 i32 i64 i64 i32 i32')} ${imp('fd_close', 'i32')} (memory (export "memory") 1)
    (func (export "_start") (local $n i32) (local $r i32)
      ${loop(`${fail('(call $path_open (i32.const 3) (i32.const 1) (i32.const 256) (i32.load (i32.const 4)) (i32.const 0) (i64.const 2097190) (i64.const 0) (i32.const 0) (i32.const 20))')}
        (drop (call $fd_close (i32.load (i32.const 20))))`)}))`,
  // Open once, then `count` reads of the chunk size (the file is big enough for all of them).
  read: `(module ${imp('path_open', 'i32 i32 i32 i32 i32 i64 i64 i32 i32')} ${imp('fd_read', 'i32 i32 i32 i32')} ${imp('fd_close', 'i32')}
    (memory (export "memory") 2)
    (func (export "_start") (local $n i32) (local $r i32) (local $fd i32)
      (local.set $r (call $path_open (i32.const 3) (i32.const 1) (i32.const 256) (i32.load (i32.const 4))
        (i32.const 0) (i64.const 2097190) (i64.const 0) (i32.const 0) (i32.const 20)))
      (if (local.get $r) (then (i32.store (i32.const 8) (local.get $r)) (return)))
      (local.set $fd (i32.load (i32.const 20)))
      (i32.store (i32.const 32) (i32.const 65536)) (i32.store (i32.const 36) (i32.load (i32.const 12)))
      ${loop(fail('(call $fd_read (local.get $fd) (i32.const 32) (i32.const 1) (i32.const 40))'))}
      (drop (call $fd_close (local.get $fd)))))`,
};
const modules = {};
const module = (g) => (modules[g] ??= (() => {
  const m = wabt.parseWat(`${g}.wat`, GUESTS[g]);
  try { return new WebAssembly.Module(m.toBinary({}).buffer); } finally { m.destroy(); }
})());

/** Only the Node calls ours makes for these guests, on the same host directory. */
function bare(base) {
  const dirfd = fs.openSync(base, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
  const P = `/proc/self/fd/${dirfd}/`;
  const BIG = { bigint: true, throwIfNoEntry: false };
  const FLAGS = fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK;
  const dec = new TextDecoder();
  let dv, u8, pos = 0, next = 10;
  const files = new Map();
  const name = (ptr, len) => dec.decode(u8.subarray(ptr, ptr + len));
  const wasi = {
    clock_time_get: (_id, _p, ptr) => { dv.setBigUint64(ptr, process.hrtime.bigint(), true); return 0; },
    path_filestat_get: (_fd, _fl, ptr, len, out) => {
      const s = fs.lstatSync(P + name(ptr, len), BIG);
      dv.setBigUint64(out + 8, s.ino, true);
      dv.setBigUint64(out + 32, s.size, true);
      return 0;
    },
    path_open: (_fd, _fl, ptr, len, _of, _rb, _ri, _ff, out) => {
      const h = fs.openSync(P + name(ptr, len), FLAGS);
      fs.fstatSync(h);
      const g = next++;
      files.set(g, h);
      pos = 0;
      dv.setUint32(out, g, true);
      return 0;
    },
    fd_close: (fd) => { fs.closeSync(files.get(fd)); files.delete(fd); return 0; },
    fd_read: (fd, iovs, _n, out) => {
      const p = dv.getUint32(iovs, true), l = dv.getUint32(iovs + 4, true);
      const r = fs.readSync(files.get(fd), u8.subarray(p, p + l), 0, l, pos);
      pos += r;
      dv.setUint32(out, r, true);
      return 0;
    },
  };
  return {
    getImportObject: () => ({ [P1]: wasi }),
    start(instance) {
      dv = new DataView(instance.exports.memory.buffer);
      u8 = new Uint8Array(instance.exports.memory.buffer);
      instance.exports._start();
    },
    dispose: () => fs.closeSync(dirfd),
  };
}

/** CPU µs of one run of `guest` (count ops). */
function runOnce(make, guest, { count, path = '', chunk = 0 }) {
  const w = make();
  const instance = new WebAssembly.Instance(module(guest), w.getImportObject());
  const view = new DataView(instance.exports.memory.buffer);
  view.setUint32(0, count, true);
  const p = new TextEncoder().encode(path);
  new Uint8Array(instance.exports.memory.buffer).set(p, 256);
  view.setUint32(4, p.length, true);
  view.setUint32(12, chunk, true);
  const c = process.cpuUsage();
  w.start(instance);
  const d = process.cpuUsage(c);
  const errno = new DataView(instance.exports.memory.buffer).getUint32(8, true);
  w.dispose?.();
  if (errno) throw new Error(`${guest}: errno ${errno}`);
  return d.user + d.system;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const range = (q) => `${median(q).toFixed(2)} (${Math.min(...q).toFixed(2)}-${Math.max(...q).toFixed(2)})`;

export async function run(report, tools) {
  const base = fs.realpathSync(tools.tmpdir('wv-floor-'));
  fs.writeFileSync(nodePath.join(base, 'f.txt'), 'x');
  fs.writeFileSync(nodePath.join(base, 'big.bin'), Buffer.alloc(64 * 1024 * 1024, 7));
  fs.mkdirSync(nodePath.join(base, 'many'));
  for (let i = 0; i < 10_000; i++) fs.writeFileSync(nodePath.join(base, 'many', `entry-${String(i).padStart(5, '0')}`), '');
  const devnull = fs.openSync('/dev/null', 'w');
  const makers = {
    theirs: () => new NodeWASI({ version: 'preview1', stdout: devnull, preopens: { '/data': base } }),
    ours: () => new WASI({ version: 'preview1', stdout: devnull, preopens: { '/data': base } }),
    bare: () => bare(base),
  };
  const rounds = 7;
  const rows = [
    ['1,000,000 clock_time_get', 'clock', { count: 1_000_000 }],
    ['200,000 path_filestat_get (host preopen)', 'stat', { count: 200_000, path: 'f.txt' }],
    ['100,000 path_open + fd_close (host preopen)', 'openclose', { count: 100_000, path: 'f.txt' }],
    ['16,384 fd_read of 4 KiB (host preopen)', 'read', { count: 16_384, path: 'big.bin', chunk: 4096 }],
  ];
  for (const [name, guest, opts] of rows) {
    const t = { theirs: [], ours: [], bare: [] };
    for (let r = 0; r <= rounds; r++) {
      for (const k of Object.keys(t)) {
        const us = runOnce(makers[k], guest, opts);
        if (r > 0) t[k].push(us / opts.count); // round 0 warms up
      }
    }
    const per = (k) => t[k].map((x, i) => x / t.theirs[i]);
    report({
      name: `${name}, CPU`, ours: median(t.ours), peer: median(t.theirs), peerName: 'node:wasi', unit: 'µs/op',
      note: `per round ours/node:wasi ${range(per('ours'))}; bare Node calls/node:wasi ${range(per('bare'))} (bare ${median(t.bare).toFixed(3)} µs/op)`,
    });
  }

  // readdir: the listing through each side's import, from JS (node:wasi's functions called
  // directly), and the Node calls alone: the listing, and the listing plus an lstat each.
  const lister = (w, imports) => {
    const memory = new WebAssembly.Memory({ initial: 3 });
    w.initialize({ exports: { memory, _initialize() {} } });
    new Uint8Array(memory.buffer).set(new TextEncoder().encode('many'), 256);
    const dv = new DataView(memory.buffer);
    return () => {
      if (imports.path_open(3, 1, 256, 4, 2, 16384n, 0n, 0, 20)) throw new Error('open failed');
      const fd = dv.getUint32(20, true);
      let cookie = 0n, n = 0;
      for (;;) {
        imports.fd_readdir(fd, 65536, 65536, cookie, 40);
        const used = dv.getUint32(40, true);
        let q = 65536;
        while (q + 24 <= 65536 + used) {
          const len = dv.getUint32(q + 16, true);
          if (q + 24 + len > 65536 + used) break;
          cookie = dv.getBigUint64(q, true);
          n++;
          q += 24 + len;
        }
        if (used < 65536) break;
      }
      imports.fd_close(fd);
      if (n < 10_000) throw new Error(`listed ${n} entries`);
    };
  };
  const nw = new NodeWASI({ version: 'preview1', preopens: { '/data': base } });
  const ow = new WASI({ version: 'preview1', preopens: { '/data': base } });
  const dirfd = fs.openSync(nodePath.join(base, 'many'), fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
  const pm = `/proc/self/fd/${dirfd}`;
  const NUM = { throwIfNoEntry: false };
  const cases = {
    theirs: lister(nw, nw.wasiImport),
    ours: lister(ow, ow.getImportObject()[P1]),
    listing: () => fs.readdirSync(pm, { withFileTypes: true }),
    lstatEach: () => {
      for (const e of fs.readdirSync(pm, { withFileTypes: true })) fs.lstatSync(`${pm}/${e.name}`, NUM);
    },
  };
  const t = {};
  for (let r = 0; r <= rounds; r++) {
    for (const [k, f] of Object.entries(cases)) {
      const c = process.cpuUsage();
      f();
      const d = process.cpuUsage(c);
      if (r > 0) (t[k] ??= []).push((d.user + d.system) / 10_000);
    }
  }
  fs.closeSync(dirfd);
  ow.dispose?.();
  const per = (k) => t[k].map((x, i) => x / t.theirs[i]);
  report({
    name: 'readdir of 10,000 entries (host preopen, per entry), CPU', ours: median(t.ours), peer: median(t.theirs), peerName: 'node:wasi', unit: 'µs/op',
    note: `per round ours/node:wasi ${range(per('ours'))}; Node listing alone/node:wasi ${range(per('listing'))}; listing + lstat each (d_ino)/node:wasi ${range(per('lstatEach'))}`,
  });
  fs.closeSync(devnull);
}
