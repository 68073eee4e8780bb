// WASI 0.3 twin of c/case_streams.c: reads stdin to its end, writes "to stderr\n" to
// stderr and "to stdout\n" to stdout, then writes the report
// "stdin=<bytes read|ERR errno> stderr=<ok|ERR errno> stdout=<ok|ERR errno>\n" to both,
// and exits 1 when any of the three failed. The C guest's errno comes from wasi-libc; a
// 0.3 stream reports a wasi:cli error-code instead, printed as the errno wasi-libc gives
// it (io 29, illegal-byte-sequence 25, pipe 64: lib.js).
import exit from 'wasi:cli/exit@0.3.0-rc-2026-03-15';
import stderr from 'wasi:cli/stderr@0.3.0-rc-2026-03-15';
import stdin from 'wasi:cli/stdin@0.3.0-rc-2026-03-15';
import stdout from 'wasi:cli/stdout@0.3.0-rc-2026-03-15';
import { errno, outcome, utf8, write } from './lib.js';

export const run = {
  async run() {
    let failed = false;
    let report;
    const [input, result] = stdin.readViaStream();
    let total = 0;
    for await (const chunk of input) total += chunk.length;
    const inErr = await outcome(result);
    if (inErr) {
      report = `stdin=ERR ${errno(inErr)}`;
      failed = true;
    } else {
      report = `stdin=${total}`;
    }
    const err2 = await write(stderr, utf8('to stderr\n'));
    const err1 = await write(stdout, utf8('to stdout\n'));
    report += err2 ? ` stderr=ERR ${errno(err2)}` : ' stderr=ok';
    report += err1 ? ` stdout=ERR ${errno(err1)}\n` : ' stdout=ok\n';
    if (err1 || err2) failed = true;
    await write(stdout, utf8(report));
    await write(stderr, utf8(report));
    if (failed) exit.exit({ tag: 'err' });
  },
};
