/**
 * Every configuration test case in tests/cases (docs/test-cases.md), on each ABI it
 * names: a describe per case file, a test per ABI. A case file that does not read
 * becomes one failing test carrying its `file:line` error.
 */
import { afterAll, describe, it } from 'vitest';
import { CASES_DIR, caseFiles, checkCase, cleanup, readCase, type TestCase } from './helpers/cases.js';

afterAll(cleanup);

for (const file of caseFiles(CASES_DIR)) {
  const name = file.slice(CASES_DIR.length + 1);
  let c: TestCase;
  try {
    c = readCase(file);
  } catch (e) {
    it(name, () => {
      throw e;
    });
    continue;
  }
  describe(name, () => {
    for (const abi of c.abi) it(abi, () => checkCase(c, abi));
  });
}
