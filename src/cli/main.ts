#!/usr/bin/env node
// The `wasi-virt` bin. The status is set, never forced with process.exit, so output
// still being written to a pipe is not cut off.
import nodeModule from 'node:module';
import { withLazySegmenter } from './lazy-segmenter.js';

// Node 22.1+ keeps V8's compiled code for our modules and yargs on disk between runs
// (in the OS temp dir), which takes most of the module-loading cost off every later
// start; Node 20 has no such cache, and this is a no-op there. Enabled before the
// program is imported, so its modules are covered.
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();

const { main } = await withLazySegmenter(() => import('./program.js'));
process.exitCode = await main(process.argv.slice(2));
