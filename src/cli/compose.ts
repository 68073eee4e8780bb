/**
 * `wasi-virt [app.wasm] [flags] -o out`: write a runnable bundle of the app (or, without
 * one, the virtual adapter) to `out`. main.ts has already checked that `file` (when
 * given) exists and that every mount source in `policy` is readable. Bad input throws a
 * user-facing error: main prints it as one line and exits 2.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { Policy } from '../policy/types.js';
import { composeBundle } from '../compose/bundle.js';
import { CliError } from './errors.js';

export interface ComposeRequest {
  file?: string;
  policy: Policy;
  out: string;
  debug: boolean;
}

export async function composeCommand(req: ComposeRequest): Promise<number> {
  const app = req.file === undefined ? undefined : { file: req.file, bytes: readAppFile(req.file) };
  const result = await composeBundle({ app, policy: req.policy, out: req.out, debug: req.debug });
  const entry = relative(process.cwd(), result.entry) || result.entry;
  const what = result.kind === 'adapter' ? 'the virtual adapter' : `${result.kind === 'module' ? 'core module' : 'component'} ${req.file}`;
  const files = result.mounts.reduce((n, m) => n + m.files, 0);
  const mounts = result.mounts.length === 0 ? '' : `, ${plural(result.mounts.length, 'mount')} (${plural(files, 'file')}, ${
    size(result.mounts.reduce((n, m) => n + m.contentBytes, 0))})`;
  const lines = [`wrote ${entry}: ${what}${mounts}; ${plural(result.files.length, 'file')}, ${size(result.totalBytes)}`];
  if (result.kind !== 'adapter') lines.push(`run it: node ${entry} [args]`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

function plural(n: number, what: string): string {
  return `${n.toLocaleString('en-US')} ${what}${n === 1 ? '' : 's'}`;
}

function size(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(1)} ${units[u]}`;
}


/** The app a command was given (main.ts checked it exists; it can still vanish or be unreadable). */
export function readAppFile(file: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(file));
  } catch (e) {
    const code = (e as { code?: string }).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a directory'
      : code === 'EACCES' || code === 'EPERM' ? 'cannot be read (permission denied)' : `cannot be read (${code ?? (e as Error).message})`;
    throw new CliError(`app file "${file}" ${why}`);
  }
}
