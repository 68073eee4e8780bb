/**
 * The guest environment exactly as the policy resolves it: overrides first, in the order
 * given (a repeated key keeps its first position and its last value), then the host
 * variables the host rule lets through, in host order, minus overridden keys. Nothing
 * else reaches the guest.
 */
import type { EnvPolicy } from '../../policy/types.js';

export function resolveEnv(policy: EnvPolicy | undefined, host: Record<string, string | undefined>): [string, string][] {
  const rule = policy?.host ?? 'all';
  const out = new Map<string, string>();
  for (const [k, v] of policy?.overrides ?? []) out.set(k, v);
  if (rule === 'none') return [...out];
  const allow = typeof rule === 'object' && 'allow' in rule ? new Set(rule.allow) : undefined;
  const deny = typeof rule === 'object' && 'deny' in rule ? new Set(rule.deny) : undefined;
  for (const [k, v] of Object.entries(host)) {
    if (v === undefined || out.has(k)) continue;
    if (allow && !allow.has(k)) continue;
    if (deny?.has(k)) continue;
    out.set(k, v);
  }
  return [...out];
}
