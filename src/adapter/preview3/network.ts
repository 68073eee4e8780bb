/**
 * wasi:sockets@0.3 and wasi:http@0.3 under the policy. Allowed, they are an
 * implementation supplied by the platform (Node: @bytecodealliance/preview3-shim, see
 * network-node.ts); denied (or with none supplied), sockets cannot be created and names
 * do not resolve (`access-denied`), and http requests fail with `HTTP-request-denied`
 * while its types (fields, requests, responses) keep working, as in the 0.2 face.
 */
import { WitError, type Ctx } from './context.js';

/** Namespaces of one 0.3 network implementation, by interface name (`wasi:sockets/types`, ...). */
export type Network3 = Record<string, Record<string, unknown>>;

const SOCKETS = ['wasi:sockets/types', 'wasi:sockets/ip-name-lookup'];

function denied(tag: string): never {
  throw new WitError({ tag });
}

/** Sockets that can never be made: every constructor answers `access-denied` (so none is ever dropped). */
class DeniedTcpSocket {
  static create(): never { return denied('access-denied'); }
  [Symbol.dispose](): void {}
}
class DeniedUdpSocket {
  static create(): never { return denied('access-denied'); }
  [Symbol.dispose](): void {}
}

export function createNetwork(ctx: Ctx, impl: Network3 | undefined): Record<string, Record<string, unknown>> {
  const { kernel } = ctx;
  const out: Record<string, Record<string, unknown>> = {};
  if (kernel.allows('sockets') && impl && SOCKETS.every((k) => impl[k])) {
    for (const k of SOCKETS) out[k] = impl[k]!;
  } else {
    out['wasi:sockets/types'] = { TcpSocket: DeniedTcpSocket, UdpSocket: DeniedUdpSocket };
    out['wasi:sockets/ip-name-lookup'] = { resolveAddresses: async (): Promise<never> => denied('access-denied') };
  }
  if (impl?.['wasi:http/types']) {
    out['wasi:http/types'] = impl['wasi:http/types'];
    out['wasi:http/client'] = kernel.allows('http') && impl['wasi:http/client']
      ? impl['wasi:http/client']
      : { send: async (): Promise<never> => denied('HTTP-request-denied') };
  }
  return out;
}
