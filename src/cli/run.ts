/**
 * `wasi-virt run app.wasm [flags] [-- guest args]`. PLACEHOLDER: the body lands with the
 * run issue. main.ts has already checked that `file` exists and that every mount and
 * preopen source in `policy` is readable (checkMountSources).
 */
import { readFileSync } from 'node:fs';
import type { Policy } from '../policy/types.js';

export interface RunRequest {
  file: string;
  policy: Policy;
  /** Arguments after the app (and after `--`); argv[0] is `policy.args?.[0] ?? file`. */
  guestArgs: string[];
  debug: boolean;
}

/** Returns the process exit code (the guest's, or 2 when wasi-virt refuses). */
export async function runCommand(req: RunRequest): Promise<number> {
  const bytes = new Uint8Array(readFileSync(req.file));
  // Components carry layer 1 in the version field (0d 00 01 00); core modules layer 0.
  if (bytes[4] === 0x0d && bytes[6] === 0x01) {
    const { runComponentCommand } = await import('./run-component.js');
    return runComponentCommand(req, bytes);
  }
  process.stderr.write('wasi-virt: running core modules is not available yet\n');
  return 2;
}
