/**
 * `wasi-virt [app.wasm] [flags] -o out`. PLACEHOLDER: the body lands with the compose
 * issue. main.ts has already checked that `file` (when given) exists and that every
 * mount source in `policy` is readable (checkMountSources).
 */
import type { Policy } from '../policy/types.js';

export interface ComposeRequest {
  file?: string;
  policy: Policy;
  out: string;
  debug: boolean;
}

export async function composeCommand(req: ComposeRequest): Promise<number> {
  void req;
  process.stderr.write('wasi-virt: compose is not available yet\n');
  return 2;
}
