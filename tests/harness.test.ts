/**
 * The test run's own temp directory (tests/helpers/global-setup.ts): every mkdtemp of a
 * test lands inside it, and the run removes it at the end.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { expect, it } from 'vitest';

it('temp dirs of a test are made inside the run\'s own directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'probe-'));
  expect(basename(dirname(dir))).toMatch(/^wasi-virt-tests-/);
});
