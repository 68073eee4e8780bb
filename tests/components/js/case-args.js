// WASI 0.3 twin of c/case_args.c: `argc=N`, then `argv[i]=...` per argument, then exits
// with the status given as `--exit=N` (default 0). As the C guest calls exit(status)
// after flushing stdout, this one writes its output, then calls wasi:cli/exit: `exit(ok)`
// for 0 and `exit-with-code` otherwise (a 0.3 command keeps its code; on preview2 jco's
// adapter reports any non-zero code as 1).
import environment from 'wasi:cli/environment@0.3.0-rc-2026-03-15';
import exit from 'wasi:cli/exit@0.3.0-rc-2026-03-15';
import stdout from 'wasi:cli/stdout@0.3.0-rc-2026-03-15';
import { print } from './lib.js';

export const run = {
  async run() {
    const argv = environment.getArguments();
    let status = 0;
    let text = `argc=${argv.length}\n`;
    argv.forEach((a, i) => {
      text += `argv[${i}]=${a}\n`;
      // atoi: leading digits, else 0.
      if (a.startsWith('--exit=')) status = Number.parseInt(a.slice(7), 10) || 0;
    });
    await print(stdout, text);
    if (status === 0) exit.exit({ tag: 'ok' });
    else exit.exitWithCode(status & 255);
  },
};
