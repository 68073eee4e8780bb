/**
 * The preview2 face as a bundle loads it (only bundles of components, and adapters, import
 * this). Running a component that compose transpiled: the generated module and its core
 * modules sit in the bundle, so nothing here needs jco. The generated code is
 * instantiation-mode (`instantiate(getCoreModule, imports)`), synchronous once the core
 * modules are compiled.
 */
import { readFileSync } from 'node:fs';
import type { Kernel } from '../kernel/index.js';
import { loadGenerated, networkNeeds, type LoadedComponent } from '../preview2/component.js';
import { createPreview2 } from '../preview2/index.js';
import type { NetworkProvider } from '../preview2/network-types.js';
import type { ComponentExports } from '../preview2/run-exports.js';
import type { ComponentApp } from './manifest.js';

/** The component a bundle carries, transpiled by compose: nothing here needs jco. */
export function loadBundled(base: URL, app: ComponentApp): Promise<LoadedComponent> {
  const dir = new URL(`${app.dir}/`, base);
  return loadGenerated(new URL(app.js, dir).href, app.core, (f) => readFileSync(new URL(f, dir)));
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

export async function instantiate(loaded: LoadedComponent, app: ComponentApp, host: Kernel, network?: NetworkProvider): Promise<ComponentExports> {
  const want = networkNeeds(app.imports, host.allows('sockets'));
  const net = network ?? (want.sockets || want.http ? await loadShim(want) : undefined);
  return loaded.instantiate(createPreview2(host, { network: net }), host.limits.instantiateCore);
}

export { NotACommandError, runToCompletion } from '../preview2/run-exports.js';
