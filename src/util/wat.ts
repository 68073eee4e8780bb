/**
 * WebAssembly text to a core module, with wabt. One helper for every command that takes
 * an app (`run`, compose, `inspect`), so `.wat` input behaves the same everywhere.
 * wabt is loaded on first use: it is a 1 MB emscripten module nobody needs for `.wasm`.
 */
import { importModule } from './import-module.js';

/** A `.wat` file wabt refused: the message is its first diagnostic, on one line. */
export class WatError extends Error {
  readonly userFacing = true;
  constructor(message: string) {
    super(message);
    this.name = 'WatError';
  }
}

type Wabt = Awaited<ReturnType<typeof import('wabt')>>;
let wabt: Promise<Wabt> | undefined;

// Everything a current toolchain may emit in text form; wabt rejects a feature it was
// not told about even when the engine would accept it.
const FEATURES = {
  multi_value: true,
  bulk_memory: true,
  mutable_globals: true,
  sign_extension: true,
  sat_float_to_int: true,
  reference_types: true,
  simd: true,
  threads: true,
  tail_call: true,
} as const;

/** Compile WAT source to module bytes; `name` appears in error messages (`app.wat:3:5: ...`). */
export async function watToWasm(source: string, name: string): Promise<Uint8Array> {
  wabt ??= importModule<{ default: unknown }>('wabt').then((m) => (m.default as () => Promise<Wabt>)());
  const w = await wabt;
  let mod: ReturnType<Wabt['parseWat']> | undefined;
  try {
    mod = w.parseWat(WABT_NAME, source, FEATURES);
    mod.resolveNames();
    mod.validate();
    return new Uint8Array(mod.toBinary({ write_debug_names: true }).buffer);
  } catch (e) {
    throw new WatError(firstDiagnostic(e, name));
  } finally {
    mod?.destroy();
  }
}

/** True when the bytes look like WAT text rather than a binary: `(` first, after blanks and comments. */
export function looksLikeWat(bytes: Uint8Array): boolean {
  const text = new TextDecoder().decode(bytes.subarray(0, 4096));
  const stripped = text.replace(/^(?:\s+|;;[^\n]*\n?|\(;[\s\S]*?;\))*/, '');
  return stripped.startsWith('(');
}

// wabt 1.0.39's JS build copies the file name without its terminating NUL when the name's
// length is 12, 20, 28, ... bytes, so its diagnostics show stray bytes after the name
// ("app/demo.wat#:2:5"). It is handed a fixed name of a safe length instead, and the
// real one is put back into the message.
const WABT_NAME = 'input.wat';

// wabt's message is "parseWat failed:\n<file>:<line>:<col>: error: ...\n<source line>\n<caret>";
// the first `error:` line says what and where.
function firstDiagnostic(e: unknown, name: string): string {
  const msg = e instanceof Error ? e.message : String(e);
  const line = msg.split('\n').find((l) => /: error: /.test(l));
  if (!line) return `${name}: ${msg.split('\n').find((l) => l.trim())?.trim() ?? 'not valid WebAssembly text'}`;
  const at = /^.*?:(\d+:\d+: error: .*)$/.exec(line.trim());
  return at ? `${name}:${at[1]}` : `${name}: ${line.trim()}`;
}
