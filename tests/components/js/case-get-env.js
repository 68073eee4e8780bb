// WASI 0.3 twin of c/case_get_env.c: every environment variable, `NAME=value` per line,
// in the order the host hands them over.
import environment from 'wasi:cli/environment@0.3.0-rc-2026-03-15';
import stdout from 'wasi:cli/stdout@0.3.0-rc-2026-03-15';
import { print } from './lib.js';

export const run = {
  async run() {
    await print(stdout, environment.getEnvironment().map(([k, v]) => `${k}=${v}\n`).join(''));
  },
};
