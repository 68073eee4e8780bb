import { WasiError } from '../../src/virtual-fs/errors.js';

/** The WasiError code `f` throws, or 'ok' when it returns; anything else propagates. */
export function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof WasiError) return e.code;
    throw e;
  }
  return 'ok';
}
