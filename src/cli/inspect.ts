/**
 * `wasi-virt inspect app.wasm [flags] [--json]`: the app's imports, what the policy does
 * with each, the mounts' snapshots and whether anything reaches the host. main.ts has
 * already checked that `file` exists and that every mount source is readable.
 */
import { basename } from 'node:path';
import type { Policy } from '../policy/types.js';
import { appBinary } from '../util/app.js';
import { formatReport, inspectApp } from '../inspect/report.js';
import { buildMounts } from '../compose/snapshots.js';
import { readAppFile } from './compose.js';

export interface InspectRequest {
  file: string;
  policy: Policy;
  json: boolean;
}

export async function inspectCommand(req: InspectRequest): Promise<number> {
  const bin = await appBinary(readAppFile(req.file), basename(req.file));
  const mounts = buildMounts(req.policy, { explain: true }).map((m) => m.summary);
  const report = await inspectApp({ file: req.file, kind: bin.kind, bytes: bin.bytes, policy: req.policy, mounts });
  process.stdout.write(req.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
  return 0;
}
