/**
 * The conformance tables and engines: every engine in ENGINES runs every program of
 * tests/components/c/manifest.json in its own file (on-*.test.ts, through suite.ts).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMPONENTS } from '../helpers/guests.js';
import { loadCases } from './cases.js';
import { ENGINES } from './engines.js';
import { EXPECTED_FAILURES } from './expected-failures.js';

const cases = loadCases();

describe('the expected-failure tables', () => {
  it('name only engines and cases that exist', () => {
    const caseNames = new Set(cases.map((k) => k.name));
    const engineNames = new Set(ENGINES.map((e) => e.name));
    const stale: string[] = [];
    for (const [engine, table] of Object.entries(EXPECTED_FAILURES)) {
      if (!engineNames.has(engine)) stale.push(`engine ${engine}`);
      for (const key of Object.keys(table)) {
        const caseName = key.slice(0, key.indexOf(': '));
        if (!caseNames.has(caseName)) stale.push(`${engine} / ${key}`);
      }
    }
    expect(stale).toEqual([]);
  });

  it('give every case a distinct name and a built program', () => {
    expect(new Set(cases.map((k) => k.name)).size).toBe(cases.length);
    const missing = cases.filter((k) => !existsSync(join(COMPONENTS, 'c', 'build', `${k.program}.wasm`)));
    expect(missing.map((k) => k.program)).toEqual([]);
  });
});

describe('the conformance engines', () => {
  it('each has its own test file (on-*.test.ts), so none is left out', () => {
    const files = readdirSync(join(COMPONENTS, '..', 'conformance')).filter((f) => /^on-.*\.test\.ts$/.test(f));
    const named = files.map((f) => readFileSync(join(COMPONENTS, '..', 'conformance', f), 'utf8').match(/conformanceOn\('([^']+)'\)/)?.[1]);
    expect(named.sort()).toEqual(ENGINES.map((e) => e.name).sort());
  });
});
