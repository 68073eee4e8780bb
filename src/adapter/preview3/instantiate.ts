/**
 * Running WASI 0.3 components (Node only): transpile for async instantiation (cached like
 * preview2's), instantiate over the merged 0.2 + 0.3 import object, and await the async
 * `wasi:cli/run@0.3…#run` export, never the 0.2 `run` stub such components also export.
 * 0.3 needs JSPI (`WebAssembly.Suspending` / `WebAssembly.promising`): Node ≥ 25 and
 * current Chromium have it, Node 20 and 22 do not.
 */
import { importModule } from '../../util/import-module.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readComponent } from '../../inspect/component-binary.js';
import { Kernel, type KernelOptions } from '../kernel/index.js';
import type { ComponentExports } from '../preview2/run-exports.js';
import { ComponentLoadError, transpileComponent, type TranspiledComponent } from '../preview2/transpile.js';
import { loadNetwork } from '../preview2/network-node.js';
import { createPreview3, type Network3 } from './index.js';
import { hasJspi, isRun3, JspiMissingError, networkWants, runToCompletion3, unprovided } from './run.js';
import { loadNetwork3 } from './network-node.js';
import type { ImportObject } from '../preview2/index.js';

export { hasJspi, JspiMissingError, runToCompletion3 } from './run.js';

/** True when the component exports a WASI 0.3 `wasi:cli/run` (read from the binary, no transpile). */
export function isPreview3Command(bytes: Uint8Array): boolean {
  try {
    return readComponent(bytes).exports.some((e) => isRun3(e.name));
  } catch {
    return false;
  }
}

type GeneratedModule = {
  instantiate(
    getCoreModule: (name: string) => WebAssembly.Module,
    imports: ImportObject,
    instantiateCore?: InstantiateCore,
  ): Promise<ComponentExports>;
};

interface Loaded3 {
  transpiled: TranspiledComponent;
  instantiate(imports: ImportObject, instantiateCore?: InstantiateCore): Promise<ComponentExports>;
}

type InstantiateCore = (module: WebAssembly.Module, imports?: WebAssembly.Imports) => WebAssembly.Instance;

const loaded = new Map<string, Promise<Loaded3>>();

async function load(bytes: Uint8Array, cacheDir: string | undefined): Promise<Loaded3> {
  const t = await transpileComponent(bytes, { instantiation: 'async', ...(cacheDir ? { cacheDir } : {}) });
  let p = loaded.get(t.jsFile);
  if (!p) {
    p = (async () => {
      const [mod, modules] = await Promise.all([
        importModule<GeneratedModule>(pathToFileURL(t.jsFile).href),
        Promise.all(t.coreFiles.map(async (f) => [f, await WebAssembly.compile(readFileSync(join(t.dir, f)))] as const)),
      ]);
      const byName = new Map(modules);
      const getCoreModule = (name: string): WebAssembly.Module => {
        const m = byName.get(name);
        if (!m) throw new Error(`the generated component asked for an unknown core module "${name}"`);
        return m;
      };
      return { transpiled: t, instantiate: (imports, core) => mod.instantiate(getCoreModule, imports, core) };
    })();
    loaded.set(t.jsFile, p);
    p.catch(() => loaded.delete(t.jsFile));
  }
  return p;
}

/** Transpile (cached) and compile a 0.3 component ahead of its run: a timed run's worker starts the guest's clock after this. */
export async function loadComponent3(bytes: Uint8Array, cacheDir?: string): Promise<void> {
  await load(bytes, cacheDir);
}

export interface Instantiate3Options {
  cacheDir?: string;
  /** 0.3 sockets / http; default preview3-shim's, loaded only when imported and allowed. */
  network3?: Network3;
}

export interface Component3Instance {
  exports: ComponentExports;
  imports: ImportObject;
}

/** Instantiate a 0.3 component over a Kernel the caller built (and disposes). */
export async function instantiateComponent3(
  bytes: Uint8Array,
  kernel: Kernel,
  options: Instantiate3Options = {},
): Promise<Component3Instance> {
  if (!hasJspi()) throw new JspiMissingError();
  const l = await load(bytes, options.cacheDir);
  const wanted = l.transpiled.imports;
  const want = networkWants(wanted, kernel);
  const network3 = options.network3 ?? (want.sockets || want.http ? await loadNetwork3(want) : undefined);
  // The 0.2 sockets a 0.3 component may also import come from preview2-shim, as for 0.2 components.
  const network = want.sockets2 ? await loadNetwork({ sockets: true, http: false }) : undefined;
  const imports = createPreview3(kernel, { network3, ...(network ? { network } : {}) });
  const missing = unprovided(imports, wanted);
  if (missing.length > 0) {
    throw new ComponentLoadError(`it imports ${missing.join(', ')}, which wasi-virt does not provide`);
  }
  return { exports: await l.instantiate(imports, kernel.limits.instantiateCore), imports };
}

export interface RunComponent3Options extends KernelOptions, Instantiate3Options {}

/**
 * Run a WASI 0.3 command to completion: its exit code (0 when `run` returns ok, 1 when
 * it returns err, the code of an exit call). A trap rejects after the kernel is torn down.
 */
export async function runComponent3(bytes: Uint8Array, options: RunComponent3Options): Promise<{ code: number }> {
  const kernel = new Kernel(options);
  try {
    const { exports } = await instantiateComponent3(bytes, kernel, options);
    return { code: await runToCompletion3(exports) };
  } finally {
    kernel.dispose();
  }
}
