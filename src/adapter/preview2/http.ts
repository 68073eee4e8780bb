/**
 * wasi:http (types, outgoing-handler). Allowed: preview2-shim's Node client through the
 * bridge. Denied: `handle` fails with `HTTP-request-denied`; the types still work when
 * the shim is available (a guest may build a request before it is refused), and trap on
 * construction where it is not (they have no error channel).
 */
import { WasiError } from '../../virtual-fs/errors.js';
import { type Bridge, deniedClass } from './bridge.js';
import type { Ctx, Namespace } from './context.js';
import { IoError } from './io.js';

const TYPE_CLASSES = [
  'Fields', 'IncomingRequest', 'OutgoingRequest', 'RequestOptions', 'ResponseOutparam',
  'IncomingResponse', 'IncomingBody', 'FutureTrailers', 'OutgoingResponse', 'OutgoingBody',
  'FutureIncomingResponse',
];

export function createHttp(ctx: Ctx, bridge: Bridge | undefined): Record<string, Namespace> {
  const { kernel } = ctx;
  const shim = ctx.network?.http;
  const allowed = kernel.allows('http');
  const rule = allowed ? 'wasi:http has no implementation on this platform' : 'denied by policy: http = "deny"';

  let types: Namespace;
  if (shim?.['types'] && bridge) {
    const shimCode = shim['types']['httpErrorCode'] as ((e: unknown) => unknown) | undefined;
    types = bridge.namespace(shim['types'], {
      httpErrorCode: (err: IoError): unknown =>
        err instanceof IoError && err.shim && shimCode ? bridge.out(shimCode(err.shim)) : undefined,
    });
  } else {
    types = { httpErrorCode: (): undefined => undefined };
    for (const name of TYPE_CLASSES) types[name] = deniedClass(name, rule);
  }

  let handle: (...args: unknown[]) => unknown;
  const shimHandle = shim?.['outgoingHandler']?.['handle'] as ((...a: unknown[]) => unknown) | undefined;
  if (allowed && shimHandle && bridge) {
    handle = (...args) => bridge.call(() => shimHandle(...args.map((a) => bridge.in(a))));
  } else {
    handle = () => {
      ctx.failed?.(new WasiError('notcapable', rule));
      throw { tag: 'HTTP-request-denied' };
    };
  }
  return {
    'wasi:http/types': types,
    'wasi:http/outgoing-handler': { handle },
  };
}
