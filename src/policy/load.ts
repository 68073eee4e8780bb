/**
 * Reading a policy file from disk (Node only). Paths inside the file (mount and preopen
 * host paths) are kept as written: relative ones are resolved against the working
 * directory when the policy is built or run, as WASI-Virt does, not against the file.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Policy } from './types.js';
import { PolicyFileError } from './errors.js';
import { formatFromName, parsePolicyText, type PolicyFormat } from './parse.js';

export interface LoadOptions {
  /** Override the format the file name implies (`.toml` / `.json`). */
  format?: PolicyFormat;
}

export async function loadPolicyFile(path: string, options: LoadOptions = {}): Promise<Policy> {
  const format = formatOf(path, options);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw readError(path, e);
  }
  return parsePolicyText(text, format, path);
}

export function loadPolicyFileSync(path: string, options: LoadOptions = {}): Policy {
  const format = formatOf(path, options);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw readError(path, e);
  }
  return parsePolicyText(text, format, path);
}

function formatOf(path: string, options: LoadOptions): PolicyFormat {
  const format = options.format ?? formatFromName(path);
  if (!format) throw new PolicyFileError(path, undefined, 'a policy file must end in .toml or .json');
  return format;
}

const READ_ERRORS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory, not a policy file',
  ENOTDIR: 'a parent of it is not a directory',
};

function readError(path: string, e: unknown): PolicyFileError {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  return new PolicyFileError(path, undefined, `cannot read policy file: ${READ_ERRORS[code] ?? (e as Error).message}`);
}
