/**
 * A misspelled command or flag, named before yargs sees it: yargs would read
 * `run --alow-fs x.wasm` as a flag taking `x.wasm` (then "missing the app file") and
 * `runn x.wasm` as the default command's app plus an unexpected argument.
 */
import { existsSync } from 'node:fs';
import { nearest } from '../util/suggest.js';
import { usageMessage } from './argv.js';
import { CliError } from './errors.js';
import { COMMANDS, flagNames, type Chosen } from './options.js';

export function checkWords(raw: readonly string[]): void {
  const end = raw.indexOf('--');
  const words = end < 0 ? raw : raw.slice(0, end);
  const first = words[0];
  // yargs takes flags before the command too (`--debug run app.wasm`).
  const command: Chosen['command'] = (words.find((w) => (COMMANDS as readonly string[]).includes(w)) as Chosen['command'] | undefined) ?? 'compose';
  if (command === 'compose' && first !== undefined && !first.startsWith('-') && looksLikeCommand(first)) {
    const near = nearest(first, COMMANDS);
    if (near) throw new CliError(`unknown command ${first} (did you mean ${near}?)`);
  }
  const known = flagNames(command);
  for (const w of words) {
    if (!w.startsWith('--') || w === '--') continue;
    const name = w.slice(2).split('=')[0]!;
    if (known.includes(name)) continue;
    const near = nearest(name, known);
    throw new CliError(near ? `unknown flag --${name} (did you mean --${near}?)` : usageMessage(`Unknown argument: ${name}`, raw));
  }
}

/** A bare word that is no file and has no extension or slash: meant as a command, not an app. */
function looksLikeCommand(word: string): boolean {
  return !/[./\\]/.test(word) && !existsSync(word);
}
