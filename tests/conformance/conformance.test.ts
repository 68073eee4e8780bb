/**
 * Every conformance program (tests/components/c/manifest.json) on every engine in ENGINES.
 * A case passes when the checks it fails are exactly the engine's expected failures for it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMPONENTS } from '../helpers/guests.js';
import { loadCases, runCase } from './cases.js';
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

for (const engine of ENGINES) {
  const table = EXPECTED_FAILURES[engine.name] ?? {};
  describe(`conformance on ${engine.name}`, () => {
    for (const k of cases) {
      it(k.name, async () => {
        const { failures } = await runCase(engine, k);
        const expected = Object.keys(table).filter((key) => key.startsWith(`${k.name}: `));
        // Unexpected failures carry the guest's own line (what was expected, what came back).
        const unexpected = [...failures].filter(([key]) => !(key in table)).map(([key, why]) => `${key} — ${why}`);
        const nowPassing = expected.filter((key) => !failures.has(key));
        expect({ unexpected, nowPassing }).toEqual({ unexpected: [], nowPassing: [] });
      });
    }
  });
}
