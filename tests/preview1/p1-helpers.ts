import type { WasiError } from '../../src/virtual-fs/errors.js';
/**
 * Helpers for preview1 tests: instantiate a guest against a Kernel built from a
 * policy, run it, and read what it left in its memory.
 */
import { Kernel, type KernelOptions } from '../../src/adapter/kernel/index.js';
import { createPreview1, type Preview1 } from '../../src/adapter/preview1/index.js';
import type { Policy } from '../../src/policy/types.js';

export interface Guest {
  host: Kernel;
  p1: Preview1;
  instance: WebAssembly.Instance;
  memory: WebAssembly.Memory;
  view: DataView;
  start(): number;
}

export async function instantiate(bytes: Uint8Array, options: Partial<KernelOptions> & { policy?: Policy } = {}): Promise<Guest> {
  const host = new Kernel({ policy: {}, env: {}, ...options });
  const p1 = createPreview1(host);
  const { instance } = await WebAssembly.instantiate(bytes as Uint8Array<ArrayBuffer>, p1.imports);
  const memory = instance.exports['memory'] as WebAssembly.Memory;
  return {
    host, p1, instance, memory,
    get view() { return new DataView(memory.buffer); },
    start: () => p1.start(instance),
  };
}

/** The NUL-terminated strings a guest's pointer array points at. */
export function cStrings(view: DataView, ptrs: number, count: number): string[] {
  const out: string[] = [];
  const bytes = new Uint8Array(view.buffer);
  for (let i = 0; i < count; i++) {
    const p = view.getUint32(ptrs + i * 4, true);
    let end = p;
    while (bytes[end] !== 0) end++;
    out.push(new TextDecoder().decode(bytes.subarray(p, end)));
  }
  return out;
}

/** The kernel's reason for the failure of the call `call` makes (undefined if it succeeded). */
export function lastDetail(g: Guest, call: () => number): string | undefined {
  g.host.lastError = undefined;
  const errno = call();
  // The call sets lastError behind TypeScript's back, so read it through a fresh type.
  const last = g.host.lastError as WasiError | undefined;
  return errno === 0 ? undefined : last?.detail;
}
