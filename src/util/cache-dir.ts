/**
 * Where wasi-virt keeps what it computes once and reuses across runs (transpiled components,
 * the CLI's compiled code): `$WASI_VIRT_CACHE`, else `$XDG_CACHE_HOME/wasi-virt`, else
 * `~/.cache/wasi-virt`, else the OS temp dir.
 */
// Builtins by process.getBuiltinModule: this module is on the path of every start-up
// (util/one-script.ts), where an ES import of node:fs would load Node's stream modules.
const { lstatSync, mkdirSync } = process.getBuiltinModule('node:fs');
const { homedir, tmpdir } = process.getBuiltinModule('node:os');
const { join } = process.getBuiltinModule('node:path');

export function cacheDir(): string {
  const env = process.env;
  if (env['WASI_VIRT_CACHE']) return env['WASI_VIRT_CACHE'];
  if (env['XDG_CACHE_HOME']) return join(env['XDG_CACHE_HOME'], 'wasi-virt');
  try {
    const home = homedir();
    if (home) return join(home, '.cache', 'wasi-virt');
  } catch {
    // no home directory (some containers): the temp dir below
  }
  return join(tmpdir(), 'wasi-virt-cache');
}

/**
 * Make `dir` (and its parents) if needed and say whether only this user can write it: a
 * real directory (not a link), owned by us, writable by neither group nor others. What is
 * read back from a cache runs as code, so a directory another user could write (a shared
 * temp dir, a cache dir made by someone else) is not used.
 */
export function privateDir(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = lstatSync(dir);
    const uid = process.getuid?.();
    return st.isDirectory() && (uid === undefined || st.uid === uid) && (st.mode & 0o022) === 0;
  } catch {
    return false;
  }
}
