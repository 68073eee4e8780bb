#!/usr/bin/env node
// The `wasi-virt` bin. The status is set, never forced with process.exit, so output
// still being written to a pipe is not cut off.
import nodeModule from 'node:module';
import { withLazySegmenter } from './lazy-segmenter.js';
import { loadProgram } from './load-program.js';

// Node 22.1+ keeps V8's compiled code for ES modules on disk between runs: it covers
// these few entry modules, and the module tree where the one-script program is missing
// (load-program.ts caches the script's code itself, on every Node).
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();

const program = await withLazySegmenter(() => loadProgram());
process.exitCode = await program.main(process.argv.slice(2));
program.saveCache();
