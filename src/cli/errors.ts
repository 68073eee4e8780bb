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

/**
 * Exit status for every user-facing failure (bad flags, files, paths), and for a failure
 * of wasi-virt itself (sysexits' EX_SOFTWARE); kernel/ending.ts defines them for runs too.
 */
export { INTERNAL_EXIT, USAGE_EXIT, isUserFacing } from '../adapter/kernel/ending.js';

/** Collapse a message to one line: yargs and some Node errors span several. */
export { oneLine } from '../adapter/node/report.js';
