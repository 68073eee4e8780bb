/**
 * Running preview2 components (Node only): transpile (cached), load the generated module
 * from the cache directory, compile its core modules once per process, instantiate with
 * our import object, and call `wasi:cli/run#run`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Kernel, type KernelOptions } from '../kernel/index.js';
import { loadGenerated, networkNeeds, type LoadedComponent } from './component.js';
import { createPreview2, type ImportObject } from './index.js';
import { loadNetwork } from './network-node.js';
import type { NetworkProvider } from './network-types.js';
import { ComponentLoadError, transpileComponent, type TranspileOptions, type TranspiledComponent } from './transpile.js';

/** What jco's `instantiate` returns: the component's exports by name. */
import { runToCompletion, type ComponentExports } from './run-exports.js';

export { runToCompletion, type ComponentExports } from './run-exports.js';

export interface TranspiledLoaded extends LoadedComponent {
  transpiled: TranspiledComponent;
}

const loaded = new Map<string, Promise<TranspiledLoaded>>();

/** Transpile (or find) a component and make it ready to instantiate any number of times. */
export async function loadComponent(bytes: Uint8Array, options: TranspileOptions = {}): Promise<TranspiledLoaded> {
  const t = await transpileComponent(bytes, options);
  let p = loaded.get(t.jsFile);
  if (!p) {
    p = loadGenerated(pathToFileURL(t.jsFile).href, t.coreFiles, (f) => readFileSync(join(t.dir, f)))
      .then((l) => ({ ...l, transpiled: t }));
    loaded.set(t.jsFile, p);
    p.catch(() => loaded.delete(t.jsFile));
  }
  return p;
}

export interface InstantiateOptions extends TranspileOptions {
  /**
   * Implementation behind allowed sockets / http. Default: preview2-shim's Node one,
   * loaded only when the component imports those interfaces (it starts a worker thread).
   */
  network?: NetworkProvider;
}

export interface ComponentInstance {
  exports: ComponentExports;
  imports: ImportObject;
  kernel: Kernel;
  loaded: TranspiledLoaded;
}

/** Instantiate a component over a Kernel the caller built (and disposes). */
export async function instantiateComponent(
  bytes: Uint8Array,
  kernel: Kernel,
  options: InstantiateOptions = {},
): Promise<ComponentInstance> {
  const loaded = await loadComponent(bytes, options);
  const network = options.network ?? (await networkFor(loaded.transpiled.imports, kernel));
  const imports = createPreview2(kernel, { network, versionedKeys: false });
  const missing = loaded.transpiled.imports.filter((i) => !(i in imports));
  if (missing.length > 0) {
    throw new ComponentLoadError(`it imports ${missing.join(', ')}, which wasi-virt does not provide`);
  }
  const exports = loaded.instantiate(imports, kernel.limits.instantiateCore);
  return { exports, imports, kernel, loaded };
}

/** preview2-shim's sockets / http, only for components that need them (networkNeeds). */
async function networkFor(imports: string[], kernel: Kernel): Promise<NetworkProvider | undefined> {
  const want = networkNeeds(imports, kernel.allows('sockets'));
  return want.sockets || want.http ? loadNetwork(want) : undefined;
}

export interface RunComponentOptions extends KernelOptions, InstantiateOptions {}

/**
 * Run a command component to completion: its exit code (0 when `run` returns ok, 1 when
 * it returns err, the code of an exit call). Output is flushed on every path. A trap
 * (or a policy trap) is thrown after the host is torn down. A WASI 0.3 command runs
 * through runComponent3 (preview3/instantiate.ts; it needs JSPI).
 */
export async function runComponent(bytes: Uint8Array, options: RunComponentOptions): Promise<{ code: number }> {
  // A WASI 0.3 command (it also exports a 0.2 `run` stub that must not be called).
  const p3 = await import('../preview3/instantiate.js');
  if (p3.isPreview3Command(bytes)) return p3.runComponent3(bytes, options);
  const kernel = new Kernel(options);
  try {
    const { exports } = await instantiateComponent(bytes, kernel, options);
    return { code: runToCompletion(exports) };
  } finally {
    kernel.dispose();
  }
}

