/**
 * What an app file holds: a core module, a component, or WAT text (compiled here to a
 * core module). Platform-neutral: the caller reads the file.
 */
import { looksLikeWat, watToWasm } from './wat.js';

export type BinaryKind = 'module' | 'component' | 'unknown';

const MAGIC = [0x00, 0x61, 0x73, 0x6d];

/** From the 8-byte header: magic, then version 1 (core) or 0x0d 0x00 layer 1 (component). */
export function binaryKind(bytes: Uint8Array): BinaryKind {
  if (bytes.byteLength < 8 || MAGIC.some((b, i) => bytes[i] !== b)) return 'unknown';
  const v = bytes.subarray(4, 8);
  if (v[0] === 0x01 && v[1] === 0x00 && v[2] === 0x00 && v[3] === 0x00) return 'module';
  if (v[2] === 0x01 && v[3] === 0x00) return 'component';
  return 'unknown';
}

export interface AppBinary {
  kind: 'module' | 'component';
  bytes: Uint8Array;
  /** The input was WAT text. */
  fromWat: boolean;
}

/** A file that is neither a module, a component nor WAT: one line naming it. */
export class AppFileError extends Error {
  readonly userFacing = true;
  constructor(message: string) {
    super(message);
    this.name = 'AppFileError';
  }
}

/**
 * The binary behind an app file's bytes. `.wat`/`.wast` names, or text that starts like
 * WAT, are compiled; anything else must carry a wasm header.
 */
export async function appBinary(bytes: Uint8Array, name: string): Promise<AppBinary> {
  const kind = binaryKind(bytes);
  if (kind !== 'unknown') return { kind, bytes, fromWat: false };
  if (/\.wa(t|st)$/i.test(name) || looksLikeWat(bytes)) {
    const wasm = await watToWasm(new TextDecoder().decode(bytes), name);
    return { kind: 'module', bytes: wasm, fromWat: true };
  }
  if (bytes.byteLength >= 4 && MAGIC.every((b, i) => bytes[i] === b)) {
    const v = [...bytes.subarray(4, 8)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new AppFileError(`${name} is a WebAssembly binary of an unknown version (${v})`);
  }
  throw new AppFileError(`${name} is not a WebAssembly module, component or .wat text`);
}
