/**
 * `WasiVirt`: the policy builder (a camelCase twin of WASI-Virt's Rust builder, see
 * src/policy/builder.ts) plus what to do with the policy it builds in Node: a virtual
 * host, a preview1 import object with start/initialize, a preview2 import map, or a
 * whole run. Stdio, host directories and snapshots come from Node unless `platform` (or
 * the individual sinks and sources) say otherwise.
 */
import { Kernel, type KernelOptions } from './adapter/kernel/index.js';
import { nodePlatform } from './adapter/node/platform.js';
import type { Version } from './adapter/preview1/abi.js';
import { createPreview1, type Preview1 } from './adapter/preview1/index.js';
import { runModule } from './adapter/preview1/run.js';
import { createPreview2, type ImportObject, type Preview2Options } from './adapter/preview2/index.js';
import { PolicyBuilder } from './policy/builder.js';
import { binaryKind } from './util/app.js';

/** Everything a host takes except the policy, which is the builder's. */
export type RunOptions = Omit<KernelOptions, 'policy'>;

export class WasiVirt extends PolicyBuilder {
  /** A virtual host for this policy; `dispose()` it when the guest is done. */
  host(options: RunOptions = {}): Kernel {
    return new Kernel({ platform: nodePlatform(), ...options, policy: this.policy() });
  }

  /**
   * A preview1 import object for a core module under this policy, with `start` (returns
   * the exit code) and `initialize`, and the host behind it.
   */
  preview1(options: RunOptions & { version?: Version } = {}): Preview1 & { host: Kernel } {
    const host = this.host(options);
    return Object.assign(createPreview1(host, { version: options.version }), { host });
  }

  /** A jco import map (instantiation mode) for a component under this policy, and its host. */
  preview2(options: RunOptions & Preview2Options = {}): { imports: ImportObject; host: Kernel } {
    const host = this.host(options);
    return { imports: createPreview2(host, options), host };
  }

  /** Run a command (a core module or a component, told apart by its header) to its exit code. */
  async run(wasm: Uint8Array | WebAssembly.Module, options: RunOptions = {}): Promise<{ code: number }> {
    const opts = { platform: nodePlatform(), ...options, policy: this.policy() };
    if (!(wasm instanceof WebAssembly.Module) && binaryKind(wasm) === 'component') {
      // Loaded only for components: it brings jco's transpiler along.
      const { runComponent } = await import('./adapter/preview2/instantiate.js');
      return runComponent(wasm, opts);
    }
    return runModule(wasm, opts);
  }
}
