/**
 * `wasi-virt run app.wasm [flags] [-- guest args]`. PLACEHOLDER: the body lands with the
 * run issue. main.ts has already checked that `file` exists and that every mount and
 * preopen source in `policy` is readable (checkMountSources).
 */
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
  void req;
  process.stderr.write('wasi-virt: run is not available yet\n');
  return 2;
}
