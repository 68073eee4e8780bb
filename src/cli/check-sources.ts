/**
 * Host paths a command reads, checked before it starts so a typo is one clear line
 * rather than a failure halfway through a build. `wasi-virt policy` does not call these:
 * printing a policy touches no files but the `--config` one.
 */
import { closeSync, openSync, opendirSync, statSync, type Stats } from 'node:fs';
import { resolve } from 'node:path';
import type { FsEntry, Policy } from '../policy/types.js';
import { nestedKey } from '../policy/guest-path.js';
import { hostReason } from '../util/host-error.js';
import { CliError } from './errors.js';

export interface CheckOptions {
  /** Also check `runtime-dir` / `runtime-file` sources (for `run`, which opens them now). */
  runtime?: boolean;
  /** Where relative host paths are resolved; default the process's working directory. */
  cwd?: string;
}

/** The program to run, compose or inspect: an existing, readable file. */
export function checkAppFile(file: string, cwd = process.cwd()): void {
  const st = statOrThrow(resolve(cwd, file), `app file "${file}"`);
  if (!st.isFile()) throw new CliError(`app file "${file}" is not a file`);
  readable(resolve(cwd, file), false, `app file "${file}"`);
}

/**
 * Every `virtualize` source (a `--mount`) exists and can be read; a file may be mounted at
 * an absolute guest path (the directories above it are synthesized), not at a relative
 * preopen name. With `runtime`, every `runtime-dir` / `runtime-file` too.
 */
export function checkMountSources(policy: Policy, options: CheckOptions = {}): void {
  const cwd = options.cwd ?? process.cwd();
  const visit = (guest: string, entry: FsEntry, root: boolean): void => {
    if ('dir' in entry) {
      for (const [name, child] of Object.entries(entry.dir)) visit(nestedKey(guest, [name]), child, false);
      return;
    }
    if ('virtualize' in entry) {
      const host = typeof entry.virtualize === 'string' ? entry.virtualize : entry.virtualize.path;
      source(cwd, host, `mount "${guest}"`, root && (guest === '/' || !guest.startsWith('/')) ? 'dir' : 'any');
    } else if (options.runtime && 'runtime-dir' in entry) {
      const rd = entry['runtime-dir'];
      source(cwd, typeof rd === 'string' ? rd : rd.path, `preopen "${guest}"`, 'dir');
    } else if (options.runtime && 'runtime-file' in entry) {
      source(cwd, entry['runtime-file'], `"${guest}"`, 'file');
    }
  };
  for (const [guest, entry] of Object.entries(policy.fs?.preopens ?? {})) visit(guest, entry, true);
}

function source(cwd: string, host: string, what: string, kind: 'dir' | 'file' | 'any'): void {
  const full = resolve(cwd, host);
  const st = statOrThrow(full, `${what}: host path "${host}"`);
  if (kind === 'dir' && !st.isDirectory()) throw new CliError(`${what}: host path "${host}" is not a directory`);
  if (kind === 'file' && !st.isFile()) throw new CliError(`${what}: host path "${host}" is not a file`);
  readable(full, st.isDirectory(), `${what}: host path "${host}"`);
}

function statOrThrow(path: string, what: string): Stats {
  try {
    return statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new CliError(`${what} does not exist`);
    if (code === 'EACCES' || code === 'EPERM') throw new CliError(`${what} cannot be read (permission denied)`);
    throw new CliError(`${what} cannot be read (${code ?? (e as Error).message})`);
  }
}

/** Open (and for a directory, list) it: access(2) says yes to root even where reading fails. */
function readable(path: string, dir: boolean, what: string): void {
  try {
    if (dir) {
      const d = opendirSync(path);
      try {
        d.readSync();
      } finally {
        d.closeSync();
      }
    } else closeSync(openSync(path, 'r'));
  } catch (e) {
    throw new CliError(`${what} cannot be read (${hostReason(e)})`);
  }
}
