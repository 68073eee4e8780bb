/**
 * The WASI 0.3 face as a bundle loads it (only bundles of 0.3 components import this).
 * Compose transpiled the component for async instantiation; the generated module and its
 * core modules sit in the bundle, so nothing here needs jco. 0.3 needs JSPI
 * (`WebAssembly.Suspending` / `WebAssembly.promising`): Node >= 25, Deno and Chromium have
 * it; elsewhere the run fails with one line before anything is loaded. The bundle awaits
 * the async `wasi:cli/run@0.3…#run` export, never the 0.2 stub such components also export.
 */
import type { Kernel } from '../kernel/index.js';
import { loadGenerated } from '../preview2/component.js';
import type { ComponentExports } from '../preview2/run-exports.js';
import { createPreview3 } from '../preview3/index.js';
import { hasJspi, JspiMissingError, networkWants, unprovided, type Networks } from '../preview3/run.js';
import { MissingShimError, RuntimeCapabilityError } from './preview2-face.js';
import type { ComponentApp } from './manifest.js';

/** Where a bundle of a 0.3 component runs. */
const ENGINES = 'Node >= 25, Deno, Bun or Chromium';

/** One line and no loading at all on an engine without JSPI. */
export function requireJspi(): void {
  if (!hasJspi()) throw new JspiMissingError(ENGINES);
}

type InstantiateCore = (module: WebAssembly.Module, imports?: WebAssembly.Imports) => WebAssembly.Instance;

/** A 0.3 component ready to instantiate any number of times (its generated code is async-instantiation jco). */
export interface LoadedComponent3 {
  instantiate(imports: Record<string, unknown>, instantiateCore?: InstantiateCore): Promise<ComponentExports>;
}

/** The component the bundle carries: its module beside the entry, or from a data: URL when `--inline` embedded it. */
export async function loadBundled3(
  base: URL, app: ComponentApp, read: (file: string) => Promise<Uint8Array>, embedded?: Record<string, string>,
): Promise<LoadedComponent3> {
  const jsFile = `${app.dir}/${app.js}`;
  const inlined = embedded?.[jsFile];
  const url = inlined !== undefined ? `data:text/javascript;base64,${inlined}` : new URL(jsFile, base).href;
  // The generated module's `instantiate` returns a promise in async instantiation mode;
  // loadGenerated types it for the synchronous mode the 0.2 face uses.
  return await loadGenerated(url, app.core, (f) => read(`${app.dir}/${f}`)) as unknown as LoadedComponent3;
}

/** A package a bundle needs at run time, imported beside it; a missing one is one line saying how to get it. */
async function lazily<T>(what: string, pkg: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (e) {
    const code = (e as { code?: unknown } | null)?.code;
    if (code === 'ERR_MODULE_NOT_FOUND' && String((e as Error).message).includes(pkg)) {
      throw new MissingShimError(`${what} need ${pkg}, which cannot be found from this bundle; install it beside the bundle (npm install ${pkg}) or compose again`);
    }
    throw e;
  }
}

/**
 * The networks the component needs, where the runtime can give them: on Node (and Deno,
 * Bun) preview3-shim's sockets and http, preview2-shim's for the 0.2 sockets a 0.3
 * component may also import. A browser or worker has neither: a component that imports
 * wasi:http, or may open sockets, is refused in one line.
 */
async function networksFor(app: ComponentApp, kernel: Kernel, runtime: 'node' | 'web'): Promise<Networks> {
  const want = networkWants(app.imports, kernel);
  if (!want.sockets && !want.http) return {};
  if (runtime === 'web') {
    throw new RuntimeCapabilityError(want.sockets
      ? 'the policy allows sockets, which a browser or worker cannot open; compose without --allow-sockets'
      : 'it imports wasi:http, which a bundle serves only on Node, Deno and Bun (preview3-shim\'s), not in a browser or worker');
  }
  const pkg3 = '@bytecodealliance/preview3-shim';
  const what = want.sockets ? 'sockets' : 'http';
  const network3 = await lazily(what, pkg3, async () => (await import('../preview3/network-node.js')).loadNetwork3(want));
  if (!want.sockets2) return { network3 };
  const network = await lazily('sockets', '@bytecodealliance/preview2-shim',
    async () => (await import('../preview2/network-node.js')).loadNetwork({ sockets: true, http: false }));
  return { network3, network };
}

/** Instantiate over a kernel the caller built (and disposes). */
export async function instantiate3(
  loaded: LoadedComponent3, app: ComponentApp, kernel: Kernel, runtime: 'node' | 'web' = 'node',
): Promise<ComponentExports> {
  const imports = createPreview3(kernel, await networksFor(app, kernel, runtime));
  const missing = unprovided(imports, app.imports);
  if (missing.length > 0) throw new RuntimeCapabilityError(`it imports ${missing.join(', ')}, which this bundle does not provide`);
  return loaded.instantiate(imports, kernel.limits.instantiateCore);
}

export { runToCompletion3 } from '../preview3/run.js';
