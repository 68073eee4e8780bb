/**
 * Limits from the command line: the flags reach the policy, and `--timeout` stops a
 * guest that never returns (a core module and a component), in a real `wasi-virt run`.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { component, wat } from '../helpers/guests.js';
import { cli, ensureBuilt } from './cli.js';

const dir = mkdtempSync(join(tmpdir(), 'wv-cli-limits-'));
const spin = join(dir, 'spin.wasm');
const spinComponent = join(dir, 'spin.component.wasm');

beforeAll(async () => {
  ensureBuilt();
  writeFileSync(spin, await wat('spin'));
  writeFileSync(spinComponent, await component(await wat('spin')));
});

describe('limit flags', () => {
  it('become the policy\'s limits, sizes and times with their units', () => {
    const r = cli(['policy', '--for', 'run', '--max-open-files', '64', '--max-memory', '64M', '--max-stdout-bytes', '10k',
      '--max-stderr-bytes', '1', '--max-write-bytes', '2G', '--timeout', '5s']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).limits).toEqual({
      'open-files': 64, 'stdout-bytes': 10240, 'stderr-bytes': 1, 'write-bytes': 2 * 1024 ** 3, 'memory-bytes': 64 * 1024 ** 2, 'timeout-ms': 5000,
    });
  });

  it('refuse a value that is not a size or a time, in one line', () => {
    const r = cli(['policy', '--timeout', '5x']);
    expect(r.stderr).toBe('wasi-virt: error: --timeout expects milliseconds such as 5000 or 5s, got "5x"\n');
    expect(r.status).toBe(2);
  });

  it.each([['a core module', spin], ['a component', spinComponent]])('--timeout stops %s that never returns: its output, one trap line, exit 134', (_, file) => {
    const r = cli(['run', '--timeout', '300', file]);
    expect(r.stdout).toBe('spinning\n');
    expect(r.stderr).toBe('wasi-virt: trap: limits.timeout-ms: the guest ran longer than 300 ms and was stopped\n');
    expect(r.status).toBe(134);
  });

  it('a guest that ends in time under --timeout keeps its exit code and output', () => {
    const hello = join(dir, 'hello.wat');
    writeFileSync(hello, '(module (import "wasi_snapshot_preview1" "proc_exit" (func $e (param i32))) (memory (export "memory") 1) (func (export "_start") (call $e (i32.const 7))))');
    const r = cli(['run', '--timeout', '60s', hello]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(7);
  });
});
