/**
 * The test-case runner (docs/test-cases.md): find the case files, run a case on one ABI,
 * and check every expectation. A failure names the case, the ABI and the key, one line
 * per broken expectation:
 *
 *   env-allow.toml [preview2] expect.env: expected [["CUSTOM","VAL"]] got []
 */
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Abi, Expect, TestCase } from './case-format.js';
import { inProcess, makeScratch, viaCli, type Outcome } from './case-run.js';
import { analyse, runComposed } from './case-compose.js';
import { ROOT } from './guests.js';

export { readCase, type Abi, type TestCase } from './case-format.js';
export { cleanup } from './case-run.js';

/** Every `*.toml` in `dir`, sorted by name. */
export function caseFiles(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.toml')).sort().map((f) => join(dir, f));
}

const SHORT = 160;

/** Two values for a message: whole when short, else the first difference with context. */
function show(expected: string, got: string): string {
  if (expected.length <= SHORT && got.length <= SHORT) return `expected ${JSON.stringify(expected)} got ${JSON.stringify(got)}`;
  let i = 0;
  while (i < expected.length && i < got.length && expected[i] === got[i]) i++;
  const around = (s: string) => JSON.stringify(s.slice(Math.max(0, i - 30), i + 50));
  return `expected ${expected.length} chars, got ${got.length}; first difference at char ${i}: expected ...${around(expected)}... got ...${around(got)}...`;
}

/** `K=V` lines as pairs (split at the first `=`). */
function envPairs(stdout: string): [string, string][] {
  return stdout.split('\n').filter((l) => l !== '').map((l) => {
    const eq = l.indexOf('=');
    return eq < 0 ? [l, ''] : [l.slice(0, eq), l.slice(eq + 1)];
  });
}

function runSummary(o: Outcome): string {
  if (o.error !== undefined) return `it was refused: ${o.error}`;
  if (o.trap !== undefined) return `it trapped: ${o.trap}`;
  return `it exited with ${o.code}`;
}

/** The checks that compare one run's output with the expectations; each failure a line. */
async function checkOutcome(c: TestCase, abi: Abi, e: Expect, o: Outcome): Promise<string[]> {
  const bad: string[] = [];
  const fail = (key: string, text: string) => bad.push(`${c.name} [${abi}] expect.${key}: ${text}`);

  if (e.error !== undefined) {
    if (o.error === undefined) fail('error', `expected a refusal containing ${JSON.stringify(e.error)}, but ${runSummary(o)}`);
    else if (!o.error.includes(e.error)) fail('error', `expected a refusal containing ${JSON.stringify(e.error)}, got ${JSON.stringify(o.error)}`);
    return bad;
  }
  if (o.error !== undefined) {
    bad.push(`${c.name} [${abi}] run: refused before the guest ran: ${o.error}`);
    return bad;
  }
  if (e.trap !== undefined) {
    if (o.trap === undefined) fail('trap', `expected a trap containing ${JSON.stringify(e.trap)}, but ${runSummary(o)}`);
    else if (!o.trap.includes(e.trap)) fail('trap', `expected a trap containing ${JSON.stringify(e.trap)}, got ${JSON.stringify(o.trap)}`);
  } else if (o.trap !== undefined) {
    bad.push(`${c.name} [${abi}] run: unexpected trap: ${o.trap}${o.stdout ? ` (stdout ${JSON.stringify(o.stdout.slice(0, SHORT))})` : ''}`);
  } else {
    const want = e['exit-code'] ?? 0;
    // jco's preview1 adapter turns proc_exit(N) into exit(ok | err): the host sees 0 or 1.
    // A 0.3 guest calls exit-with-code itself, so preview3 keeps the code, as preview1 does.
    const ok = abi === 'preview2' ? (want === 0) === (o.code === 0) : o.code === want;
    if (!ok) {
      const what = abi === 'preview2' && want !== 0 ? `non-zero (${want} on preview1; the adapter reports 1)` : String(want);
      fail('exit-code', `expected ${what} got ${o.code}${o.stdout ? ` (stdout ${JSON.stringify(o.stdout.slice(0, SHORT))})` : ''}`);
    }
  }
  if (e.env !== undefined) {
    const got = envPairs(o.stdout);
    if (JSON.stringify(got) !== JSON.stringify(e.env)) fail('env', `expected ${JSON.stringify(e.env)} got ${JSON.stringify(got)}`);
  }
  if (e['file-read'] !== undefined && o.stdout !== e['file-read']) fail('file-read', show(e['file-read'], o.stdout));
  if (e.stdout !== undefined && o.stdout !== e.stdout) fail('stdout', show(e.stdout, o.stdout));
  if (e.stderr !== undefined && o.stderr !== e.stderr) fail('stderr', show(e.stderr, o.stderr));
  for (const [key, text] of [['stdout-contains', o.stdout], ['stderr-contains', o.stderr]] as const) {
    for (const want of e[key] ?? []) {
      if (!text.includes(want)) fail(key, `expected to contain ${JSON.stringify(want)}, got ${JSON.stringify(text.length > 400 ? `${text.slice(0, 400)}...` : text)}`);
    }
  }
  if (e.encapsulation !== undefined || e.imports !== undefined) {
    for (const line of await analyse(c, abi, e)) fail(line.key, line.text);
  }
  for (const [rel, want] of Object.entries(e['host-files'] ?? {})) {
    const p = join(o.scratch, rel);
    const st = lstatSync(p, { throwIfNoEntry: false });
    if (want === false) {
      if (st) fail(`host-files."${rel}"`, 'expected no such file on the host, but it exists');
    } else if (!st) {
      fail(`host-files."${rel}"`, `expected ${JSON.stringify(want)} on the host, but there is no such file`);
    } else {
      const got = st.isSymbolicLink() ? `-> ${readlinkSync(p)}` : st.isDirectory() ? '(a directory)' : readFileSync(p, 'utf8');
      if (got !== want) fail(`host-files."${rel}"`, show(want, got));
    }
  }
  return bad;
}

/** Run a case once on one ABI, the way the case asks (in process, `cli`, `compose`). */
export async function runCase(c: TestCase, abi: Abi): Promise<Outcome> {
  const scratch = makeScratch(c);
  // `wasi-virt run` gets to refuse bad flags itself; every other refusal stops here.
  if (c.cli && c.refusedBy !== 'virt-opts') return viaCli(c, abi, scratch);
  if (c.refusal !== undefined) return { stdout: '', stderr: '', scratch, error: c.refusal };
  if (c.compose) return runComposed(c, abi, scratch);
  return inProcess(c, abi, scratch);
}

/** Run `c` on `abi` (twice when `expect.deterministic`) and throw one Error listing every failed expectation. */
export async function checkCase(c: TestCase, abi: Abi): Promise<void> {
  const e = c.expect[abi];
  const first = await runCase(c, abi);
  const bad = await checkOutcome(c, abi, e, first);
  if (e.deterministic) {
    const second = await runCase(c, abi);
    for (const key of ['stdout', 'stderr'] as const) {
      if (first[key] !== second[key]) bad.push(`${c.name} [${abi}] expect.deterministic: two runs differ on ${key}: ${show(first[key], second[key])}`);
    }
    if (first.code !== second.code || first.trap !== second.trap) {
      bad.push(`${c.name} [${abi}] expect.deterministic: two runs ended differently: ${runSummary(first)} / ${runSummary(second)}`);
    }
  }
  if (bad.length > 0) throw new Error(bad.join('\n'));
}

/** The case files of the repository. */
export const CASES_DIR = join(ROOT, 'tests', 'cases');
