#!/usr/bin/env node
// The `wasi-virt` bin. The status is set, never forced with process.exit, so output
// still being written to a pipe is not cut off.
import { main } from './program.js';

process.exitCode = await main(process.argv.slice(2));
