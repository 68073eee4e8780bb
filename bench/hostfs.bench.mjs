/**
 * The cost of confinement: host preopen handles (through the one resolver) against plain
 * node:fs calls on the same files, measured in the same run. Needs `npm run build` first
 * (imports dist/). Run: `node bench/hostfs.bench.mjs` (or through bench/run.mjs, which can
 * import `hostfsBench` and print its rows).
 */
import fs from 'node:fs';
import os from 'node:os';
import nodePath from 'node:path';
import { pathToFileURL } from 'node:url';

const dist = new URL('../dist/', import.meta.url);
const { openHostDir } = await import(new URL('virtual-fs/host/index.js', dist).href);
const { resolve } = await import(new URL('virtual-fs/resolver.js', dist).href);

/** Median µs per call over `rounds` rounds of `n` calls, after a warm-up. */
function measure(fn, n = 5000, rounds = 7) {
  for (let i = 0; i < Math.min(n, 2000); i++) fn();
  const per = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn();
    per.push(Number(process.hrtime.bigint() - t0) / n / 1000);
  }
  per.sort((a, b) => a - b);
  return per[rounds >> 1];
}

export async function hostfsBench() {
  const base = fs.realpathSync(fs.mkdtempSync(nodePath.join(os.tmpdir(), 'wasi-virt-bench-')));
  const abs = (p) => nodePath.join(base, p);
  fs.writeFileSync(abs('file'), Buffer.alloc(64 * 1024, 1));
  fs.mkdirSync(abs('a/b'), { recursive: true });
  fs.writeFileSync(abs('a/b/deep'), 'x');
  fs.mkdirSync(abs('many'));
  for (let i = 0; i < 100; i++) fs.writeFileSync(abs(`many/f${i}`), '');
  fs.writeFileSync(abs('times'), '');
  fs.writeFileSync(abs('log'), '');

  const rows = [];
  const row = (name, ours, peer, n) => {
    const a = measure(ours, n);
    const b = measure(peer, n);
    rows.push({ case: name, 'hostfs µs': a.toFixed(2), 'node:fs µs': b.toFixed(2), ratio: (a / b).toFixed(2) });
  };

  const buf = new Uint8Array(4096);
  const C = fs.constants;
  try {
    for (const confinement of ['proc', 'path']) {
      const root = openHostDir(base, { readonly: false, confinement });
      root.pinned = true;
      const tag = `[${confinement}]`;
      row(`${tag} open+close "file" (no follow)`,
        () => resolve(root, 'file', { follow: false }, (d, n) => d.openAt(n, { read: true })).close(),
        () => fs.closeSync(fs.openSync(abs('file'), C.O_RDONLY)));
      row(`${tag} open+close "file" (follow)`,
        () => resolve(root, 'file', { follow: true }, (d, n) => d.openAt(n, { read: true })).close(),
        () => fs.closeSync(fs.openSync(abs('file'), C.O_RDONLY)));
      row(`${tag} open+close for writing (no fstat)`,
        () => resolve(root, 'file', { follow: false }, (d, n) => d.openAt(n, { write: true })).close(),
        () => fs.closeSync(fs.openSync(abs('file'), C.O_WRONLY)));
      row(`${tag} open+close "a/b/deep"`,
        () => resolve(root, 'a/b/deep', { follow: true }, (d, n) => d.openAt(n, { read: true })).close(),
        () => fs.closeSync(fs.openSync(abs('a/b/deep'), C.O_RDONLY)));
      row(`${tag} stat "file" (lstat)`,
        () => resolve(root, 'file', { follow: false }, (d, n) => d.statAt(n)),
        () => fs.lstatSync(abs('file'), { bigint: true }));
      row(`${tag} stat "a/b/deep"`,
        () => resolve(root, 'a/b/deep', { follow: false }, (d, n) => d.statAt(n)),
        () => fs.lstatSync(abs('a/b/deep'), { bigint: true }));
      row(`${tag} readdir 100 entries`,
        () => root.walk('many').dir.readdir() ,
        () => fs.readdirSync(abs('many'), { withFileTypes: true }), 500);
      root.destroy();
    }

    const root = openHostDir(base, { readonly: false });
    const h = root.openAt('file', { read: true, write: true });
    const fd = fs.openSync(abs('file'), 'r+');
    let pos = 0;
    row('fstat (handle.stat)', () => h.stat(), () => fs.fstatSync(fd, { bigint: true }));
    row('read 4 KiB at the cursor', () => {
      if (h.read(buf) === 0) h.seek(0n, 'set');
    }, () => {
      const n = fs.readSync(fd, buf, 0, 4096, pos);
      pos = n === 0 ? 0 : pos + n;
    });
    row('pwrite 4 KiB at 0', () => h.write(buf, 0n), () => fs.writeSync(fd, buf, 0, 4096, 0));
    const log = root.openAt('log', { write: true, append: true });
    const logFd = fs.openSync(abs('log'), 'a');
    row('append 16 B (emulated: fstat + pwrite)', () => log.write(buf.subarray(0, 16)), () => fs.writeSync(logFd, buf, 0, 16), 2000);
    log.close();
    fs.closeSync(logFd);
    const many = root.walk('many').dir;
    row('readdir 100 + lstat each (for d_ino)', () => {
      for (const e of many.readdir()) many.statAt(e.name);
    }, () => fs.readdirSync(abs('many'), { withFileTypes: true }), 200);
    many.close();
    const t = root.openAt('times', { write: true });
    const tfd = fs.openSync(abs('times'), 'r+');
    row('set_times, whole µs (futimes + check)', () => t.setTimes(1_700_000_000_123_456_000n, 1_700_000_000_123_456_000n),
      () => fs.futimesSync(tfd, 1700000000.123456, 1700000000.123456), 2000);
    row('set_times, exact ns (touch(1))', () => t.setTimes(1_700_000_000_123_456_789n, 1_700_000_000_123_456_789n),
      () => fs.futimesSync(tfd, 1700000000.123456, 1700000000.123456), 20);
    t.close();
    fs.closeSync(tfd);
    h.close();
    fs.closeSync(fd);
    root.destroy();
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(`hostfs vs node:fs, Node ${process.version}, ${os.cpus().length} cpus (median of 7 rounds)`);
  console.table(await hostfsBench());
}
