// Snapshot build, decode and lookup on a generated 10,000-file / 100 MiB tree.
// Peers, measured here on the same tree in the same run:
// - build: GNU tar writing the same tree as an archive. `tar -cf - dir > /dev/null`
//   notices its output is /dev/null and never reads the file contents, so it only walks
//   the tree; `tar -cf - dir | cat > /dev/null` reads everything. Both are reported.
//   tar runs as a child process, so its figures include one spawn (measured separately).
// - lookup: the same paths stat'ed on the host with fs.lstatSync (the kernel's dentry cache).
// - find one file in a fresh archive: `tar -xOf` must scan the archive, we decode the
//   header and binary-search.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, lstatSync, writeFileSync, writeSync } from 'node:fs';
import { randomFillSync } from 'node:crypto';
import { join } from 'node:path';
import { buildSnapshot, decodeSnapshot, MemoryTree, resolve, RoDir } from '../dist/node.js';

const FILES = 10_000;
const TOTAL = 100 * 2 ** 20;
const DIRS = 100;

/** A deterministic tree: 100 dirs (10 of them with a nested sub/), sizes skewed like real source trees. */
export function generate(root) {
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const weights = Array.from({ length: FILES }, () => Math.exp(rand() * 6)); // 1..403, long tail
  const scale = TOTAL / weights.reduce((a, b) => a + b, 0);
  const sizes = weights.map((w) => Math.floor(w * scale));
  sizes[0] += TOTAL - sizes.reduce((a, b) => a + b, 0);
  const pool = randomFillSync(Buffer.alloc(4 * 2 ** 20));
  const paths = [];
  for (let i = 0; i < FILES; i++) {
    const d = i % DIRS;
    const dir = d % 10 === 0 ? join(`dir-${d}`, 'sub') : `dir-${d}`;
    mkdirSync(join(root, dir), { recursive: true });
    const rel = join(dir, `file-${i}.dat`);
    const fd = openSync(join(root, rel), 'w');
    let left = sizes[i];
    let at = (i * 7919) % pool.length;
    while (left > 0) {
      const n = Math.min(left, pool.length - at);
      writeSync(fd, pool, at, n);
      left -= n;
      at = 0;
    }
    closeSync(fd);
    paths.push(rel);
  }
  return paths;
}

function sh(cmd, cwd) {
  const r = spawnSync('sh', ['-c', cmd], { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`${cmd} failed with ${r.status}`);
}

function tarToDevNull(cwd) {
  const out = openSync('/dev/null', 'w');
  try {
    const r = spawnSync('tar', ['-cf', '-', 'tree'], { cwd, stdio: ['ignore', out, 'inherit'] });
    if (r.status !== 0) throw new Error(`tar failed with ${r.status}`);
  } finally {
    closeSync(out);
  }
}

export async function run(report, { measure, tmpdir }) {
  const base = tmpdir('wv-bench-snapshot-');
  const root = join(base, 'tree');
  mkdirSync(root);
  const paths = generate(root);
  const quiet = { onProgress: () => {} };

  // Warm the page cache for everyone, then interleave so drift hits all alike.
  sh('tar -cf - tree | cat > /dev/null', base);
  buildSnapshot({ path: root, ...quiet });
  const spawnMs = await measure(() => sh(':', base), { runs: 9 });
  const tarNull = await measure(() => tarToDevNull(base), { runs: 5 });
  const tarCat = await measure(() => sh('tar -cf - tree | cat > /dev/null', base), { runs: 5 });
  let built;
  const ours = await measure(() => { built = buildSnapshot({ path: root, ...quiet }); }, { runs: 5 });

  report({
    name: 'build 10,000 files / 100 MiB',
    ours,
    peer: tarCat,
    peerName: 'tar -cf - dir | cat > /dev/null',
    note: `includes SHA-256 of the whole snapshot; tar's figure includes one sh+tar spawn (sh -c : alone: ${spawnMs.toFixed(1)} ms)`,
  });
  report({
    name: 'build vs tar walk only',
    ours,
    peer: tarNull,
    peerName: 'tar -cf - dir > /dev/null',
    note: 'GNU tar sees /dev/null and skips reading file contents: this peer does far less work',
  });

  const bytes = built.bytes;
  const decodeUs = (await measure(() => { for (let i = 0; i < 10_000; i++) decodeSnapshot(bytes, 1n); }, { runs: 5 })) / 10;
  report({ name: 'decode', ours: decodeUs, unit: 'µs', note: `${bytes.byteLength} bytes, ${built.files} files: header checks only, O(1), nothing copied (mean of 10,000, warm)` });

  const tree = decodeSnapshot(bytes, 1n);
  const dir = new RoDir(tree, tree.root);
  let s = 99;
  const picks = Array.from({ length: 100_000 }, () => paths[(s = (s * 48271) % 2147483647) % paths.length]);
  const hostPicks = picks.map((p) => join(root, p));
  const stat = (d, n) => d.statAt(n);
  const lookups = await measure(() => { for (const p of picks) resolve(dir, p, { follow: false }, stat); }, { runs: 5 });
  const lstats = await measure(() => { for (const p of hostPicks) lstatSync(p); }, { runs: 5 });
  report({
    name: '100,000 path lookups + stat',
    ours: lookups,
    peer: lstats,
    peerName: 'fs.lstatSync on the host tree',
    note: 'ours: the guest path resolver over the snapshot (2-3 components each)',
  });

  // The tree alone, against our in-memory sibling (a JS array of names per directory,
  // the same names): what searching bytes in the buffer costs over materialized strings.
  const entries = {};
  for (const p of paths) {
    let at = entries;
    const parts = p.split('/');
    for (const d of parts.slice(0, -1)) at = (at[d] ??= { dir: {} }).dir;
    at[parts[parts.length - 1]] = { source: '' };
  }
  const mem = MemoryTree.fromEntries(entries, 2n);
  const split = picks.map((p) => p.split('/'));
  const walk = (t) => () => {
    for (const parts of split) {
      let n = t.root;
      for (const part of parts) n = t.lookup(n, part);
      if (n < 0) throw new Error('lookup failed');
    }
  };
  const treeOnly = await measure(walk(tree), { runs: 5 });
  const memOnly = await measure(walk(mem), { runs: 5 });
  report({
    name: '100,000 path lookups, tree only',
    ours: treeOnly,
    peer: memOnly,
    peerName: 'MemoryTree (JS strings)',
    note: 'component-wise lookup with no resolver: UTF-8 bytes in the buffer vs sorted JS string arrays',
  });

  const archive = join(base, 'tree.tar');
  sh(`tar -cf ${archive} tree`, base);
  const one = picks[0];
  writeFileSync(join(base, 'snap.bin'), bytes);
  const findOurs = await measure(() => {
    const t = decodeSnapshot(bytes, 1n);
    resolve(new RoDir(t, t.root), one, { follow: false }, (d, n) => d.openAt(n, { read: true }).read(new Uint8Array(1 << 20)));
  }, { runs: 20 });
  const findTar = await measure(() => sh(`tar -xOf ${archive} tree/${one} > /dev/null`, base), { runs: 5 });
  report({
    name: 'find + read one file in a fresh archive',
    ours: findOurs,
    peer: findTar,
    peerName: 'tar -xOf archive path',
    note: 'tar must scan the archive up to the file (and spawns); ours is in-process',
  });
}
