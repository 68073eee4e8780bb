/**
 * preview2-shim's Node sockets and http as a NetworkProvider (Node only). Imported on
 * demand: loading the shim's io starts its worker thread, which only components that
 * use the network should pay for.
 */
import { importModule } from '../../util/import-module.js';
import type { NetworkProvider, ShimNamespaces } from './network-types.js';

type ShimIoModule = {
  streams: { InputStream: NetworkProvider['io']['InputStream']; OutputStream: NetworkProvider['io']['OutputStream'] };
  poll: { Pollable: NetworkProvider['io']['Pollable']; poll(list: unknown[]): ArrayLike<number> };
  error: { Error: NetworkProvider['io']['Error'] };
};

export async function loadNetwork(want: { sockets: boolean; http: boolean }): Promise<NetworkProvider> {
  const io = await importModule<ShimIoModule>('@bytecodealliance/preview2-shim/io');
  let sockets: ShimNamespaces | undefined;
  let http: ShimNamespaces | undefined;
  if (want.sockets) {
    const mod = await importModule<{
      createSockets(config?: { enableNetwork?: boolean }): ShimNamespaces;
    }>('@bytecodealliance/preview2-shim/sockets');
    // A network capability of our own, not the shim's process-wide default.
    sockets = mod.createSockets({ enableNetwork: true });
  }
  if (want.http) {
    const mod = await importModule<ShimNamespaces>('@bytecodealliance/preview2-shim/http');
    http = { types: mod['types']!, outgoingHandler: mod['outgoingHandler']! };
  }
  const shimPoll = io.poll.poll;
  return {
    io: {
      InputStream: io.streams.InputStream,
      OutputStream: io.streams.OutputStream,
      Pollable: io.poll.Pollable,
      Error: io.error.Error,
      poll: shimPoll,
    },
    sockets,
    http,
    poll: (list) => Uint32Array.from(shimPoll(list)),
  };
}
