/**
 * `wasi-virt inspect app.wasm [flags] [--json]`. PLACEHOLDER: the body lands with the
 * inspect issue. main.ts has already checked that `file` exists and that every mount
 * source in `policy` is readable (checkMountSources).
 */
import type { Policy } from '../policy/types.js';

export interface InspectRequest {
  file: string;
  policy: Policy;
  json: boolean;
}

export async function inspectCommand(req: InspectRequest): Promise<number> {
  void req;
  process.stderr.write('wasi-virt: inspect is not available yet\n');
  return 2;
}
