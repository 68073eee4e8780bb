/**
 * The preview2 face as a bundle loads it (only bundles of components, and adapters, import
 * this). Running a component that compose transpiled: the generated module and its core
 * modules sit in the bundle, so nothing here needs jco. The generated code is
 * instantiation-mode (`instantiate(getCoreModule, imports)`), synchronous once the core
 * modules are compiled.
 */
import type { Kernel } from '../kernel/index.js';
import { createPreview2, type ImportObject } from '../preview2/index.js';
import type { NetworkProvider } from '../preview2/network-types.js';
import type { ComponentApp } from './manifest.js';

import type { ComponentExports } from '../preview2/run-exports.js';

export interface LoadedComponent {
  instantiate(imports: ImportObject): ComponentExports;
}

type Generated = {
  instantiate(getCoreModule: (name: string) => WebAssembly.Module, imports: ImportObject): ComponentExports;
};

/**
 * The transpiled component: its module imported beside the entry, or from a data: URL when
 * `--inline` embedded it (`embedded` holds its text as base64); core modules through `read`
 * (a file of the bundle by its name relative to the entry).
 */
export async function loadComponent(
  base: URL, app: ComponentApp, read: (file: string) => Promise<Uint8Array>, embedded?: Record<string, string>,
): Promise<LoadedComponent> {
  const jsFile = `${app.dir}/${app.js}`;
  const inlined = embedded?.[jsFile];
  const url = inlined !== undefined ? `data:text/javascript;base64,${inlined}` : new URL(jsFile, base).href;
  const [mod, modules] = await Promise.all([
    import(url) as Promise<Generated>,
    Promise.all(app.core.map(async (f) => [f, await WebAssembly.compile(await read(`${app.dir}/${f}`) as Uint8Array<ArrayBuffer>)] as const)),
  ]);
  const byName = new Map(modules);
  const getCoreModule = (name: string): WebAssembly.Module => {
    const m = byName.get(name);
    if (!m) throw new Error(`the transpiled component asked for a core module the bundle does not hold: "${name}"`);
    return m;
  };
  return { instantiate: (imports) => mod.instantiate(getCoreModule, imports) };
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

/** A component needs something this runtime cannot give it (sockets in a browser). */
export class RuntimeCapabilityError extends Error {
  readonly userFacing = true;
  override name = 'RuntimeCapabilityError';
}

/**
 * `runtime`: where the bundle runs. preview2-shim's network is Node's; in a browser or
 * worker, allowed sockets refuse to start and http has no implementation (its calls fail as
 * unsupported, its types trap on construction), see docs/browser.md.
 */
export async function instantiate(
  loaded: LoadedComponent, app: ComponentApp, host: Kernel, network?: NetworkProvider, runtime: 'node' | 'web' = 'node',
): Promise<ComponentExports> {
  const want = needsNetwork(app.imports, host);
  let net = network;
  if (!net && runtime === 'web' && want.sockets) {
    throw new RuntimeCapabilityError('the policy allows sockets, which a browser or worker cannot open; compose without --allow-sockets (or pass run(args, { network }))');
  }
  if (!net && runtime === 'node' && (want.sockets || want.http)) net = await loadNetwork(want);
  return loaded.instantiate(createPreview2(host, { network: net }));
}

export { NotACommandError, runToCompletion } from '../preview2/run-exports.js';
