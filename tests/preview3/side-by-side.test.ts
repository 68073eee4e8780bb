/**
 * Side by side with jco's own hosts: the same programs, transpiled the same way, run over
 * @bytecodealliance/preview3-shim + preview2-shim (shim-run.mjs) and through wasi-virt.
 * Where the shim passes, both pass; where preview3-shim 0.7.0 has a defect, wasi-virt
 * passes and the shim fails exactly there (if a shim upgrade fixes one, this test says so).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { node26 } from '../helpers/engines.js';
import { expectedCode, freshFixture, runProgram, specOf, SUITE } from './helpers.js';

const SHIM_RUN = join(import.meta.dirname, 'shim-run.mjs');

function runShim(name: string, timeoutMs: number): Promise<{ code: number | null; stderr: string }> {
  const spec = specOf(name);
  const cwd = freshFixture();
  const run = spec.operations?.find((o) => o.type === 'run');
  const config = {
    env: run?.env ?? {},
    args: run?.args ?? [],
    preopens: spec.dirs?.length ? { 'fs-tests.dir': join(cwd, 'fs-tests.dir') } : {},
  };
  const child = spawn(node26, [SHIM_RUN, join(SUITE, `${name}.wasm`), JSON.stringify(config)], { cwd, stdio: ['pipe', 'ignore', 'pipe'] });
  child.stdin.end();
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

/** What preview3-shim 0.7.0 gets wrong in each program (the list), checked by where it panics. */
const SHIM_DEFECTS: Record<string, { why: string; failure: RegExp | 'hang' }> = {
  'cli-env': { why: 'reports an initial cwd where none was given', failure: /cli-env\.rs:\d+/ },
  'cli-terminal': { why: 'returns terminal handles on pipes', failure: /cli-terminal\.rs:\d+/ },
  'filesystem-io': { why: 'leaves stat().size stale after append-via-stream', failure: /left: 6\n\s*right: 15/ },
  'cli-stdio': { why: 'never resolves the stdin result future after the guest drops the stream', failure: 'hang' },
};
const AGREE = ['filesystem-read-directory', 'filesystem-advise', 'monotonic-clock', 'random'];

describe('side by side with jco + preview3-shim (Node 26)', () => {
  for (const name of AGREE) {
    it(`${name}: both pass`, async () => {
      const [shim, ours] = await Promise.all([runShim(name, 60_000), runProgram(name)]);
      expect(shim.code).toBe(0);
      expect(ours.code).toBe(expectedCode(specOf(name)));
    });
  }

  for (const [name, defect] of Object.entries(SHIM_DEFECTS)) {
    it(`${name}: the shim ${defect.why}; wasi-virt passes`, async () => {
      const shim = await runShim(name, defect.failure === 'hang' ? 15_000 : 60_000);
      if (defect.failure === 'hang') expect(shim.code).toBeNull();
      else {
        expect(shim.code).toBe(1);
        expect(shim.stderr).toMatch(defect.failure);
      }
      const ours = await runProgram(name);
      expect(ours.stderr).not.toMatch(/panicked/);
      expect(ours.code).toBe(0);
    });
  }
});
