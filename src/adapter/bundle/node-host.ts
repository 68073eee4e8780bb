/**
 * A bundle under Node, Deno or Bun: its files read with node:fs, the CLI's host platform,
 * and `node out/<name>.js` reporting how the run ended as `wasi-virt run` does.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isMainThread } from 'node:worker_threads';
import { hostPlatform } from '../node/host-platform.js';
import { reportFailure } from '../node/report.js';
import type { RuntimeHost } from './host.js';

export function nodeHost(): RuntimeHost {
  return {
    name: 'node',
    platform: () => hostPlatform(),
    read: async (url) => readFileSync(url),
    readSync: (url) => readFileSync(url),
    // A worker sees the parent's argv (and may say import.meta.main): a bundle loaded there
    // (a timed run) is never the program.
    isMain: (url, main) => isMainThread && (main ?? isMainModule(url)),
    inWorker: () => !isMainThread,
    async main(name, debug, run, end) {
      try {
        const { code } = await run(process.argv.slice(2));
        process.exitCode = code;
      } catch (err) {
        process.exitCode = reportFailure(err, name, debug);
      }
      // The guest's output is written by now (the kernel flushed it when the run ended).
      if (end) process.exit();
    },
  };
}

/** Whether the module at `url` is the script Node was started with (`node out/x.js`; Node < 24 has no import.meta.main). */
function isMainModule(url: string): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    const self = realpathSync(fileURLToPath(url));
    for (const candidate of [script, `${script}.js`, `${script}.mjs`]) {
      try {
        if (realpathSync(candidate) === self) return true;
      } catch {
        // not this spelling
      }
    }
  } catch {
    return false;
  }
  return false;
}
