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
import { countOf, formatBytes } from '../util/format.js';

export interface ComposeRequest {
  file?: string;
  policy: Policy;
  out: string;
  debug: boolean;
  /** One self-contained ES module instead of a directory of files. */
  inline?: boolean;
}

export async function composeCommand(req: ComposeRequest): Promise<number> {
  const app = req.file === undefined ? undefined : { file: req.file, bytes: readAppFile(req.file) };
  const result = await composeBundle({ app, policy: req.policy, out: req.out, debug: req.debug, inline: req.inline ?? false });
  const entry = relative(process.cwd(), result.entry) || result.entry;
  const what = result.kind === 'adapter' ? 'the virtual adapter' : `${result.kind === 'module' ? 'core module' : 'component'} ${req.file}`;
  const files = result.mounts.reduce((n, m) => n + m.files, 0);
  const mounts = result.mounts.length === 0 ? '' : `, ${countOf(result.mounts.length, 'mount')} (${countOf(files, 'file')}, ${
    formatBytes(result.mounts.reduce((n, m) => n + m.contentBytes, 0))})`;
  const lines = [`wrote ${entry}: ${what}${mounts}; ${countOf(result.files.length, 'file')}, ${formatBytes(result.totalBytes)}${stdioNote(req.policy)}`];
  if (result.kind !== 'adapter') lines.push(`run it: node ${entry} [args]`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

/** Compose denies stdio by default, so a bundle that prints nothing says why on the summary line. */
function stdioNote(policy: Policy): string {
  const stdio = policy.stdio;
  if (!stdio) return '';
  const shut = (['stdin', 'stdout', 'stderr'] as const).filter((s) => stdio[s] !== 'allow');
  if (shut.length === 0) return '';
  if (shut.length === 3 && stdio.stdin === stdio.stdout && stdio.stdout === stdio.stderr) {
    return `; stdio is ${stdio.stdout === 'deny' ? 'denied' : 'ignored'}, so the app prints nothing (--allow-stdio allows it)`;
  }
  return `; ${shut.map((s) => `${s} = ${stdio[s]}`).join(', ')} (${shut.map((s) => `--${s}=allow`).join(' ')} allows ${shut.length > 1 ? 'them' : 'it'})`;
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
