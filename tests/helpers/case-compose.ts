/**
 * The parts of the runner that need compose and inspect (src/compose, src/inspect).
 * PLACEHOLDER until they land (branch compose).
 */
import type { Abi, Expect, TestCase } from './case-format.js';
import type { Outcome } from './case-run.js';

export async function runComposed(c: TestCase, _abi: Abi, _scratch: string): Promise<Outcome> {
  void c;
  throw new Error('compose = true needs src/compose, which is not in this build yet');
}

export async function analyse(_c: TestCase, _abi: Abi, e: Expect): Promise<{ key: string; text: string }[]> {
  const key = e.encapsulation !== undefined ? 'encapsulation' : 'imports';
  return [{ key, text: 'needs inspect (src/inspect), which is not in this build yet' }];
}
