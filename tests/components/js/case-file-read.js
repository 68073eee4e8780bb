// WASI 0.3 twin of c/case_file_read.c: argv[1] is a path (resolved against the preopens as
// wasi-libc does: lib.js resolve). A file's contents are printed exactly; a directory
// prints its entry names (without . and ..) sorted by bytes, joined with nothing between.
// A failure prints "ERR: <call>: <strerror> (errno N)" on stdout and exits 1 (the calls
// named as the C guest's: stat, opendir, readdir, open, read).
import environment from 'wasi:cli/environment@0.3.0-rc-2026-03-15';
import exit from 'wasi:cli/exit@0.3.0-rc-2026-03-15';
import preopens from 'wasi:filesystem/preopens@0.3.0-rc-2026-03-15';
import stdout from 'wasi:cli/stdout@0.3.0-rc-2026-03-15';
import { FsError, fs, listNames, print, readAll, resolve, write } from './lib.js';

async function step(call, f) {
  try {
    return await f();
  } catch (e) {
    if (!(e instanceof FsError)) throw e;
    await print(stdout, `ERR: ${call}: ${e.text}\n`);
    exit.exit({ tag: 'err' });
  }
}

export const run = {
  async run() {
    const argv = environment.getArguments();
    if (argv.length < 2) {
      await print(stdout, 'ERR: usage: file-read PATH\n');
      exit.exit({ tag: 'err' });
    }
    const dirs = preopens.getDirectories();
    const [dir, rel] = await step('stat', () => resolve(dirs, argv[1]));
    const st = await step('stat', () => fs(() => dir.statAt({ symlinkFollow: true }, rel)));
    if (st.type.tag === 'directory') {
      const d = await step('opendir', () => fs(() => dir.openAt({ symlinkFollow: true }, rel, { directory: true }, { read: true })));
      const names = await step('readdir', () => listNames(d));
      await print(stdout, names.join(''));
      return;
    }
    const f = await step('open', () => fs(() => dir.openAt({ symlinkFollow: true }, rel, {}, { read: true })));
    const { bytes, error } = await readAll(f);
    if (bytes.length > 0) await write(stdout, bytes);
    if (error) await step('read', () => { throw error; });
  },
};
