// WASI 0.3 twin of c/case_stdio.c: writes "Hello world" (no newline) to stdout.
import stdout from 'wasi:cli/stdout@0.3.0-rc-2026-03-15';
import { print } from './lib.js';

export const run = {
  async run() {
    await print(stdout, 'Hello world');
  },
};
