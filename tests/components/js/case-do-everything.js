// WASI 0.3 twin of c/case_do_everything.c: touches env, clocks, random, stdio and the file
// system in one run. To stderr, one write each: "time: <s>.<ns>" (system clock), "env:
// NAME=value" per variable, "monotonic: <s>.<ns>", "random: <u32>" (4 random bytes, little
// endian, as getentropy fills an unsigned int). To stdout: argv[1]'s contents exactly, or
// "ERR: open|read: <strerror> (errno N)" and exit 1. Without argv[1] nothing is called.
// The C guest reports a failing clock or random call on stderr and goes on; 0.3 clocks and
// random have no error channel (a denied call traps), so those lines cannot occur here.
import environment from 'wasi:cli/environment@0.3.0-rc-2026-03-15';
import exit from 'wasi:cli/exit@0.3.0-rc-2026-03-15';
import monotonic from 'wasi:clocks/monotonic-clock@0.3.0-rc-2026-03-15';
import system from 'wasi:clocks/system-clock@0.3.0-rc-2026-03-15';
import preopens from 'wasi:filesystem/preopens@0.3.0-rc-2026-03-15';
import random from 'wasi:random/random@0.3.0-rc-2026-03-15';
import stderr from 'wasi:cli/stderr@0.3.0-rc-2026-03-15';
import stdout from 'wasi:cli/stdout@0.3.0-rc-2026-03-15';
import { FsError, fs, print, readAll, resolve, write } from './lib.js';

const ns9 = (n) => String(n).padStart(9, '0');

export const run = {
  async run() {
    const argv = environment.getArguments();
    if (argv.length < 2) return;
    const t = system.now();
    await print(stderr, `time: ${t.seconds}.${ns9(t.nanoseconds)}\n`);
    for (const [k, v] of environment.getEnvironment()) await print(stderr, `env: ${k}=${v}\n`);
    const m = BigInt(monotonic.now());
    await print(stderr, `monotonic: ${m / 1000000000n}.${ns9(m % 1000000000n)}\n`);
    const b = random.getRandomBytes(4);
    await print(stderr, `random: ${(b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0}\n`);

    let f;
    try {
      const [dir, rel] = resolve(preopens.getDirectories(), argv[1]);
      f = fs(() => dir.openAt({ symlinkFollow: true }, rel, {}, { read: true }));
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      await print(stdout, `ERR: open: ${e.text}\n`);
      exit.exit({ tag: 'err' });
    }
    const { bytes, error } = await readAll(f);
    if (bytes.length > 0) await write(stdout, bytes);
    if (error) {
      await print(stdout, `ERR: read: ${error.text}\n`);
      exit.exit({ tag: 'err' });
    }
  },
};
