/**
 * The parts of the runner that use compose and inspect:
 *
 * - `compose = true`: the case's policy and guest go through composeBundle (what
 *   `wasi-virt app.wasm ... -o out` writes), and the bundle runs as `node out/<name>.js`
 *   in a child process from its own temp directory (Node 26 for a 0.3 bundle), with
 *   exactly `host-env` as its environment.
 * - `expect.encapsulation` / `expect.imports`: WASI-Virt inspects the adapter component
 *   it generated (its core module may import nothing outside `[export]`; the composed
 *   world's imports must / must not start with given prefixes). Our wasm is never
 *   rewritten, so the same questions are asked of inspect's analysis of the app under
 *   the policy: which imports *reach the host* (docs/test-cases.md has the mapping).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeBundle } from '../../src/compose/bundle.js';
import { PREVIEW2_FACETS } from '../../src/inspect/imports.js';
import { inspectApp, type InspectReport } from '../../src/inspect/report.js';
import type { Facet } from '../../src/inspect/effects.js';
import type { Policy } from '../../src/policy/types.js';
import { ensureBuilt } from '../cli/cli.js';
import { node26 } from './engines.js';
import type { Abi, Expect, TestCase } from './case-format.js';
import { childOutcome, guestArgv, guestBytes, resolvePolicy, trackTemp, type Outcome } from './case-run.js';

/** Reports of the last compose per case and ABI (a composed case is analysed as composed). */
const composed = new Map<string, InspectReport>();

export async function runComposed(c: TestCase, abi: Abi, scratch: string): Promise<Outcome> {
  ensureBuilt();
  const dir = trackTemp(mkdtempSync(join(tmpdir(), 'wv-case-bundle-')));
  const out = join(dir, 'out');
  let entry: string;
  try {
    const result = await composeBundle({
      app: { file: `${c.component}.wasm`, bytes: await guestBytes(c.component, abi) },
      policy: resolvePolicy(c.policy!, scratch),
      out,
    });
    entry = result.entry;
    if (result.report) composed.set(`${c.file}:${abi}`, result.report);
  } catch (e) {
    return { stdout: '', stderr: '', scratch, error: e instanceof Error ? e.message : String(e) };
  }
  // A WASI 0.3 bundle needs JSPI: Node 26 (tests/helpers/engines.ts).
  const r = spawnSync(abi === 'preview3' ? node26 : process.execPath, [entry, ...guestArgv(c).slice(1)], {
    cwd: dir, env: { ...c.hostEnv }, input: c.stdin ?? '', encoding: 'utf8', timeout: 60_000,
  });
  return childOutcome(r, scratch);
}

async function report(c: TestCase, abi: Abi): Promise<InspectReport> {
  const done = composed.get(`${c.file}:${abi}`);
  if (c.compose && done) return done;
  const policy: Policy = c.policy ?? {};
  return inspectApp({
    file: `${c.component}.wasm`,
    kind: abi === 'preview1' ? 'module' : 'component',
    bytes: await guestBytes(c.component, abi),
    policy,
  });
}

/** Facets of the WASI 0.2 interfaces a prefix names (how a preview2 prefix reads on preview1). */
function facetsOf(prefix: string): Set<Facet> {
  const out = new Set<Facet>();
  for (const [iface, facets] of Object.entries(PREVIEW2_FACETS)) {
    if (iface.startsWith(prefix) || prefix.startsWith(iface)) for (const f of facets) out.add(f);
  }
  return out;
}

const REACHES = new Set(['passthrough', 'unprovided']);

/** Imports (preview2) or facets (preview1) matching `prefix` that reach the host. */
function reaching(r: InspectReport, prefix: string): string[] {
  if (r.kind === 'component') {
    return r.imports.filter((i) => REACHES.has(i.effect) && (i.name.startsWith(prefix) || (i.interface ?? '').startsWith(prefix))).map((i) => i.name);
  }
  const facets = facetsOf(prefix);
  return Object.entries(r.facets)
    .filter(([f, rule]) => facets.has(f as Facet) && rule!.effect === 'passthrough')
    .map(([f]) => `${f} (via ${r.imports.filter((i) => i.facets.includes(f as Facet)).map((i) => i.field).join(', ')})`);
}

export async function analyse(c: TestCase, abi: Abi, e: Expect): Promise<{ key: string; text: string }[]> {
  const r = await report(c, abi);
  const bad: { key: string; text: string }[] = [];
  if (e.encapsulation !== undefined && r.encapsulated !== e.encapsulation) {
    bad.push({
      key: 'encapsulation',
      text: e.encapsulation ? `expected nothing to reach the host, but ${r.reasons.join('; ')}` : 'expected something to reach the host, but nothing does',
    });
  }
  for (const prefix of e.imports?.required ?? []) {
    if (reaching(r, prefix).length === 0) bad.push({ key: 'imports.required', text: `expected an import matching "${prefix}" to reach the host, but none does` });
  }
  for (const prefix of e.imports?.disallowed ?? []) {
    const hits = reaching(r, prefix);
    if (hits.length > 0) bad.push({ key: 'imports.disallowed', text: `expected nothing matching "${prefix}" to reach the host, but ${hits.join(', ')} does` });
  }
  return bad;
}
