// WASI 0.3 twin of wat/case-cwd.wat (a native preview2 component): `cwd=<initial-cwd>`,
// or `cwd=none` when the host gives none (wasi:cli/environment#get-initial-cwd).
import environment from 'wasi:cli/environment@0.3.0-rc-2026-03-15';
import stdout from 'wasi:cli/stdout@0.3.0-rc-2026-03-15';
import { print } from './lib.js';

export const run = {
  async run() {
    const cwd = environment.getInitialCwd();
    await print(stdout, `cwd=${cwd ?? 'none'}\n`);
  },
};
