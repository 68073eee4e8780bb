/**
 * The one error enum. Every failure anywhere in the virtual host is one of these codes;
 * the preview1 face turns it into an errno number, the preview2 face into a
 * `wasi:filesystem` `error-code` name. Names are preview1's (a superset of preview2's).
 */

/** preview1 errno numbers, in witx order. */
export const ERRNO = {
  success: 0, '2big': 1, acces: 2, addrinuse: 3, addrnotavail: 4, afnosupport: 5, again: 6,
  already: 7, badf: 8, badmsg: 9, busy: 10, canceled: 11, child: 12, connaborted: 13,
  connrefused: 14, connreset: 15, deadlk: 16, destaddrreq: 17, dom: 18, dquot: 19, exist: 20,
  fault: 21, fbig: 22, hostunreach: 23, idrm: 24, ilseq: 25, inprogress: 26, intr: 27, inval: 28,
  io: 29, isconn: 30, isdir: 31, loop: 32, mfile: 33, mlink: 34, msgsize: 35, multihop: 36,
  nametoolong: 37, netdown: 38, netreset: 39, netunreach: 40, nfile: 41, nobufs: 42, nodev: 43,
  noent: 44, noexec: 45, nolck: 46, nolink: 47, nomem: 48, nomsg: 49, noprotoopt: 50, nospc: 51,
  nosys: 52, notconn: 53, notdir: 54, notempty: 55, notrecoverable: 56, notsock: 57, notsup: 58,
  notty: 59, nxio: 60, overflow: 61, ownerdead: 62, perm: 63, pipe: 64, proto: 65,
  protonosupport: 66, prototype: 67, range: 68, rofs: 69, spipe: 70, srch: 71, stale: 72,
  timedout: 73, txtbsy: 74, xdev: 75, notcapable: 76,
} as const;

export type ErrnoName = keyof typeof ERRNO;
/** A failure: every errno but success. */
export type ErrorCode = Exclude<ErrnoName, 'success'>;

/** `wasi:filesystem/types.error-code` of WASI 0.2. */
export type Preview2ErrorCode =
  | 'access' | 'would-block' | 'already' | 'bad-descriptor' | 'busy' | 'deadlock' | 'quota'
  | 'exist' | 'file-too-large' | 'illegal-byte-sequence' | 'in-progress' | 'interrupted'
  | 'invalid' | 'io' | 'is-directory' | 'loop' | 'too-many-links' | 'message-size'
  | 'name-too-long' | 'no-device' | 'no-entry' | 'no-lock' | 'insufficient-memory'
  | 'insufficient-space' | 'not-directory' | 'not-empty' | 'not-recoverable' | 'unsupported'
  | 'no-tty' | 'no-such-device' | 'overflow' | 'not-permitted' | 'pipe' | 'read-only'
  | 'invalid-seek' | 'text-file-busy' | 'cross-device';

/**
 * The inverse of the preview1 component adapter's error-code → errno table, so a code
 * survives preview2 → adapter → preview1 unchanged. Codes preview2 lacks map to the nearest.
 */
const TO_PREVIEW2: Partial<Record<ErrorCode, Preview2ErrorCode>> = {
  acces: 'access', again: 'would-block', already: 'already', badf: 'bad-descriptor', busy: 'busy',
  deadlk: 'deadlock', dquot: 'quota', exist: 'exist', fbig: 'file-too-large',
  ilseq: 'illegal-byte-sequence', inprogress: 'in-progress', intr: 'interrupted', inval: 'invalid',
  io: 'io', isdir: 'is-directory', loop: 'loop', mlink: 'too-many-links', msgsize: 'message-size',
  nametoolong: 'name-too-long', nodev: 'no-device', noent: 'no-entry', nolck: 'no-lock',
  nomem: 'insufficient-memory', nospc: 'insufficient-space', notdir: 'not-directory',
  notempty: 'not-empty', notrecoverable: 'not-recoverable', notsup: 'unsupported', notty: 'no-tty',
  nxio: 'no-such-device', overflow: 'overflow', perm: 'not-permitted', pipe: 'pipe',
  rofs: 'read-only', spipe: 'invalid-seek', txtbsy: 'text-file-busy', xdev: 'cross-device',
  // No preview2 equivalent: the closest meaning.
  notcapable: 'not-permitted', nosys: 'unsupported', fault: 'invalid', '2big': 'invalid',
  range: 'invalid', notsock: 'bad-descriptor', mfile: 'insufficient-memory',
  nfile: 'insufficient-memory', nobufs: 'insufficient-memory', timedout: 'would-block',
};

export function toErrno(code: ErrorCode): number {
  return ERRNO[code];
}

export function toPreview2(code: ErrorCode): Preview2ErrorCode {
  return TO_PREVIEW2[code] ?? 'io';
}

const FROM_PREVIEW2 = new Map<Preview2ErrorCode, ErrorCode>();
for (const [p1, p2] of Object.entries(TO_PREVIEW2) as [ErrorCode, Preview2ErrorCode][]) {
  if (!FROM_PREVIEW2.has(p2)) FROM_PREVIEW2.set(p2, p1);
}
export function fromPreview2(code: Preview2ErrorCode): ErrorCode {
  return FROM_PREVIEW2.get(code) ?? 'io';
}

/**
 * A failure inside the virtual host. Deliberately not an `Error`: it is thrown on hot
 * paths (a missing file in a search loop) where capturing a stack costs more than the
 * call itself. `detail` says why, for traces and for people.
 */
export class WasiError {
  constructor(
    readonly code: ErrorCode,
    readonly detail?: string,
  ) {}
  get message(): string {
    return this.detail ? `${this.code}: ${this.detail}` : this.code;
  }
  toString(): string {
    return `WasiError(${this.message})`;
  }
}

export function fail(code: ErrorCode, detail?: string): never {
  throw new WasiError(code, detail);
}

/** Node's `err.code` strings to ours, for host-backed handles. */
const FROM_NODE: Record<string, ErrorCode> = {
  E2BIG: '2big', EACCES: 'acces', EADDRINUSE: 'addrinuse', EADDRNOTAVAIL: 'addrnotavail',
  EAFNOSUPPORT: 'afnosupport', EAGAIN: 'again', EWOULDBLOCK: 'again', EALREADY: 'already',
  EBADF: 'badf', EBUSY: 'busy', ECANCELED: 'canceled', ECONNABORTED: 'connaborted',
  ECONNREFUSED: 'connrefused', ECONNRESET: 'connreset', EDEADLK: 'deadlk', EDQUOT: 'dquot',
  EEXIST: 'exist', EFAULT: 'fault', EFBIG: 'fbig', EHOSTUNREACH: 'hostunreach', EILSEQ: 'ilseq',
  EINPROGRESS: 'inprogress', EINTR: 'intr', EINVAL: 'inval', EIO: 'io', EISCONN: 'isconn',
  EISDIR: 'isdir', ELOOP: 'loop', EMFILE: 'mfile', EMLINK: 'mlink', EMSGSIZE: 'msgsize',
  ENAMETOOLONG: 'nametoolong', ENETDOWN: 'netdown', ENETUNREACH: 'netunreach', ENFILE: 'nfile',
  ENOBUFS: 'nobufs', ENODEV: 'nodev', ENOENT: 'noent', ENOEXEC: 'noexec', ENOMEM: 'nomem',
  ENOSPC: 'nospc', ENOSYS: 'nosys', ENOTCONN: 'notconn', ENOTDIR: 'notdir', ENOTEMPTY: 'notempty',
  ENOTSOCK: 'notsock', ENOTSUP: 'notsup', EOPNOTSUPP: 'notsup', ENOTTY: 'notty', ENXIO: 'nxio',
  EOVERFLOW: 'overflow', EPERM: 'perm', EPIPE: 'pipe', ERANGE: 'range', EROFS: 'rofs',
  ESPIPE: 'spipe', ESRCH: 'srch', ESTALE: 'stale', ETIMEDOUT: 'timedout', ETXTBSY: 'txtbsy',
  EXDEV: 'xdev',
};

/** Turn anything a host call threw into a WasiError (unknown failures become `io`). */
export function fromHostError(err: unknown): WasiError {
  if (err instanceof WasiError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code in FROM_NODE) return new WasiError(FROM_NODE[code]!, String((err as Error).message ?? code));
  return new WasiError('io', String((err as Error)?.message ?? err));
}
