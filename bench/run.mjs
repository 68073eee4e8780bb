#!/usr/bin/env node
// The benchmark harness (`npm run bench`, which builds dist/ first). It runs every
// bench/*.bench.mjs in name order, one after another, and prints one table.
//
// Contract for a bench file:
//   export async function run(report, tools) { ... }
//   report({ name, ours, peer?, peerName?, unit?, note? })
//     name      what was measured ("build 10,000 files / 100 MiB")
//     ours      our figure (a number; smaller is better), in `unit` (default 'ms')
//     peer      the named peer's figure for the same work, measured in the same run
//     peerName  who the peer is ("tar -cf - | cat")
//     note      anything a reader needs to judge the figure honestly
//   tools.measure(fn, { runs = 5, warmup = 1 }) -> median milliseconds of `fn` (may be async)
//   tools.tmpdir(prefix) -> a fresh temp directory, removed when the harness ends
// A file without `run` that exports a function named `...Bench` returning an array of
// rows (an older shape) is still run; its rows are printed as their own table.
//
// Usage: node bench/run.mjs [substring ...] [--json out.json]
//   substrings pick bench files by name; --json also writes every row as JSON.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir as osTmp } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const jsonAt = args.indexOf('--json');
const jsonOut = jsonAt >= 0 ? args[jsonAt + 1] : undefined;
const filters = args.filter((_, i) => jsonAt < 0 || (i !== jsonAt && i !== jsonAt + 1));

const temps = [];
const tools = {
  async measure(fn, { runs = 5, warmup = 1 } = {}) {
    for (let i = 0; i < warmup; i++) await fn();
    const times = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await fn();
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    return times[times.length >> 1];
  },
  tmpdir(prefix = 'wv-bench-') {
    const d = mkdtempSync(join(osTmp(), prefix));
    temps.push(d);
    return d;
  },
};

const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();

const rows = [];
const extra = [];
let failed = false;
try {
  for (const file of files) {
    const bench = file.replace(/\.bench\.mjs$/, '');
    const started = performance.now();
    process.stderr.write(`bench: ${bench} ...\n`);
    try {
      const mod = await import(pathToFileURL(join(here, file)).href);
      if (typeof mod.run === 'function') {
        await mod.run((row) => rows.push({ bench, unit: 'ms', ...row }), tools);
      } else {
        // A file written before this contract: an exported `<name>Bench()` returning rows
        // of its own shape. Printed as it is, after the main table.
        const legacy = Object.entries(mod).filter(([k, v]) => typeof v === 'function' && /bench$/i.test(k));
        if (legacy.length === 0) throw new Error('exports no run(report, tools)');
        for (const [k, f] of legacy) extra.push([`${bench} (${k})`, await f()]);
      }
    } catch (e) {
      failed = true;
      rows.push({ bench, name: 'FAILED', note: String(e?.stack ?? e).split('\n')[0] });
    }
    process.stderr.write(`bench: ${bench} done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  }
} finally {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
}

const fmt = (v, unit) => (v === undefined ? '' : `${v < 10 ? v.toFixed(3) : v < 100 ? v.toFixed(1) : v.toFixed(0)} ${unit}`);
const table = [['bench', 'measure', 'ours', 'peer', 'ratio (ours/peer)', 'peer is']];
for (const r of rows) {
  const q = r.ours !== undefined && r.peer ? r.ours / r.peer : undefined;
  const ratio = q === undefined ? '' : q >= 0.1 ? q.toFixed(2) : q.toPrecision(2);
  table.push([r.bench, r.name, fmt(r.ours, r.unit), fmt(r.peer, r.unit), ratio, r.peerName ?? '']);
}
const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)));
const line = (row) => `| ${row.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
if (rows.length > 0) {
  console.log(line(table[0]));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of table.slice(1)) console.log(line(row));
}
const notes = rows.filter((r) => r.note);
if (notes.length > 0) {
  console.log('');
  for (const r of notes) console.log(`- ${r.bench} / ${r.name}: ${r.note}`);
}
for (const [title, table] of extra) {
  console.log(`\n${title}:`);
  if (Array.isArray(table)) console.table(table);
  else console.log(table);
}
if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ rows, extra: Object.fromEntries(extra) }, null, 2));
if (failed) process.exitCode = 1;
