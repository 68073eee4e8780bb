/**
 * The preview2 face as a bundle loads it (only bundles of components, and adapters, import
 * this). Running a component that compose transpiled: the generated module and its core
 * modules sit in the bundle, so nothing here needs jco. The generated code is
 * instantiation-mode (`instantiate(getCoreModule, imports)`), synchronous once the core
 * modules are compiled.
 */
import { readFileSync } from 'node:fs';
import type { Kernel } from '../kernel/index.js';
import { createPreview2, type ImportObject } from '../preview2/index.js';
import type { NetworkProvider } from '../preview2/network-types.js';
import type { ComponentApp } from './manifest.js';

import type { ComponentExports } from '../preview2/run-exports.js';

export interface LoadedComponent {
  /** `instantiateCore` makes each core instance (the kernel's, to hold guest memory to its limit). */
  instantiate(imports: ImportObject, instantiateCore?: InstantiateCore): ComponentExports;
}

type InstantiateCore = (module: WebAssembly.Module, imports?: WebAssembly.Imports) => WebAssembly.Instance;

type Generated = {
  instantiate(getCoreModule: (name: string) => WebAssembly.Module, imports: ImportObject, instantiateCore?: InstantiateCore): ComponentExports;
};

export async function loadComponent(base: URL, app: ComponentApp): Promise<LoadedComponent> {
  const dir = new URL(`${app.dir}/`, base);
  const [mod, modules] = await Promise.all([
    import(new URL(app.js, dir).href) as Promise<Generated>,
    Promise.all(app.core.map(async (f) => [f, await WebAssembly.compile(readFileSync(new URL(f, dir)))] as const)),
  ]);
  const byName = new Map(modules);
  const getCoreModule = (name: string): WebAssembly.Module => {
    const m = byName.get(name);
    if (!m) throw new Error(`the transpiled component asked for a core module the bundle does not hold: "${name}"`);
    return m;
  };
  return { instantiate: (imports, core) => mod.instantiate(getCoreModule, imports, core) };
}

/**
 * Whether the component needs preview2-shim's network: sockets when it imports them and
 * the policy allows them, http whenever it imports it (a guest may build a request before
 * the policy refuses it; without the shim's types that would trap). Same rule as `run`.
 */
export function needsNetwork(imports: string[], host: Kernel): { sockets: boolean; http: boolean } {
  return {
    sockets: host.allows('sockets') && imports.some((i) => i.startsWith('wasi:sockets/')),
    http: imports.some((i) => i.startsWith('wasi:http/')),
  };
}

/** A bundle needs preview2-shim at run time and cannot find it. */
export class MissingShimError extends Error {
  readonly userFacing = true;
  override name = 'MissingShimError';
}

/** preview2-shim's Node network, loaded only when asked for (its io starts a worker thread). */
export async function loadNetwork(want: { sockets: boolean; http: boolean }): Promise<NetworkProvider> {
  try {
    const { loadNetwork: load } = await import('../preview2/network-node.js');
    return await load(want);
  } catch (e) {
    const code = (e as { code?: unknown } | null)?.code;
    if (code === 'ERR_MODULE_NOT_FOUND' && String((e as Error).message).includes('preview2-shim')) {
      throw new MissingShimError(
        `${want.sockets ? 'sockets' : 'http'} need @bytecodealliance/preview2-shim, which cannot be found from this bundle; ` +
        'install it beside the bundle (npm install @bytecodealliance/preview2-shim) or compose again',
      );
    }
    throw e;
  }
}

export { createPreview2 };

export async function instantiate(loaded: LoadedComponent, app: ComponentApp, host: Kernel, network?: NetworkProvider): Promise<ComponentExports> {
  const want = needsNetwork(app.imports, host);
  const net = network ?? (want.sockets || want.http ? await loadNetwork(want) : undefined);
  return loaded.instantiate(createPreview2(host, { network: net }), host.limits.instantiateCore);
}

export { NotACommandError, runToCompletion } from '../preview2/run-exports.js';
