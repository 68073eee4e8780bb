/**
 * Setting file times with nanosecond precision from Node.
 *
 * Node's utimes family takes double seconds and libuv (1.46, Node 20) keeps only whole
 * microseconds of them, and Node turns a negative time into "now". Neither can express
 * UTIME_OMIT (leave one time as it is). So: when every value that must be exact has a
 * double that survives libuv's conversion, one futimes/lutimes call does it (checked by a
 * stat afterwards, so a libuv that converts differently is caught, not trusted); otherwise
 * touch(1) sets the exact value with `-d @SEC.NSEC`, on the very fd we hold (passed as the
 * child's stdin and named `/proc/self/fd/0`), one time field per call so an omitted field
 * stays untouched. That costs a process spawn (1.6-4 ms here), only for sub-microsecond values,
 * pre-1970 values and single-field updates of a file whose other time has nanoseconds.
 */
import fs from 'node:fs';
import { fail } from '../errors.js';
import type { TimeChange } from '../handle.js';

const NS = 1_000_000_000n;

/** The time libuv stores for `seconds` (>= 0): truncated to whole microseconds. */
export function uvNanos(seconds: number): bigint {
  const sec = Math.trunc(seconds);
  let nsec = Math.trunc((seconds - sec) * 1e9);
  nsec -= nsec % 1000;
  return BigInt(sec) * NS + BigInt(nsec);
}

/** A double that Node and libuv turn into exactly `ns`, or undefined when there is none. */
export function exactSeconds(ns: bigint): number | undefined {
  if (ns < 0n || ns % 1000n !== 0n) return undefined;
  const sec = Number(ns / NS);
  const frac = Number(ns % NS);
  if (!Number.isSafeInteger(sec)) return undefined;
  // Aim inside the microsecond so rounding to the nearest double cannot fall below it.
  for (const bias of [500, 250, 750, 0]) {
    const d = sec + (frac + bias) / 1e9;
    if (uvNanos(d) === ns) return d;
  }
  return undefined;
}

export interface TimesTarget {
  /** Current times (lstat for a path target, fstat for an fd). */
  current(): { atimeNs: bigint; mtimeNs: bigint };
  /** futimes / lutimes with double seconds. */
  viaNode(atime: number, mtime: number): void;
  /** How touch(1) names the object: a path, the fd given to it as stdin, and whether -h. */
  touch(): { path: string; stdin?: number; noDereference: boolean };
}

interface Wanted {
  ns: bigint;
  /** Must land exactly (a value the guest gave, or one that must stay unchanged). */
  exact: boolean;
}

export function applyTimes(target: TimesTarget, atim: TimeChange, mtim: TimeChange): void {
  if (atim === undefined && mtim === undefined) return;
  const now = BigInt(Date.now()) * 1_000_000n;
  let cur: { atimeNs: bigint; mtimeNs: bigint } | undefined;
  const want = (t: TimeChange, key: 'atimeNs' | 'mtimeNs'): Wanted => {
    if (t === 'now') return { ns: now, exact: false };
    if (t === undefined) return { ns: (cur ??= target.current())[key], exact: true };
    return { ns: t, exact: true };
  };
  const a = want(atim, 'atimeNs');
  const m = want(mtim, 'mtimeNs');
  const da = a.exact ? exactSeconds(a.ns) : Number(a.ns) / 1e9;
  const dm = m.exact ? exactSeconds(m.ns) : Number(m.ns) / 1e9;
  if (da !== undefined && dm !== undefined) {
    target.viaNode(da, dm);
    if (!a.exact && !m.exact) return;
    const after = target.current();
    if ((!a.exact || after.atimeNs === a.ns) && (!m.exact || after.mtimeNs === m.ns)) return;
  }
  if (!touchTimes(target, atim, mtim)) {
    // No touch(1) on this host: the nearest time Node can set (whole microseconds).
    target.viaNode(Math.max(0, Number(a.ns) / 1e9), Math.max(0, Number(m.ns) / 1e9));
  }
}

let touchBin: string | null | undefined;

function findTouch(): string | null {
  if (touchBin !== undefined) return touchBin;
  touchBin = null;
  for (const p of ['/usr/bin/touch', '/bin/touch']) {
    if (fs.existsSync(p)) return (touchBin = p);
  }
  return touchBin;
}

/** `@SEC.NSEC` as GNU date reads it: the sign applies to the whole value. */
export function touchStamp(ns: bigint): string {
  const neg = ns < 0n;
  const abs = neg ? -ns : ns;
  return `@${neg ? '-' : ''}${abs / NS}.${(abs % NS).toString().padStart(9, '0')}`;
}

/** Set the times with touch(1); false when touch is not available. */
function touchTimes(target: TimesTarget, atim: TimeChange, mtim: TimeChange): boolean {
  const bin = findTouch();
  if (bin === null) return false;
  // touch -c says nothing when the object is missing: make that noent here.
  target.current();
  const { path, stdin, noDereference } = target.touch();
  const base = noDereference ? ['-c', '-h'] : ['-c'];
  const run = (fields: string[], t: bigint | 'now'): void => {
    const args = [...base, ...fields, ...(t === 'now' ? [] : ['-d', touchStamp(t)]), '--', path];
    try {
      // Loaded here, on the rare path that spawns: child_process costs every start-up that imports it.
      const { execFileSync } = process.getBuiltinModule('node:child_process');
      execFileSync(bin, args, {
        stdio: [stdin ?? 'ignore', 'ignore', 'pipe'],
        env: { LC_ALL: 'C' },
      });
    } catch (e) {
      fail(touchError(String((e as { stderr?: unknown }).stderr ?? '')), 'setting file times failed');
    }
  };
  if (atim !== undefined && mtim !== undefined && atim === mtim) {
    run([], atim);
  } else {
    if (atim !== undefined) run(['-a'], atim);
    if (mtim !== undefined) run(['-m'], mtim);
  }
  return true;
}

function touchError(stderr: string) {
  if (stderr.includes('No such file')) return 'noent' as const;
  if (stderr.includes('Permission denied')) return 'acces' as const;
  if (stderr.includes('Operation not permitted')) return 'perm' as const;
  if (stderr.includes('Read-only file system')) return 'rofs' as const;
  if (stderr.includes('Not a directory')) return 'notdir' as const;
  if (stderr.includes('Too many levels')) return 'loop' as const;
  if (stderr.includes('Invalid argument') || stderr.includes('invalid date')) return 'inval' as const;
  return 'io' as const;
}
