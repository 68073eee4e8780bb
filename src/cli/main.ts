#!/usr/bin/env node
// The `wasi-virt` bin. The status is set, never forced with process.exit, so output
// still being written to a pipe is not cut off.
import { loadOneScript } from '../util/one-script.js';
import { withLazySegmenter } from './lazy-segmenter.js';

type Program = typeof import('./program.js');

// Node 22.1+ keeps V8's compiled code for ES modules on disk between runs: it covers
// these few entry modules, and the module tree where the one script is missing (a build
// by tsc alone). The one script's code is cached by util/one-script.ts, on every Node.
(process.getBuiltinModule('node:module') as { enableCompileCache?: () => unknown }).enableCompileCache?.();

const program = await withLazySegmenter(async () => {
  const one = loadOneScript<Program>(process.getBuiltinModule('node:url').fileURLToPath(new URL('../one-script/cli.cjs', import.meta.url)));
  return one ?? { exports: await import('./program.js'), saveCache: () => {} };
});
process.exitCode = await program.exports.main(process.argv.slice(2));
// After the command, so the functions it ran are in the cache.
program.saveCache();
