/**
 * PLACEHOLDER: running a preview2 component lands with the preview2 issue (branch
 * `preview2` replaces this file's body, keeping the signature).
 */
import type { RunRequest } from './run.js';

export async function runComponentCommand(req: RunRequest, _bytes: Uint8Array): Promise<number> {
  process.stderr.write(`wasi-virt: ${req.file} is a component; running components is not available in this build yet\n`);
  return 2;
}
