/**
 * Errors about policy data. Every one carries the key path of the offending node, so a
 * policy file can point at the line and a builder call can name the field. They are
 * meant to be shown to a person as one line (`userFacing`), never with a stack.
 */

/** A key (table/object member) or an index (array element). */
export type PathSegment = string | number;

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

/**
 * `fs.preopens."/".dir.x.source`, `env.overrides[1][0]`: TOML's dotted-key spelling, so a
 * guest path such as `/a.b` stays unambiguous and the text can be pasted into a file.
 */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += (out === '' ? '' : '.') + (BARE_KEY.test(seg) ? seg : JSON.stringify(seg));
  }
  return out;
}

/**
 * `value`: the node at `path` has the wrong type or value.
 * `key`: the last segment of `path` is a key that must not be there (unknown, duplicate,
 * unsupported); the message names the parent and the key, and a file locates the key.
 */
export type PolicyErrorKind = 'value' | 'key';

export class PolicyError extends Error {
  readonly userFacing = true;
  constructor(
    readonly path: readonly PathSegment[],
    readonly reason: string,
    readonly kind: PolicyErrorKind = 'value',
  ) {
    super(joinPathAndReason(kind === 'key' ? path.slice(0, -1) : path, reason));
    this.name = 'PolicyError';
  }
}

export function joinPathAndReason(path: readonly PathSegment[], reason: string): string {
  return path.length === 0 ? reason : `${formatPath(path)}: ${reason}`;
}

/** A policy file that cannot be read, parsed or validated: `file:line: path: reason`. */
export class PolicyFileError extends Error {
  readonly userFacing = true;
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly reason: string,
    /** The key path of the offending node, when the file parsed. */
    readonly path?: readonly PathSegment[],
  ) {
    super(`${line === undefined ? file : `${file}:${line}`}: ${reason}`);
    this.name = 'PolicyFileError';
  }
}

/** How a value reads in an error message: `"loud"`, `12`, `an array`, `a table`. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a date-time';
  if (typeof value === 'object') return 'a table';
  return `a ${typeof value}`;
}
