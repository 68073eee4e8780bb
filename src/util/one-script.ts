/**
 * Load an entry of this package built as one script (scripts/build-one-script.mjs:
 * dist/one-script/*.cjs) with V8's code cache.
 *
 * Compiling ~50-100 ES modules was most of the cost of `import('wasi-virt')` and of a
 * `wasi-virt run` on Node 20, which has no compile cache for ES modules. A vm.Script takes
 * V8's cached data: the first load compiles as usual and `saveCache` keeps what V8 has
 * compiled by then (the CLI saves after its command, so the functions that run used are
 * in it; a library entry right after loading); later loads read it back. The file is keyed
 * by the script's hash (its first line, written by the build) and the Node version and
 * architecture, and V8 checks its own version and flags again; a file V8 rejects is
 * replaced, never run. The cache directory must be private to this user
 * (util/cache-dir.ts), or no cache is used. `NODE_DISABLE_COMPILE_CACHE=1` turns it off,
 * as it does Node's own.
 *
 * The builtins are taken with process.getBuiltinModule: an ES `import` of node:fs builds
 * its whole export list, which loads Node's stream modules, a few ms of every start.
 */
import { cacheDir, privateDir } from './cache-dir.js';

const fs = process.getBuiltinModule('node:fs');
const path = process.getBuiltinModule('node:path');

export interface OneScript<T> {
  exports: T;
  /** Save what V8 has compiled for the next load, if this load had no usable cache (never throws). */
  saveCache(): void;
}

/** Load `file` (a dist/one-script/*.cjs), or undefined when the build has none. */
export function loadOneScript<T>(file: string): OneScript<T> | undefined {
  let source: string;
  try {
    source = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const cacheFile = codeCacheFile(source);
  let cachedData: Buffer | undefined;
  if (cacheFile) {
    try {
      if (fs.statSync(cacheFile).uid === (process.getuid?.() ?? 0)) cachedData = fs.readFileSync(cacheFile);
    } catch {
      // no cache yet
    }
  }
  const { Script } = process.getBuiltinModule('node:vm');
  const { createRequire } = process.getBuiltinModule('node:module');
  // The CommonJS wrapper, plus the loader's own import() for util/import-module.ts and the
  // script's directory under a name no bundled module declares (yargs declares __dirname).
  const wrapped = `(function (exports, require, module, __filename, __dirname, __wasiVirtImport, __wasiVirtDir) {${source}\n})`;
  const script = new Script(wrapped, { filename: file, ...(cachedData ? { cachedData } : {}) });
  const mod = { exports: {} as T };
  const dir = path.dirname(file);
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run(mod.exports, createRequire(file), mod, file, dir, (specifier: string) => import(specifier), dir);
  let needsCache = cacheFile !== undefined && (cachedData === undefined || script.cachedDataRejected === true);
  return {
    exports: mod.exports,
    saveCache: () => {
      if (!needsCache || !cacheFile) return;
      needsCache = false;
      try {
        const tmp = `${cacheFile}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
        fs.renameSync(tmp, cacheFile);
      } catch {
        // a read-only or full cache directory: the next load compiles again
      }
    },
  };
}

/** The cache file for this script on this Node, or undefined when caching is off or unsafe. */
function codeCacheFile(source: string): string | undefined {
  if (process.env['NODE_DISABLE_COMPILE_CACHE']) return undefined;
  const key = /^\/\/ wasi-virt [\w-]+ ([0-9a-f]{32})\n/.exec(source)?.[1];
  if (!key) return undefined;
  const dir = path.join(cacheDir(), 'code');
  if (!privateDir(dir)) return undefined;
  return path.join(dir, `${key}-${process.version}-${process.arch}.v8`);
}
