// WASI 0.3 twin of c/case_fs_ops.c: runs the file-system operations named on its command
// line, in order, one line each (write, append, cat, ls, stat, mkdir, rmdir, rm, rename,
// symlink, readlink; see the C guest). Paths resolve against the preopens as wasi-libc
// does (lib.js resolve). A failure prints "<op> PATH: ERR <strerror> (errno N)" with
// wasi-libc's errno for the error-code; the exit status is 1 when any operation failed.
import environment from 'wasi:cli/environment@0.3.0-rc-2026-03-15';
import exit from 'wasi:cli/exit@0.3.0-rc-2026-03-15';
import preopens from 'wasi:filesystem/preopens@0.3.0-rc-2026-03-15';
import stdout from 'wasi:cli/stdout@0.3.0-rc-2026-03-15';
import { FsError, fs, listNames, outcome, print, readAll, resolve, utf8 } from './lib.js';

const TWO = ['write', 'append', 'rename', 'symlink'];
const ONE = ['cat', 'ls', 'stat', 'readlink', 'mkdir', 'rmdir', 'rm'];

/** Write `bytes` through a descriptor's write-via-stream (at 0) or append-via-stream. */
async function put(f, bytes, append) {
  // This world has two stream<u8> types: U8 is wasi:cli's (stdout), U8_2 the file
  // system's; a stream of the wrong one cannot be passed (the runtime panics).
  const { readable, writable } = wit.Stream(wit.Stream.U8_2);
  const done = fs(() => (append ? f.appendViaStream(readable) : f.writeViaStream(readable, 0)));
  await writable.writeAll(bytes);
  writable.drop();
  const err = await outcome(done);
  if (err) throw new FsError(err);
}

export const run = {
  async run() {
    const argv = environment.getArguments();
    const dirs = preopens.getDirectories();
    const at = (p) => resolve(dirs, p);
    let out = '';
    let failed = false;
    const err = (op, path, e) => {
      if (!(e instanceof FsError)) throw e;
      out += `${op} ${path}: ERR ${e.text}\n`;
      failed = true;
    };
    const ok = (op, path) => {
      out += `${op} ${path}: ok\n`;
    };
    const simple = async (op, path, f) => {
      try {
        const [d, rel] = at(path);
        fs(() => f(d, rel));
        ok(op, path);
      } catch (e) {
        err(op, path, e);
      }
    };
    let i = 1;
    while (i < argv.length) {
      const op = argv[i++];
      if (!TWO.includes(op) && !ONE.includes(op)) {
        await print(stdout, `${out}${op}: unknown operation\n`);
        exit.exitWithCode(2);
      }
      const need = TWO.includes(op) ? 2 : 1;
      if (i + need > argv.length) {
        await print(stdout, `${out}${op}: missing arguments\n`);
        exit.exitWithCode(2);
      }
      const a = argv[i];
      const b = need === 2 ? argv[i + 1] : undefined;
      i += need;
      if (op === 'write' || op === 'append') {
        try {
          const [d, rel] = at(a);
          const f = fs(() => d.openAt({ symlinkFollow: true }, rel, { create: true, truncate: op === 'write' }, { write: true }));
          await put(f, utf8(b), op === 'append');
          ok(op, a);
        } catch (e) {
          err(op, a, e);
        }
      } else if (op === 'cat') {
        let f;
        try {
          const [d, rel] = at(a);
          f = fs(() => d.openAt({ symlinkFollow: true }, rel, {}, { read: true }));
        } catch (e) {
          err('cat', a, e);
          continue;
        }
        const { bytes, error } = await readAll(f);
        // The contents are bytes; this line is text (the cases' files are UTF-8).
        let text = '';
        for (const c of bytes) text += String.fromCharCode(c);
        text = decodeURIComponent(escape(text));
        out += `cat ${a}: ${text}`;
        // One line per operation: end the line unless the contents did.
        if (error || !text.endsWith('\n')) out += '\n';
        if (error) err('cat', a, error);
      } else if (op === 'ls') {
        try {
          const [d, rel] = at(a);
          const dir = fs(() => d.openAt({ symlinkFollow: true }, rel, { directory: true }, { read: true }));
          const names = await listNames(dir);
          out += `ls ${a}:${names.map((n) => ` ${n}`).join('')}\n`;
        } catch (e) {
          err('ls', a, e);
        }
      } else if (op === 'stat') {
        try {
          const [d, rel] = at(a);
          const st = fs(() => d.statAt({}, rel));
          const t = st.type.tag;
          out += t === 'directory' ? `stat ${a}: dir\n` : t === 'symbolic-link' ? `stat ${a}: symlink\n` : `stat ${a}: file size=${st.size}\n`;
        } catch (e) {
          err('stat', a, e);
        }
      } else if (op === 'readlink') {
        try {
          const [d, rel] = at(a);
          out += `readlink ${a}: ${fs(() => d.readlinkAt(rel))}\n`;
        } catch (e) {
          err('readlink', a, e);
        }
      } else if (op === 'mkdir') await simple(op, a, (d, rel) => d.createDirectoryAt(rel));
      else if (op === 'rmdir') await simple(op, a, (d, rel) => d.removeDirectoryAt(rel));
      else if (op === 'rm') await simple(op, a, (d, rel) => d.unlinkFileAt(rel));
      else if (op === 'rename') {
        try {
          const [da, ra] = at(a);
          const [db, rb] = at(b);
          fs(() => da.renameAt(ra, db, rb));
          ok(op, a);
        } catch (e) {
          err(op, a, e);
        }
      } else if (op === 'symlink') {
        try {
          const [d, rel] = at(b);
          fs(() => d.symlinkAt(a, rel));
          ok(op, b);
        } catch (e) {
          err(op, b, e);
        }
      }
    }
    await print(stdout, out);
    if (failed) exit.exit({ tag: 'err' });
  },
};
