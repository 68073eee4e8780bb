// Shared by the WASI 0.3 case guests (built with componentize-qjs; QuickJS has no
// TextEncoder, TextDecoder or console). Nothing here imports a WASI interface: a guest's
// world imports only what that guest uses, so the guest passes its interfaces in.

/** A string as UTF-8 bytes. */
export function utf8(s) {
  const out = [];
  for (const ch of s) {
    const c = ch.codePointAt(0);
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return new Uint8Array(out);
}

/**
 * The payload of a failed `result` from a future or a thrown import error: the error-code
 * (an enum case as a string, or a variant's tag), or null when the result was ok.
 */
function errorOf(r) {
  if (r && typeof r === 'object' && r.tag === 'err') return code(r.val);
  return null;
}

function code(e) {
  if (e === undefined || e === null) return 'unknown';
  if (typeof e === 'string') return e;
  if (typeof e === 'object' && typeof e.tag === 'string') return e.tag;
  if (typeof e === 'object' && 'payload' in e) return code(e.payload);
  return String(e);
}

/** Await a future<result<_, error-code>>: null when ok, else the error-code. */
export async function outcome(future) {
  try {
    return errorOf(await future.read());
  } catch (e) {
    return code(e);
  }
}

/**
 * Write `bytes` through an interface's `write-via-stream` (wasi:cli/stdout or stderr) and
 * wait for its result: null when every byte was written, else the error-code. The result
 * future must be awaited, or the host may never see the bytes.
 */
export async function write(iface, bytes) {
  const { readable, writable } = wit.Stream(wit.Stream.U8);
  const done = iface.writeViaStream(readable);
  // The host reads until the writable end is dropped; only then does the result come.
  let wrote = null;
  try {
    await writable.writeAll(bytes);
  } catch (e) {
    wrote = code(e);
  }
  writable.drop();
  return (await outcome(done)) ?? wrote;
}

/**
 * What C's stdio does with a failed write: nothing (printf's result is never looked at by
 * the C twins). A denied stdout loses the text, and the guest carries on.
 */
export async function print(iface, text) {
  if (text !== '') await write(iface, utf8(text));
}

// wasi-libc maps a WASI error-code to errno, and strerror gives musl's text. The C twins
// print both; these are the numbers and texts for the codes a 0.3 guest can meet here.
const ERRNO = { io: 29, 'illegal-byte-sequence': 25, pipe: 64 };

/** The errno wasi-libc would report for a wasi:cli error-code. */
export function errno(codeName) {
  return ERRNO[codeName] ?? 29;
}

/** Bytes as one Uint8Array. */
export function concat(chunks) {
  let n = 0;
  for (const c of chunks) n += c.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

// wasi:filesystem error-codes as wasi-libc reports them: errno and musl's strerror text.
const FS = {
  access: [2, 'Permission denied'], already: [7, 'Operation already in progress'],
  'bad-descriptor': [8, 'Bad file descriptor'], busy: [10, 'Resource busy'],
  deadlock: [16, 'Resource deadlock would occur'], quota: [19, 'Quota exceeded'], exist: [20, 'File exists'],
  'file-too-large': [22, 'File too large'], 'illegal-byte-sequence': [25, 'Illegal byte sequence'],
  'in-progress': [26, 'Operation in progress'], interrupted: [27, 'Interrupted system call'],
  invalid: [28, 'Invalid argument'], io: [29, 'I/O error'], 'is-directory': [31, 'Is a directory'],
  loop: [32, 'Symbolic link loop'], 'too-many-links': [34, 'Too many links'],
  'message-size': [35, 'Message too large'], 'name-too-long': [37, 'Filename too long'],
  'no-device': [43, 'No such device'], 'no-entry': [44, 'No such file or directory'],
  'no-lock': [46, 'No locks available'], 'insufficient-memory': [48, 'Out of memory'],
  'insufficient-space': [51, 'No space left on device'], 'not-directory': [54, 'Not a directory'],
  'not-empty': [55, 'Directory not empty'], 'not-recoverable': [56, 'State not recoverable'],
  unsupported: [58, 'Not supported'], 'no-tty': [59, 'Not a tty'],
  'no-such-device': [60, 'No such device or address'], overflow: [61, 'Value too large for data type'],
  'not-permitted': [63, 'Operation not permitted'], pipe: [64, 'Broken pipe'],
  'read-only': [69, 'Read-only file system'], 'invalid-seek': [70, 'Invalid seek'],
  'text-file-busy': [74, 'Text file busy'], 'cross-device': [75, 'Cross-device link'],
};

/** A failed file-system call: `text` is "<strerror> (errno N)", as the C twins print it. */
export class FsError {
  constructor(codeName) {
    const [n, msg] = FS[codeName] ?? [29, `I/O error (${codeName})`];
    this.errno = n;
    this.text = `${msg} (errno ${n})`;
  }
}

/** Run an import that may fail with a wasi:filesystem error-code; throw it as an FsError. */
export function fs(f) {
  try {
    return f();
  } catch (e) {
    throw new FsError(code(e));
  }
}

/**
 * A guest path as wasi-libc resolves it: relative to the working directory "/", then to the
 * preopen whose name is its longest prefix (whole components); the rest, without leading
 * slashes ("." when nothing is left), is opened relative to that directory, so `..` and
 * symlinks are the host's to judge. No preopen matching: ENOENT, as wasi-libc says.
 */
export function resolve(preopens, path) {
  const abs = path.startsWith('/') ? path : `/${path}`;
  let best;
  for (const [dir, name] of preopens) {
    const prefix = name.replace(/\/+$/, '');
    const matches = prefix === '' ? true : abs === prefix || abs.startsWith(`${prefix}/`);
    if (matches && (!best || prefix.length > best[1].length)) best = [dir, prefix];
  }
  if (!best) throw new FsError('no-entry');
  const rel = abs.slice(best[1].length).replace(/^\/+/, '');
  return [best[0], rel === '' ? '.' : rel];
}

/** A file's whole contents through `read-via-stream`. */
export async function readAll(descriptor) {
  const [stream, result] = fs(() => descriptor.readViaStream(0));
  const chunks = [];
  for await (const c of stream) chunks.push(c);
  const err = await outcome(result);
  return { bytes: concat(chunks), error: err ? new FsError(err) : null };
}

/** A directory's entry names (without . and ..), sorted by bytes as strcmp does. */
export async function listNames(descriptor) {
  const [stream, result] = fs(() => descriptor.readDirectory());
  const names = [];
  for await (const e of stream) if (e.name !== '.' && e.name !== '..') names.push(e.name);
  const err = await outcome(result);
  if (err) throw new FsError(err);
  const key = (s) => Array.from(utf8(s));
  return names.sort((a, b) => {
    const x = key(a);
    const y = key(b);
    for (let i = 0; i < x.length && i < y.length; i++) if (x[i] !== y[i]) return x[i] - y[i];
    return x.length - y.length;
  });
}
