/**
 * The resource limits a policy sets, as `inspect` reports them: every limit with the value
 * in force, the default marked, so a reader sees what is unbounded too.
 */
import { DEFAULT_OPEN_FILES, type LimitsPolicy, type Policy } from '../policy/types.js';
import { LIMIT_KEYS } from '../policy/validate.js';
import { formatBytes } from '../util/format.js';

export interface LimitLine {
  limit: keyof LimitsPolicy;
  /** The value in force; undefined when unbounded. */
  value?: number;
  /** The value comes from the default, not the policy. */
  default: boolean;
  detail: string;
}

export function limitLines(policy: Policy): LimitLine[] {
  return LIMIT_KEYS.map((limit) => {
    const set = policy.limits?.[limit];
    const value = set ?? (limit === 'open-files' ? DEFAULT_OPEN_FILES : undefined);
    const line: LimitLine = { limit, default: set === undefined, detail: describe(limit, value) };
    if (value !== undefined) line.value = value;
    return line;
  });
}

function describe(limit: keyof LimitsPolicy, value: number | undefined): string {
  if (value === undefined) return limit === 'timeout-ms' ? 'none' : 'unbounded';
  if (limit === 'open-files') return `${value} open files, then EMFILE`;
  if (limit === 'timeout-ms') return `${value} ms, then a trap`;
  if (limit === 'memory-bytes') return `${formatBytes(value)} of linear memory, then a trap`;
  return `${formatBytes(value)}, then EDQUOT`;
}
