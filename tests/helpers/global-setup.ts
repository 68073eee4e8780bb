import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDist, distIsStale } from './build.js';

/**
 * Runs once per vitest run, before the workers: build dist/ if a source is newer, and give
 * the run one temp directory. Every temp dir a test makes (mkdtemp under os.tmpdir(), in
 * the workers and the processes they start) lands inside it, and it is removed when the
 * run ends, so no test can leave its files behind in the machine's temp dir (hundreds of
 * them piled up in /tmp before).
 */
export default function setup(): () => void {
  if (distIsStale()) buildDist();
  const root = mkdtempSync(join(tmpdir(), 'wasi-virt-tests-'));
  // The permission tests run children as `nobody`, who must reach its own dirs inside.
  chmodSync(root, 0o755);
  process.env['TMPDIR'] = root;
  return () => {
    try {
      rmSync(root, { recursive: true, force: true });
    } catch {
      // a test left something only root could remove: the one directory stays
    }
  };
}
