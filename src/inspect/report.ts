/**
 * `inspect`: what an app imports and what a policy does with each import, like
 * WASI-Virt's encapsulation check but per import and with reasons. Platform-neutral:
 * the caller supplies the binary, the policy and the summaries of the built snapshots.
 */
import type { Policy } from '../policy/types.js';
import { validatePolicy } from '../policy/validate.js';
import { readComponent, splitVersion } from './component-binary.js';
import { facetRule, REACH, type Effect, type Facet, type Rule } from './effects.js';
import { limitLines, type LimitLine } from './limits.js';
import { facetsOf, isPreview3Version, PREVIEW1_FACETS, PREVIEW1_MODULES, servedVersion } from './imports.js';
import { countOf, formatBytes } from '../util/format.js';

export interface ImportEntry {
  /** As the binary names it: `module.field` for a core module, the full name (with `@version`) for a component. */
  name: string;
  /** Core modules: the import's module and field. */
  module?: string;
  field?: string;
  /** Components: the interface without its version, and the version. */
  interface?: string;
  version?: string;
  /** func, memory, table, global, tag (core); instance, func, type, ... (component). */
  kind: string;
  /** The parts of the policy this import can reach. */
  facets: Facet[];
  /** The strongest effect among its facets (passthrough > virtualized > ignored > denied). */
  effect: Effect;
  detail: string;
}

export interface MountSummary {
  /** Guest path of the mount (`/`, `/data/config.json`). */
  guest: string;
  /** Host path it was built from, as the policy gives it. */
  source: string;
  /** Lowercase hex SHA-256 of the snapshot body (docs/snapshot-format.md). */
  hash: string;
  files: number;
  dirs: number;
  symlinks: number;
  /** Sum of the file sizes. */
  contentBytes: number;
  /** The snapshot's own size (what a bundle carries). */
  snapshotBytes: number;
  root: 'directory' | 'regular-file';
  /** What the exclude patterns left out and by which pattern (when the build was asked to say). */
  leftOut?: { path: string; rule: string }[];
}

/** Version of the report's JSON shape; bumped when a field changes meaning or goes away. */
export const REPORT_FORMAT = 1;

export interface InspectReport {
  format: typeof REPORT_FORMAT;
  file: string;
  kind: 'module' | 'component';
  /** The WASI flavour the imports use: preview1, wasi_unstable, preview2, or none. */
  abi: 'preview1' | 'wasi_unstable' | 'preview2' | 'preview3' | 'none';
  imports: ImportEntry[];
  exports: string[];
  /** The rule of every facet some import reaches, by facet. */
  facets: Partial<Record<Facet, Rule>>;
  mounts: MountSummary[];
  /** Every resource limit with the value in force (docs/policy.md). */
  limits: LimitLine[];
  /** Nothing the app imports reaches the host (WASI-Virt's `encapsulation` expectation). */
  encapsulated: boolean;
  /** Why it is not encapsulated: one phrase per facet or import that reaches the host. */
  reasons: string[];
  policy: Policy;
}

export interface InspectInput {
  file: string;
  kind: 'module' | 'component';
  bytes: Uint8Array;
  policy: Policy;
  mounts?: MountSummary[];
  /** An already compiled core module (saves compiling `bytes` again). */
  module?: WebAssembly.Module;
}

export async function inspectApp(input: InspectInput): Promise<InspectReport> {
  const policy = validatePolicy(input.policy);
  const entries: ImportEntry[] = [];
  let exports: string[];
  let abi: InspectReport['abi'] = 'none';

  const wasi = (e: Omit<ImportEntry, 'effect' | 'detail'>): ImportEntry => {
    const rules = e.facets.map((f) => [f, facetRule(policy, f)] as const);
    let effect: Effect = 'denied';
    for (const [, r] of rules) if (REACH[r.effect] > REACH[effect]) effect = r.effect;
    const detail = rules.length === 1 ? rules[0]![1].detail : rules.map(([f, r]) => `${f}: ${r.effect}`).join(', ');
    return { ...e, effect, detail };
  };
  const unprovided = (e: Omit<ImportEntry, 'effect' | 'detail' | 'facets'>, detail: string): ImportEntry =>
    ({ ...e, facets: [], effect: 'unprovided', detail });

  if (input.kind === 'module') {
    const module = input.module ?? await compile(input.file, input.bytes);
    const imports = WebAssembly.Module.imports(module);
    const namespaces = new Set(imports.map((i) => i.module));
    if (namespaces.has('wasi_snapshot_preview1')) abi = 'preview1';
    else if (namespaces.has('wasi_unstable')) abi = 'wasi_unstable';
    for (const i of imports) {
      const base = { name: `${i.module}.${i.name}`, module: i.module, field: i.name, kind: i.kind };
      const facets = PREVIEW1_FACETS[i.name];
      if (!(PREVIEW1_MODULES as readonly string[]).includes(i.module)) {
        entries.push(unprovided(base, 'not a WASI import: the embedder must supply it'));
      } else if (i.kind !== 'function' || !facets) {
        entries.push(unprovided(base, `not a ${i.module} function wasi-virt knows`));
      } else {
        entries.push(wasi({ ...base, facets }));
      }
    }
    exports = WebAssembly.Module.exports(module).map((e) => e.name);
  } else {
    const summary = readComponent(input.bytes);
    for (const i of summary.imports) {
      const { interface: iface, version } = splitVersion(i.name);
      const base = { name: i.name, interface: iface, ...(version ? { version } : {}), kind: i.kind };
      const facets = facetsOf(iface, version);
      // A component importing any WASI 0.3 interface is a 0.3 component (it also imports 0.2 ones).
      if (iface.startsWith('wasi:') && abi !== 'preview3') abi = isPreview3Version(version) ? 'preview3' : 'preview2';
      if (!facets) {
        entries.push(unprovided(base, iface.startsWith('wasi:') ? `${iface} is not an interface wasi-virt serves` : 'not a WASI import: the embedder must supply it'));
      } else if (!servedVersion(version)) {
        entries.push(unprovided(base, `WASI ${version} is not served (wasi-virt serves 0.2.x and 0.3.0-rc-2026-03-15)`));
      } else {
        entries.push(wasi({ ...base, facets }));
      }
    }
    exports = summary.exports.map((e) => e.name);
  }

  const facets: Partial<Record<Facet, Rule>> = {};
  for (const e of entries) for (const f of e.facets) facets[f] ??= facetRule(policy, f);
  const reasons: string[] = [];
  for (const [f, r] of Object.entries(facets) as [Facet, Rule][]) {
    if (r.effect === 'passthrough') reasons.push(`${f} reaches the host (${r.detail})`);
  }
  for (const e of entries) if (e.effect === 'unprovided') reasons.push(`${e.name} must come from the embedder`);

  return {
    format: REPORT_FORMAT,
    file: input.file,
    kind: input.kind,
    abi,
    imports: entries,
    exports,
    facets,
    mounts: input.mounts ?? [],
    limits: limitLines(policy),
    encapsulated: reasons.length === 0,
    reasons,
    policy,
  };
}

/** An app inspect cannot read: one line. */
export class InspectError extends Error {
  readonly userFacing = true;
  override name = 'InspectError';
}

async function compile(file: string, bytes: Uint8Array): Promise<WebAssembly.Module> {
  try {
    return await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
  } catch (e) {
    throw new InspectError(`${file} is malformed: ${String((e as Error).message).replace(/^WebAssembly\.compile\(\): /, '')}`);
  }
}

const KIND_TEXT = { module: 'core module', component: 'component' } as const;

/** The report as text for a terminal: imports, the rules they reach, mounts, the verdict. */
export function formatReport(r: InspectReport): string {
  const lines: string[] = [];
  const abi = r.abi === 'none' ? 'no WASI imports' : r.abi;
  lines.push(`${r.file}: ${KIND_TEXT[r.kind]} (${abi}), ${r.imports.length} import${r.imports.length === 1 ? '' : 's'}`);
  if (r.imports.length > 0) {
    lines.push('', 'imports:');
    lines.push(...table(r.imports.map((i) => [i.name, i.effect, i.effect === 'unprovided' ? i.detail : i.facets.join(', ')])));
  }
  const facets = Object.entries(r.facets) as [Facet, Rule][];
  if (facets.length > 0) {
    lines.push('', 'policy:');
    lines.push(...table(facets.map(([f, rule]) => [f, rule.effect, rule.detail])));
  }
  if (r.mounts.length > 0) {
    lines.push('', 'mounts:');
    lines.push(...table(r.mounts.map((m) => [
      m.guest,
      `sha256:${m.hash.slice(0, 16)}`,
      m.root === 'regular-file' ? `1 file, ${formatBytes(m.contentBytes)}` : `${countOf(m.files, 'file')}, ${countOf(m.dirs, 'dir')}${m.symlinks ? `, ${countOf(m.symlinks, 'symlink')}` : ''}, ${formatBytes(m.contentBytes)}`,
      `from ${m.source}`,
    ])));
    for (const m of r.mounts) {
      if (!m.leftOut?.length) continue;
      lines.push('', `left out of ${m.guest}:`);
      lines.push(...table(m.leftOut.map((l) => [`  ${l.path}`, `by ${l.rule}`])));
    }
  }
  lines.push('', 'limits:');
  lines.push(...table(r.limits.map((l) => [l.limit, `${l.detail}${l.default && l.value !== undefined ? ' (default)' : ''}`])));
  lines.push('', `encapsulated: ${r.encapsulated ? 'yes' : 'no'}`);
  for (const reason of r.reasons) lines.push(`  ${reason}`);
  return `${lines.join('\n')}\n`;
}

function table(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((c, i) => { if (i < row.length - 1) widths[i] = Math.max(widths[i] ?? 0, c.length); });
  return rows.map((row) => `  ${row.map((c, i) => (i < row.length - 1 ? c.padEnd(widths[i]!) : c)).join('  ')}`.trimEnd());
}


