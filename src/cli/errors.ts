/**
 * Errors a person caused and can fix: the CLI prints them as one line,
 * `wasi-virt: error: <message>`, and exits 2, with no stack trace.
 *
 * Any error with `userFacing === true` counts (PolicyError and PolicyFileError from the
 * policy layer carry it), so a command can throw its own class without importing this file.
 */
export class CliError extends Error {
  readonly userFacing = true;
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

export function isUserFacing(e: unknown): e is Error {
  return e instanceof Error && (e as { userFacing?: unknown }).userFacing === true;
}

/** Exit status for every user-facing failure (bad flags, files, paths). */
export { USAGE_EXIT } from '../adapter/node/report.js';
/** Exit status for a failure of wasi-virt itself (sysexits' EX_SOFTWARE). */
export const INTERNAL_EXIT = 70;

/** Collapse a message to one line: yargs and some Node errors span several. */
export { oneLine } from '../adapter/node/report.js';
