/**
 * The conformance cases (tests/components/c/manifest.json) and how one case's run is judged.
 * A case's outcome is the set of its failure keys, `<case>: <check>`; the runner compares that
 * set with an engine's expected-failure table, so an engine that starts or stops failing a
 * check shows up as a test failure either way.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMPONENTS, c } from '../helpers/guests.js';
import type { Engine, RunResult } from './engines.js';

export interface CaseDir {
  guest: string;
  /** Directory under tests/components/fixtures, or null for an empty directory. */
  fixture: string | null;
}

export interface Case {
  name: string;
  program: string;
  args: string[];
  env: Record<string, string>;
  dirs: CaseDir[];
  exitCode: number;
  stdout?: string;
  stdin?: string;
  timeoutMs?: number;
}

export function loadCases(): Case[] {
  const raw = JSON.parse(readFileSync(join(COMPONENTS, 'c', 'manifest.json'), 'utf8')) as {
    cases: Partial<Case>[];
  };
  return raw.cases.map((k) => ({
    name: k.name!,
    program: k.program!,
    args: k.args ?? [],
    env: k.env ?? {},
    dirs: k.dirs ?? [],
    exitCode: k.exitCode ?? 0,
    stdout: k.stdout,
    stdin: k.stdin,
    timeoutMs: k.timeoutMs,
  }));
}

export interface CaseOutcome {
  result: RunResult;
  /** Failure key → the line or reason that produced it. */
  failures: Map<string, string>;
}

/** Runs one case on one engine in fresh copies of its fixture directories. */
export async function runCase(engine: Engine, k: Case): Promise<CaseOutcome> {
  const work = mkdtempSync(join(tmpdir(), `conformance-${k.name}-`));
  try {
    const dirs: Record<string, string> = {};
    k.dirs.forEach((d, i) => {
      const host = join(work, `dir${i}`);
      if (d.fixture === null) mkdirSync(host);
      else cpSync(join(COMPONENTS, 'fixtures', d.fixture), host, { recursive: true, verbatimSymlinks: true });
      dirs[d.guest] = host;
    });
    const result = await engine.run(c(k.program), {
      args: [k.program, ...k.args],
      env: k.env,
      dirs,
      stdin: k.stdin,
      timeoutMs: k.timeoutMs,
    });
    return { result, failures: judge(k, result) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export function judge(k: Case, r: RunResult): Map<string, string> {
  const failures = new Map<string, string>();
  const lines = `${r.stdout}\n${r.stderr}`.split('\n');
  for (const line of lines) {
    const m = /^FAIL (\S+):/.exec(line);
    if (m) failures.set(`${k.name}: ${m[1]}`, line);
  }
  const expectedCode = failures.size > 0 ? 1 : k.exitCode;
  if (r.code !== expectedCode) failures.set(`${k.name}: exit ${r.code}`, `exit code ${r.code}, expected ${expectedCode}\n${r.stderr.slice(-2000)}`);
  if (k.stdout !== undefined) {
    if (r.stdout !== k.stdout) failures.set(`${k.name}: stdout`, `stdout ${JSON.stringify(r.stdout.slice(0, 500))}, expected ${JSON.stringify(k.stdout)}`);
  } else if (!lines.includes('done')) {
    failures.set(`${k.name}: incomplete`, `no "done" line; the program stopped early\n${r.stderr.slice(-2000)}`);
  }
  return failures;
}
