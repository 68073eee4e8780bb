/**
 * Tests that spawn the CLI or a composed bundle need dist/. `npm test` builds it first
 * (pretest); for `npx vitest run <file>` the global setup (tests/helpers/global-setup.ts)
 * rebuilds it once, before any worker starts, when a source is newer than the output.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
/** The package's bin (scripts/build-one-script.mjs), what the tests spawn. */
export const MAIN = join(ROOT, 'dist', 'cli', 'main.cjs');
/** tsc's output of src/cli/main.ts, for the staleness check. */
const TSC_MAIN = join(ROOT, 'dist', 'cli', 'main.js');

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** The esbuild outputs (scripts/build-web.mjs, scripts/build-one-script.mjs), written after tsc's, in that order. */
const WEB = join(ROOT, 'dist', 'inline', 'module.js');
const ONE_SCRIPT = join(ROOT, 'dist', 'one-script', 'wasi.cjs');

export function distIsStale(): boolean {
  const [built, web, one] = [TSC_MAIN, WEB, ONE_SCRIPT].map((f) => statSync(f, { throwIfNoEntry: false }));
  return !built || !web || !one || built.mtimeMs < newest(join(ROOT, 'src')) || web.mtimeMs < built.mtimeMs || one.mtimeMs < web.mtimeMs;
}

export function buildDist(): void {
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.json')], { stdio: 'inherit' });
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-web.mjs')], { stdio: 'inherit' });
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-one-script.mjs')], { stdio: 'inherit' });
}

/** Kept for test files written before the global setup: dist/ is already fresh here. */
export function ensureBuilt(): void {
  if (distIsStale()) throw new Error('dist/ is older than src/: the vitest global setup should have built it');
}
