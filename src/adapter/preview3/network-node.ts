/**
 * @bytecodealliance/preview3-shim's Node sockets and http as a 0.3 network (Node only),
 * imported on demand: its workers start when first used, which only components that use
 * the network should pay for.
 */
import { importModule } from '../../util/import-module.js';
import { WitError } from './context.js';
import type { Network3 } from './network.js';

interface IpSocketAddress { tag: string; val: { port: number } }
interface ShimUdpSocket {
  getAddressFamily(): string;
  send(data: Uint8Array, remote?: IpSocketAddress | null): Promise<void>;
}
type ShimUdpClass = (abstract new () => ShimUdpSocket) & { create(family: string): ShimUdpSocket };

/**
 * preview3-shim 0.7's UdpSocket answers a send to remote port 0 with `invalid-argument`;
 * WASI (and wasmtime, and wasi-testsuite's sockets-udp-send) say `address-not-bindable`.
 * A subclass fixes that one answer for the sockets this import object creates, leaving the
 * shim's class untouched for anyone else in the process; the objects stay the shim's own
 * (its private state included), only their prototype is ours.
 */
export function fixUdp(Shim: ShimUdpClass): ShimUdpClass {
  abstract class UdpSocket extends Shim {
    static override create(family: string): ShimUdpSocket {
      return Object.setPrototypeOf(Shim.create(family), UdpSocket.prototype) as ShimUdpSocket;
    }
    override send(data: Uint8Array, remote?: IpSocketAddress | null): Promise<void> {
      if (remote && remote.tag === this.getAddressFamily() && remote.val.port === 0) {
        return Promise.reject(new WitError({ tag: 'address-not-bindable' }));
      }
      return super.send(data, remote);
    }
  }
  return UdpSocket as unknown as ShimUdpClass;
}

export async function loadNetwork3(want: { sockets: boolean; http: boolean }): Promise<Network3> {
  const out: Network3 = {};
  if (want.sockets) {
    const mod = await importModule<{
      types: Record<string, unknown>;
      ipNameLookup: Record<string, unknown>;
    }>('@bytecodealliance/preview3-shim/sockets');
    out['wasi:sockets/types'] = { ...mod.types, UdpSocket: fixUdp(mod.types['UdpSocket'] as ShimUdpClass) };
    out['wasi:sockets/ip-name-lookup'] = mod.ipNameLookup;
  }
  if (want.http) {
    const mod = await importModule<{
      types: Record<string, unknown>;
      client: Record<string, unknown>;
    }>('@bytecodealliance/preview3-shim/http');
    out['wasi:http/types'] = mod.types;
    out['wasi:http/client'] = mod.client;
  }
  return out;
}
