/**
 * What a policy does to each part of WASI a guest can reach, as `inspect` reports it.
 * A *facet* is the smallest thing a policy rules on: a subsystem, or one stdio stream.
 * Each gets an effect (passthrough: served by the host; virtualized: served by
 * wasi-virt from the policy; ignored; denied) and a one-line detail saying how.
 *
 * The rules mirror the kernel (src/adapter/kernel): an undefined subsystem is whatever the
 * embedder supplies, which for every runner we ship means the host's.
 */
import { DEFAULT_START, DEFAULT_STEP_NS } from '../adapter/kernel/clocks.js';
import { DEFAULT_SEED } from '../adapter/kernel/random.js';
import type { FsEntry, Policy } from '../policy/types.js';
import { nestedKey } from '../policy/guest-path.js';

export type Effect = 'passthrough' | 'virtualized' | 'ignored' | 'denied' | 'unprovided';

export type Facet =
  | 'args' | 'env' | 'clocks' | 'exit' | 'signals' | 'sched' | 'fs' | 'random'
  | 'stdin' | 'stdout' | 'stderr' | 'terminal' | 'io' | 'sockets' | 'p1-sockets' | 'http';

export interface Rule {
  effect: Effect;
  detail: string;
}

/** How far an effect reaches, for combining facets: the import takes the strongest. */
export const REACH: Record<Effect, number> = { unprovided: 4, passthrough: 3, virtualized: 2, ignored: 1, denied: 0 };

/** Facets whose rule no policy changes. */
const FIXED: Record<'signals' | 'sched' | 'terminal' | 'io' | 'p1-sockets', Rule> = {
  signals: { effect: 'virtualized', detail: 'never signals the host: ignorable signals do nothing, fatal ones trap' },
  sched: { effect: 'virtualized', detail: 'no other thread to yield to (delivers buffered output)' },
  terminal: { effect: 'virtualized', detail: 'terminal resource types only (what a stream is attached to is in stdin/stdout/stderr)' },
  io: { effect: 'virtualized', detail: "wasi-virt's own streams and pollables, carrying what the other imports allow" },
  'p1-sockets': { effect: 'denied', detail: 'preview1 only acts on preopened sockets and wasi-virt hands out none (calls fail)' },
};

export function facetRule(policy: Policy, facet: Facet): Rule {
  switch (facet) {
    case 'args':
      return policy.args
        ? { effect: 'virtualized', detail: `argv fixed by the policy (${policy.args.length} entries), then the caller's arguments` }
        : { effect: 'virtualized', detail: 'argv as the caller passes it (command line, run(args))' };
    case 'env':
      return envRule(policy);
    case 'clocks': {
      const c = policy.clocks;
      if (c === 'deny') return { effect: 'denied', detail: 'clocks = deny: every clock reading fails' };
      if (c && typeof c === 'object') {
        const d = c.deterministic;
        return { effect: 'virtualized', detail: `deterministic: starts ${d.start ?? DEFAULT_START}, +${d['step-ns'] ?? DEFAULT_STEP_NS} ns per reading` };
      }
      return { effect: 'passthrough', detail: "the host's wall and monotonic clocks" };
    }
    case 'random': {
      const r = policy.random;
      if (r === 'deny') return { effect: 'denied', detail: 'random = deny: every request fails' };
      if (r && typeof r === 'object') return { effect: 'virtualized', detail: `deterministic: seeded with ${r.deterministic.seed ?? DEFAULT_SEED}` };
      return { effect: 'passthrough', detail: "the host's secure random source" };
    }
    case 'exit':
      return unlessDenied(policy.exit === 'deny', 'exit = deny: a non-zero exit traps (exit 0 ends the guest normally)',
        { effect: 'virtualized', detail: 'the code is returned to the caller; the host process is never ended by the guest' });
    case 'stdin': case 'stdout': case 'stderr':
      return streamRule(policy, facet);
    case 'fs':
      return fsRule(policy);
    case 'sockets':
      return unlessDenied(policy.sockets === 'deny', 'sockets = deny: creating a socket or resolving a name fails',
        { effect: 'passthrough', detail: "the host's network, through @bytecodealliance/preview2-shim" });
    case 'http':
      return unlessDenied(policy.http === 'deny', 'http = deny: every outgoing request fails with HTTP-request-denied',
        { effect: 'passthrough', detail: "outgoing requests go to the host's network, through @bytecodealliance/preview2-shim" });
    default:
      return FIXED[facet];
  }
}

/** A facet the policy either denies (saying how) or leaves to `otherwise`. */
function unlessDenied(denied: boolean, detail: string, otherwise: Rule): Rule {
  return denied ? { effect: 'denied', detail } : otherwise;
}

function envRule(policy: Policy): Rule {
  const env = policy.env;
  if (!env) return { effect: 'passthrough', detail: "every host variable (env is not virtualized)" };
  const set = env.overrides.length;
  const setText = set === 0 ? 'no variable set by the policy' : `${set} variable${set === 1 ? '' : 's'} set by the policy`;
  const host = env.host;
  if (host === 'none' || (typeof host === 'object' && 'allow' in host && host.allow.length === 0)) {
    return { effect: 'virtualized', detail: `${setText}, no host variable` };
  }
  if (host === 'all') return { effect: 'passthrough', detail: `every host variable, ${setText}` };
  if ('allow' in host) return { effect: 'passthrough', detail: `host variables ${host.allow.join(', ')}; ${setText}` };
  return { effect: 'passthrough', detail: `every host variable but ${host.deny.join(', ') || '(none)'}; ${setText}` };
}

function streamRule(policy: Policy, name: 'stdin' | 'stdout' | 'stderr'): Rule {
  const mode = policy.stdio?.[name] ?? 'allow';
  const input = name === 'stdin';
  if (mode === 'allow') return { effect: 'passthrough', detail: `the host's ${name}` };
  if (mode === 'ignore') return { effect: 'ignored', detail: input ? 'stdin = ignore: reads see end of file' : `${name} = ignore: writes succeed and are discarded` };
  return { effect: 'denied', detail: `${name} = deny: ${input ? 'reads' : 'writes'} fail` };
}

/** One mount or host directory of the guest file system, as a report line names it. */
export interface FsPlace {
  guest: string;
  what: 'memory' | 'snapshot' | 'host-dir' | 'host-file';
  /** Host path (snapshot source or runtime path). */
  host?: string;
  readonly?: boolean;
}

/** Every place in the guest file system the policy defines, nested ones included. */
export function fsPlaces(policy: Policy): FsPlace[] {
  const out: FsPlace[] = [];
  const visit = (guest: string, entry: FsEntry, top: boolean): void => {
    if ('dir' in entry) {
      if (top) out.push({ guest, what: 'memory' });
      for (const [name, child] of Object.entries(entry.dir)) visit(nestedKey(guest, [name]), child, false);
    } else if ('virtualize' in entry) {
      out.push({ guest, what: 'snapshot', host: typeof entry.virtualize === 'string' ? entry.virtualize : entry.virtualize.path });
    } else if ('runtime-dir' in entry) {
      const rd = entry['runtime-dir'];
      const o = typeof rd === 'string' ? { path: rd } : rd;
      out.push({ guest, what: 'host-dir', host: o.path, readonly: o.readonly ?? false });
    } else if ('runtime-file' in entry) {
      out.push({ guest, what: 'host-file', host: entry['runtime-file'] });
    }
  };
  for (const [guest, entry] of Object.entries(policy.fs?.preopens ?? {})) visit(guest, entry, true);
  return out;
}

function fsRule(policy: Policy): Rule {
  const fs = policy.fs;
  if (!fs) return { effect: 'passthrough', detail: "the embedder's preopens (fs is not virtualized)" };
  const places = fsPlaces(policy);
  const parts = places.map(placeText);
  if (fs['host-preopens']) parts.push("the embedder's preopens");
  const host = fs['host-preopens'] || places.some((p) => p.what === 'host-dir' || p.what === 'host-file');
  if (host) return { effect: 'passthrough', detail: parts.join('; ') };
  if (places.length > 0) return { effect: 'virtualized', detail: `read-only: ${parts.join('; ')}` };
  return { effect: 'denied', detail: 'no preopens: the guest sees no file system' };
}

function placeText(p: FsPlace): string {
  switch (p.what) {
    case 'memory': return `${p.guest} in memory`;
    case 'snapshot': return `${p.guest} snapshot of ${p.host}`;
    case 'host-dir': return `${p.guest} host dir ${p.host}${p.readonly ? ' (read-only)' : ''}`;
    case 'host-file': return `${p.guest} host file ${p.host}`;
  }
}
