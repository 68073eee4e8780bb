/**
 * The twenty prebuilt wasm32-wasip3 programs of the public wasi-testsuite
 * (tests/components/wasi-testsuite-p3, see its README), run through `wasi-virt run` on
 * Node 26 exactly as the suite's runner does, each expected to exit as its spec says.
 */
import { describe, expect, it } from 'vitest';
import { expectedCode, programs, runProgram, specOf } from './helpers.js';

describe('wasi-testsuite wasm32-wasip3 programs through wasi-virt run (Node 26)', () => {
  const names = programs();

  it('has the twenty programs', () => {
    expect(names).toHaveLength(20);
  });

  for (const name of names) {
    it(name, async () => {
      const spec = specOf(name);
      const r = await runProgram(name, { spec });
      expect(r.stderr).not.toMatch(/panicked|trap:/);
      expect(r.code).toBe(expectedCode(spec));
    });
  }
});
