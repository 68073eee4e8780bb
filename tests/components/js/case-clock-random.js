// WASI 0.3 twin of c/case_clock_random.c: prints each reading named on the command line
// (default: realtime monotonic random), one line each:
//   realtime   "realtime=<ns since the epoch>"   (wasi:clocks/system-clock#now)
//   monotonic  "monotonic=<ns>"                  (wasi:clocks/monotonic-clock#now)
//   random     "random=<16 bytes in hex>"        (wasi:random/random#get-random-bytes)
//   sleep      "slept=<ns the monotonic clock advanced over a 10 ms wait-for>"
//   year       "year=<the wall clock's UTC year>"
// The C guest prints "<name>=ERR ..." when a call fails; 0.3 clocks and random have no
// error channel (a denied call traps, as on preview2), so that line cannot occur here.
// An unknown reading prints "<name>: unknown reading" and the exit status is 1.
import environment from 'wasi:cli/environment@0.3.0-rc-2026-03-15';
import exit from 'wasi:cli/exit@0.3.0-rc-2026-03-15';
import monotonic from 'wasi:clocks/monotonic-clock@0.3.0-rc-2026-03-15';
import system from 'wasi:clocks/system-clock@0.3.0-rc-2026-03-15';
import random from 'wasi:random/random@0.3.0-rc-2026-03-15';
import stdout from 'wasi:cli/stdout@0.3.0-rc-2026-03-15';
import { print } from './lib.js';

function realtimeNs() {
  const t = system.now();
  return BigInt(t.seconds) * 1000000000n + BigInt(t.nanoseconds);
}

function hex(bytes) {
  let s = '';
  for (const b of bytes) s += (b < 16 ? '0' : '') + b.toString(16);
  return s;
}

export const run = {
  async run() {
    let failed = false;
    let text = '';
    const reading = async (what) => {
      if (what === 'realtime') text += `realtime=${realtimeNs()}\n`;
      else if (what === 'monotonic') text += `monotonic=${BigInt(monotonic.now())}\n`;
      else if (what === 'random') text += `random=${hex(random.getRandomBytes(16))}\n`;
      else if (what === 'year') {
        const secs = realtimeNs() / 1000000000n;
        text += `year=${new Date(Number(secs) * 1000).getUTCFullYear()}\n`;
      } else if (what === 'sleep') {
        const before = BigInt(monotonic.now());
        await monotonic.waitFor(10000000);
        const after = BigInt(monotonic.now());
        text += `slept=${after - before}\n`;
      } else {
        text += `${what}: unknown reading\n`;
        failed = true;
      }
    };
    const argv = environment.getArguments();
    if (argv.length < 2) for (const r of ['realtime', 'monotonic', 'random']) await reading(r);
    for (const r of argv.slice(1)) await reading(r);
    await print(stdout, text);
    if (failed) exit.exit({ tag: 'err' });
  },
};
