/**
 * Load the CLI program: dist/cli/program.cjs (the whole CLI as one script, built by
 * scripts/build-cli.mjs) compiled with V8's code cache, else the module tree.
 *
 * Compiling the CLI's code was most of a `wasi-virt run`'s start-up on Node 20, which has
 * no compile cache for ES modules. A vm.Script takes V8's cached data: the first run
 * compiles as usual and, once the command is done, saves what V8 compiled (the functions
 * that run used, not only the top level) under the cache directory; later runs read it
 * back. The file is keyed by the script's hash (its first line, written by the build) and
 * the Node version and architecture,
 * and V8 checks its own version and flags again, so a stale or foreign file is rejected,
 * never run. The directory must be private to this user (util/cache-dir.ts), or no cache
 * is used. `NODE_DISABLE_COMPILE_CACHE=1` turns it off, as it does Node's own.
 */
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { cacheDir, privateDir } from '../util/cache-dir.js';

type Program = typeof import('./program.js');

export interface LoadedProgram {
  main: Program['main'];
  /** Save the compiled code for the next run, if this run had none (never throws). */
  saveCache(): void;
}

const SCRIPT = fileURLToPath(new URL('./program.cjs', import.meta.url));

export async function loadProgram(): Promise<LoadedProgram> {
  let source: string;
  try {
    source = readFileSync(SCRIPT, 'utf8');
  } catch {
    // A build without the script (tsc alone): the modules, with Node's own cache if any.
    const { main } = await import('./program.js');
    return { main, saveCache: () => {} };
  }
  const cacheFile = codeCacheFile(source);
  let cachedData: Buffer | undefined;
  if (cacheFile) {
    try {
      if (statSync(cacheFile).uid === (process.getuid?.() ?? -1) || !process.getuid) cachedData = readFileSync(cacheFile);
    } catch {
      // no cache yet
    }
  }
  // The CommonJS wrapper, plus the loader's own import() for util/import-module.ts and the
  // script's directory under a name no bundled module declares (yargs declares __dirname).
  const wrapped = `(function (exports, require, module, __filename, __dirname, __wasiVirtImport, __wasiVirtDir) {${source}\n})`;
  const script = new Script(wrapped, { filename: SCRIPT, ...(cachedData ? { cachedData } : {}) });
  const mod = { exports: {} as Program };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  const dir = dirname(SCRIPT);
  run(mod.exports, createRequire(SCRIPT), mod, SCRIPT, dir, (specifier: string) => import(specifier), dir);
  const needsCache = cacheFile !== undefined && (cachedData === undefined || script.cachedDataRejected === true);
  return {
    main: mod.exports.main,
    saveCache: () => {
      if (!needsCache) return;
      try {
        const tmp = `${cacheFile}.${process.pid}.tmp`;
        writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
        renameSync(tmp, cacheFile);
      } catch {
        // a read-only or full cache directory: the next run compiles again
      }
    },
  };
}

/** The cache file for this script on this Node, or undefined when caching is off or unsafe. */
function codeCacheFile(source: string): string | undefined {
  if (process.env['NODE_DISABLE_COMPILE_CACHE']) return undefined;
  const dir = join(cacheDir(), 'cli-code');
  if (!privateDir(dir)) return undefined;
  const key = /^\/\/ wasi-virt-cli ([0-9a-f]{32})\n/.exec(source)?.[1];
  if (!key) return undefined;
  return join(dir, `${key}-${process.version}-${process.arch}.v8`);
}
