#!/usr/bin/env node
// The `wasi-virt` bin. The status is set, never forced with process.exit, so output
// still being written to a pipe is not cut off. The package's bin is dist/cli/main.cjs,
// this module with the three it imports as one CommonJS file (scripts/build-one-script.mjs):
// starting from an ES module costs Node its ES module loader, ~10-20 ms of a run.
import { loadOneScript } from '../util/one-script.js';
import { withLazySegmenter } from './lazy-segmenter.js';

type Program = typeof import('./program.js');

// Node 22.1+ keeps V8's compiled code for ES modules on disk between runs: it covers the
// module tree where the one script is missing (a build by tsc alone). The one script's
// code is cached by util/one-script.ts, on every Node.
(process.getBuiltinModule('node:module') as { enableCompileCache?: () => unknown }).enableCompileCache?.();

async function start(): Promise<void> {
  const program = await withLazySegmenter(async () => {
    const script = process.getBuiltinModule('node:url').fileURLToPath(new URL('../one-script/cli.cjs', import.meta.url));
    return loadOneScript<Program>(script) ?? { exports: await import('./program.js'), saveCache: () => {} };
  });
  process.exitCode = await program.exports.main(process.argv.slice(2));
  // After the command, so the functions it ran are in the cache.
  program.saveCache();
}

void start();
