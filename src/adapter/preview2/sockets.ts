/**
 * wasi:sockets. Allowed: preview2-shim's Node sockets through the bridge (its own
 * instance-local network, every stream and pollable one of ours). Denied, or allowed
 * where no network implementation was supplied: creating a socket or resolving a name
 * fails with `access-denied` / `not-supported`; nothing else is reachable without one.
 */
import { WasiError } from '../../virtual-fs/errors.js';
import { type Bridge, deniedClass } from './bridge.js';
import type { Ctx, Namespace } from './context.js';
import { IoError } from './io.js';

/** The wasi:sockets interfaces by the camelCase names preview2-shim uses for them. */
export const SOCKET_INTERFACES: Record<string, string> = {
  network: 'wasi:sockets/network',
  instanceNetwork: 'wasi:sockets/instance-network',
  ipNameLookup: 'wasi:sockets/ip-name-lookup',
  tcp: 'wasi:sockets/tcp',
  tcpCreateSocket: 'wasi:sockets/tcp-create-socket',
  udp: 'wasi:sockets/udp',
  udpCreateSocket: 'wasi:sockets/udp-create-socket',
};

/** The placeholder network a denied guest is handed; it opens nothing. */
class Network {}

export function createSockets(ctx: Ctx, bridge: Bridge | undefined): Record<string, Namespace> {
  const { kernel } = ctx;
  const shim = ctx.network?.sockets;
  if (kernel.allows('sockets') && shim && bridge) return passthrough(bridge, shim);

  const allowed = kernel.allows('sockets');
  const rule = allowed ? 'wasi:sockets has no network implementation on this platform' : 'denied by policy: sockets = "deny"';
  const refuse = (): never => {
    ctx.failed?.(new WasiError('notcapable', rule));
    throw allowed ? 'not-supported' : 'access-denied';
  };
  const resource = (name: string) => deniedClass(name, rule);
  return {
    'wasi:sockets/network': { Network, networkErrorCode: (): undefined => undefined },
    'wasi:sockets/instance-network': { instanceNetwork: () => new Network() },
    'wasi:sockets/ip-name-lookup': { ResolveAddressStream: resource('ResolveAddressStream'), resolveAddresses: refuse },
    'wasi:sockets/tcp': { TcpSocket: resource('TcpSocket') },
    'wasi:sockets/tcp-create-socket': { createTcpSocket: refuse },
    'wasi:sockets/udp': {
      UdpSocket: resource('UdpSocket'),
      IncomingDatagramStream: resource('IncomingDatagramStream'),
      OutgoingDatagramStream: resource('OutgoingDatagramStream'),
    },
    'wasi:sockets/udp-create-socket': { createUdpSocket: refuse },
  };
}

function passthrough(bridge: Bridge, shim: Record<string, Record<string, unknown>>): Record<string, Namespace> {
  const out: Record<string, Namespace> = {};
  for (const [name, key] of Object.entries(SOCKET_INTERFACES)) {
    const ns = shim[name] ?? {};
    const override: Namespace = {};
    if (name === 'network') {
      const shimCode = ns['networkErrorCode'] as ((e: unknown) => string | undefined) | undefined;
      // Errors of our own streams are not network errors; the shim's ones it maps itself.
      override['networkErrorCode'] = (err: IoError): string | undefined =>
        err instanceof IoError && err.shim && shimCode ? shimCode(err.shim) : undefined;
    }
    out[key] = bridge.namespace(ns, override);
  }
  return out;
}
