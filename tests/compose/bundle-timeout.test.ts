/**
 * A bundle composed with limits.timeout-ms stops a guest that never returns, as
 * `node out/app.js` (one trap line, exit 134) and through `run()` (a LimitTrap, with the
 * output delivered to the caller's sinks), for a core module and a component; a guest
 * that ends in time keeps its exit code.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { component, wat } from '../helpers/guests.js';
import { cli, ensureBuilt, runNode, runScript, tempDir } from './helpers.js';

let spinCore: Uint8Array;
let spinComponent: Uint8Array;
beforeAll(async () => {
  ensureBuilt();
  spinCore = await wat('spin');
  spinComponent = await component(spinCore);
});

function compose(bytes: Uint8Array, timeout: string): string {
  const work = tempDir();
  writeFileSync(join(work, 'spin.wasm'), bytes);
  const out = join(work, 'out');
  const r = cli([join(work, 'spin.wasm'), '--allow-stdio', '--timeout', timeout, '-o', out]);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return out;
}

describe.each([['core module', () => spinCore], ['component', () => spinComponent]])('a %s bundle with a timeout', (_, bytes) => {
  test('node out/spin.js: the output, one trap line, exit 134', () => {
    const out = compose(bytes(), '300');
    const r = runNode(join(out, 'spin.js'));
    expect(r.stdout).toBe('spinning\n');
    expect(r.stderr).toBe('wasi-virt: trap: limits.timeout-ms: the guest ran longer than 300 ms and was stopped\n');
    expect(r.status).toBe(134);
  });

  test('run() rejects with a LimitTrap, and the caller\'s sink has the output', () => {
    const out = compose(bytes(), '300');
    const r = runScript(`
      import { run, CaptureSink, LimitTrap } from ${JSON.stringify(join(out, 'spin.js'))};
      const stdout = new CaptureSink();
      const err = await run([], { stdout }).catch((e) => e);
      console.log(JSON.stringify({ out: stdout.text(), limit: err.limit, trap: err instanceof LimitTrap && err instanceof WebAssembly.RuntimeError, message: err.message }));
    `, out);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({
      out: 'spinning\n', limit: 'timeout-ms', trap: true, message: 'limits.timeout-ms: the guest ran longer than 300 ms and was stopped',
    });
  });
});

test('a bundle whose guest ends in time keeps its exit code under a timeout', async () => {
  const work = tempDir();
  writeFileSync(join(work, 'exit.wasm'), await wat('exit-arg'));
  const out = join(work, 'out');
  expect(cli([join(work, 'exit.wasm'), '--allow-stdio', '--timeout', '60s', '-o', out]).status).toBe(0);
  const r = runNode(join(out, 'exit.js'), ['7']);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(7);
});
