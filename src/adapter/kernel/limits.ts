/**
 * The policy's resource limits as the kernel enforces them, for both ABIs:
 *
 * - open files: every handle a face opens goes through `openFile`, which refuses with
 *   `mfile` (EMFILE) before anything is opened on the host once the guest holds
 *   `open-files` (stdio and preopens count). Closed handles are swept only when the count
 *   is reached, so an ordinary open costs one Set insert.
 * - memory: the faces register each guest memory (`watch`) and, when a limit is set,
 *   wrap the guest's host imports so every host call checks first (`guardImports`); past the
 *   limit the guest traps with a LimitTrap. Memory grown by the guest is seen at its next
 *   host call, not at the `memory.grow` itself.
 * - bytes: stdout, stderr and host-file writes draw on ByteQuotas (virtual-fs/quota.ts).
 */
import { DEFAULT_OPEN_FILES, type LimitsPolicy } from '../../policy/types.js';
import { fail } from '../../virtual-fs/errors.js';
import type { Handle } from '../../virtual-fs/handle.js';
import { ByteQuota } from '../../virtual-fs/quota.js';
import { LimitTrap } from './traps.js';

export class Limits {
  readonly openFiles: number;
  readonly memoryBytes: number | undefined;
  readonly stdout: ByteQuota | undefined;
  readonly stderr: ByteQuota | undefined;
  readonly hostWrites: ByteQuota | undefined;
  /** Handles opened for the guest and maybe still open (closed ones are swept lazily). */
  private readonly open = new Set<Handle>();
  /** Handles the guest holds without opening them: stdio and preopens. */
  private baseline = 3;
  private readonly memories: WebAssembly.Memory[] = [];

  constructor(policy: LimitsPolicy = {}) {
    this.openFiles = policy['open-files'] ?? DEFAULT_OPEN_FILES;
    this.memoryBytes = policy['memory-bytes'];
    const quota = (key: 'stdout-bytes' | 'stderr-bytes' | 'write-bytes', what: string) =>
      policy[key] === undefined ? undefined : new ByteQuota(policy[key], `limits.${key}, ${what},`);
    this.stdout = quota('stdout-bytes', 'the bytes the guest may write to stdout');
    this.stderr = quota('stderr-bytes', 'the bytes the guest may write to stderr');
    this.hostWrites = quota('write-bytes', 'the bytes the guest may write into host files');
  }

  /** The guest starts holding `n` handles besides stdio (its preopens). */
  preopened(n: number): void {
    this.baseline = 3 + n;
  }

  /** Open a handle for the guest, unless it already holds as many as it may. */
  openFile(open: () => Handle): Handle {
    if (this.baseline + this.open.size >= this.openFiles) {
      for (const h of this.open) if (h.closed) this.open.delete(h);
      if (this.baseline + this.open.size >= this.openFiles) {
        fail('mfile', `limits.open-files: the guest holds ${this.openFiles} open files (stdio and preopens included)`);
      }
    }
    const h = open();
    this.open.add(h);
    return h;
  }

  /** Close whatever the guest left open (the kernel's teardown; the faces' tables may never drop them). */
  closeOpenFiles(): void {
    for (const h of this.open) h.close();
    this.open.clear();
  }

  /** A guest memory to hold to `memory-bytes`; checked at once (instantiation). */
  watch(memory: WebAssembly.Memory): void {
    if (this.memoryBytes === undefined) return;
    if (!this.memories.includes(memory)) this.memories.push(memory);
    this.checkMemory();
  }

  checkMemory(): void {
    const max = this.memoryBytes;
    if (max === undefined) return;
    for (const m of this.memories) {
      const size = m.buffer.byteLength;
      if (size > max) {
        throw new LimitTrap('memory-bytes', `limits.memory-bytes: the guest's linear memory is ${size} bytes, over the limit of ${max}`);
      }
    }
  }

  /**
   * The guest's imports with a memory check before every host call; the same object when
   * no memory limit is set, so an unlimited guest pays nothing. Only host (JS) functions
   * are wrapped: another core instance's export (jco links its instances through imports)
   * is no host call, and a JS frame around it would break JSPI, which cannot suspend
   * through JS frames (a 0.3 component's async import called through it would trap). JSPI's
   * own `WebAssembly.Suspending` imports are objects, not functions, and pass as they are.
   */
  guardImports<T extends Record<string, unknown>>(imports: T): T {
    if (this.memoryBytes === undefined) return imports;
    const out: Record<string, unknown> = {};
    for (const [name, ns] of Object.entries(imports)) {
      if (ns === null || typeof ns !== 'object') { out[name] = ns; continue; }
      const wrapped: Record<string, unknown> = {};
      for (const [k, f] of Object.entries(ns as Record<string, unknown>)) {
        wrapped[k] = typeof f === 'function' && !isWasmFunction(f)
          ? (...args: unknown[]) => { this.checkMemory(); return (f as (...a: unknown[]) => unknown)(...args); }
          : f;
      }
      out[name] = wrapped;
    }
    return out as T;
  }

  /** A core-instance factory (jco's `instantiateCore`) that guards imports and watches memories. */
  instantiateCore = (module: WebAssembly.Module, imports?: WebAssembly.Imports): WebAssembly.Instance => {
    const instance = new WebAssembly.Instance(module, imports && this.guardImports(imports));
    for (const v of Object.values(instance.exports)) if (v instanceof WebAssembly.Memory) this.watch(v);
    return instance;
  };
}

/**
 * An exported WebAssembly function: its `name` is its function index (the JS API spec sets
 * it so), which no host function of ours or jco's has.
 */
function isWasmFunction(f: { name: string }): boolean {
  return /^\d+$/.test(f.name);
}
