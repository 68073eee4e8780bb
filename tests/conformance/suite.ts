/**
 * Every conformance program (tests/components/c/manifest.json) on one engine: a case passes
 * when the checks it fails are exactly the engine's expected failures for it. One test
 * file per engine (tests/conformance/on-*.test.ts), so the engines run side by side on
 * vitest's workers instead of one after another in one file (~70 s).
 */
import { describe, expect, it } from 'vitest';
import { loadCases, runCase } from './cases.js';
import { ENGINES } from './engines.js';
import { EXPECTED_FAILURES } from './expected-failures.js';

export function conformanceOn(name: string): void {
  const engine = ENGINES.find((e) => e.name === name);
  if (!engine) throw new Error(`no conformance engine named ${name}`);
  const table = EXPECTED_FAILURES[engine.name] ?? {};
  describe(`conformance on ${engine.name}`, () => {
    for (const k of loadCases()) {
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
