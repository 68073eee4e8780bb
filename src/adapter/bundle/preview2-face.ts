/**
 * The preview2 face as a bundle loads it (only bundles of components, and adapters, import
 * this). Running a component that compose transpiled: the generated module and its core
 * modules sit in the bundle, so nothing here needs jco. The generated code is
 * instantiation-mode (`instantiate(getCoreModule, imports)`), synchronous once the core
 * modules are compiled.
 */
import type { Kernel } from '../kernel/index.js';
import { loadGenerated, networkNeeds, type LoadedComponent } from '../preview2/component.js';
import { createPreview2 } from '../preview2/index.js';
import type { NetworkProvider } from '../preview2/network-types.js';
import type { ComponentExports } from '../preview2/run-exports.js';
import type { ComponentApp } from './manifest.js';

/**
 * The component a bundle carries, transpiled by compose: nothing here needs jco. Its module
 * is imported beside the entry, or from a data: URL when `--inline` embedded it (`embedded`
 * holds its text as base64); core modules come through `read` (a file of the bundle by its
 * name relative to the entry: read, fetched or embedded, as the runtime can).
 */
export function loadBundled(
  base: URL, app: ComponentApp, read: (file: string) => Promise<Uint8Array>, embedded?: Record<string, string>,
): Promise<LoadedComponent> {
  const jsFile = `${app.dir}/${app.js}`;
  const inlined = embedded?.[jsFile];
  const url = inlined !== undefined ? `data:text/javascript;base64,${inlined}` : new URL(jsFile, base).href;
  return loadGenerated(url, app.core, (f) => read(`${app.dir}/${f}`));
}

/** A bundle needs preview2-shim at run time and cannot find it. */
export class MissingShimError extends Error {
  readonly userFacing = true;
  override name = 'MissingShimError';
}

/** preview2-shim's Node network, loaded only when asked for (its io starts a worker thread). */
export async function loadShim(want: { sockets: boolean; http: boolean }): Promise<NetworkProvider> {
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
  loaded: LoadedComponent, app: ComponentApp, kernel: Kernel, network?: NetworkProvider, runtime: 'node' | 'web' = 'node',
): Promise<ComponentExports> {
  const want = networkNeeds(app.imports, kernel.allows('sockets'));
  let net = network;
  if (!net && runtime === 'web' && want.sockets) {
    throw new RuntimeCapabilityError('the policy allows sockets, which a browser or worker cannot open; compose without --allow-sockets (or pass run(args, { network }))');
  }
  if (!net && runtime === 'node' && (want.sockets || want.http)) net = await loadShim(want);
  return loaded.instantiate(createPreview2(kernel, { network: net, versionedKeys: false }), kernel.limits.instantiateCore);
}

export { NotACommandError, runToCompletion } from '../preview2/run-exports.js';
