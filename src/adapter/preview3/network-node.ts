/**
 * @bytecodealliance/preview3-shim's Node sockets and http as a 0.3 network (Node only),
 * imported on demand: its workers start when first used, which only components that use
 * the network should pay for.
 */
import type { Network3 } from './network.js';

export async function loadNetwork3(want: { sockets: boolean; http: boolean }): Promise<Network3> {
  const out: Network3 = {};
  if (want.sockets) {
    const mod = (await import('@bytecodealliance/preview3-shim/sockets')) as unknown as {
      types: Record<string, unknown>;
      ipNameLookup: Record<string, unknown>;
    };
    out['wasi:sockets/types'] = mod.types;
    out['wasi:sockets/ip-name-lookup'] = mod.ipNameLookup;
  }
  if (want.http) {
    const mod = (await import('@bytecodealliance/preview3-shim/http')) as unknown as {
      types: Record<string, unknown>;
      client: Record<string, unknown>;
    };
    out['wasi:http/types'] = mod.types;
    out['wasi:http/client'] = mod.client;
  }
  return out;
}
