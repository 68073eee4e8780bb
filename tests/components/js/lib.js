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
