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

/**
 * The reason the trace names for a failed call (`name(...) = errno (reason)`), made on a
 * fresh traced kernel under `policy`; undefined when the call succeeds or names none.
 */
export function tracedReason(policy: Policy, name: string, ...args: unknown[]): string | undefined {
  const lines: string[] = [];
  const p1 = createPreview1(new Kernel({ policy, env: {}, trace: (line) => lines.push(line) }));
  p1.bind(new WebAssembly.Memory({ initial: 1 }));
  (p1.wasiImport[name] as (...a: unknown[]) => number)(...args);
  return / = [a-z0-9]+ \((.*)\)$/.exec(lines.at(-1) ?? '')?.[1];
}
