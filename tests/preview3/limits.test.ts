/**
 * The policy's `limits` on WASI 0.3 programs (`wasi-virt run` on Node 26): each limit
 * once past what the program needs (its own check fails, or the run is stopped) and once
 * with room (the same program passes), so each case shows the limit is what made the
 * difference. The programs are the suite's prebuilt ones (tests/components/wasi-testsuite-p3).
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshFixture, runProgram } from './helpers.js';

const ENV = ['-e', 'foo=bar', '-e', 'baz=42'];
const ENV_SPEC = { spec: { operations: [{ type: 'run', args: ['a', 'b', '42'] }] } };

describe('WASI 0.3 under limits (Node 26)', () => {
  it('open-files: stdio and the preopen fill 4, so the program\'s first open fails; it needs two more, and passes with them', async () => {
    const tight = await runProgram('filesystem-io', { flags: ['--dir', 'fs-tests.dir', '--max-open-files=4'] });
    expect(tight.code).toBe(134);
    expect(tight.stderr).toContain('ErrorCode::InsufficientMemory');
    const short = await runProgram('filesystem-io', { flags: ['--dir', 'fs-tests.dir', '--max-open-files=6'] });
    expect(short.code).toBe(134);
    const room = await runProgram('filesystem-io', { flags: ['--dir', 'fs-tests.dir', '--max-open-files=7'] });
    expect(room.stderr).toBe('');
    expect(room.code).toBe(0);
  });

  it('stdout-bytes: the async write of one byte fails at 0 and passes at 1', async () => {
    const none = await runProgram('cli-stdio', { flags: ['--max-stdout-bytes=0'] });
    expect(none.code).toBe(134);
    expect(none.stdout).toBe('');
    expect(none.stderr).toContain('stdout::write_via_stream(stdout_rx).await.is_ok()');
    const one = await runProgram('cli-stdio', { flags: ['--max-stdout-bytes=1'] });
    expect(one).toMatchObject({ code: 0, stdout: '\0' });
  });

  it('stderr-bytes: the program\'s usage line is cut at the limit', async () => {
    const cut = await runProgram('filesystem-read-directory', { flags: ['--max-stderr-bytes=10'] });
    expect(cut).toMatchObject({ code: 1, stdout: '', stderr: 'usage: run' });
    const whole = await runProgram('filesystem-read-directory', { flags: [] });
    expect(whole.stderr).toBe("usage: run with one open dir named 'fs-tests.dir'\n");
  });

  it('write-bytes: a write into a host file past the limit answers quota, and the file holds what fitted', async () => {
    const cwd = freshFixture();
    const r = await runProgram('filesystem-io', { cwd, flags: ['--dir', 'fs-tests.dir', '--max-write-bytes=1'] });
    expect(r.code).toBe(134);
    expect(r.stderr).toContain('Err(ErrorCode::Quota)');
    const written = readdirSync(join(cwd, 'fs-tests.dir')).filter((f) => !['a.txt', 'b.txt'].includes(f));
    expect(written.map((f) => statSync(join(cwd, 'fs-tests.dir', f)).size)).toEqual([1]);
    const room = await runProgram('filesystem-io', { flags: ['--dir', 'fs-tests.dir', '--max-write-bytes=1M'] });
    expect(room.code).toBe(0);
  });

  it('memory-bytes: held at instantiation (a 1.06 MiB memory over 1 MiB traps); with room, JSPI\'s async imports still work', async () => {
    const tight = await runProgram('cli-env', { ...ENV_SPEC, flags: [...ENV, '--max-memory=1M'] });
    expect(tight.code).toBe(134);
    expect(tight.stderr).toMatch(/^wasi-virt: trap: limits\.memory-bytes: the guest's linear memory is \d+ bytes, over the limit of 1048576\n$/);
    // monotonic-clock's waits are JSPI-suspending imports reached through jco's other core
    // instances: a memory guard wrapping those in JS frames traps ("trying to suspend JS frames").
    const room = await runProgram('monotonic-clock', { flags: ['--max-memory=64M'] });
    expect(room.stderr).toBe('');
    expect(room.code).toBe(0);
  });

  it('timeout-ms: a server waiting for a connection is stopped at the limit; a short program is not', async () => {
    const started = Date.now();
    const r = await runProgram('sockets-echo', { spec: {}, flags: ['--allow-sockets', '--timeout=1500ms'] });
    expect(r.code).toBe(134);
    expect(r.stdout).toMatch(/^127\.0\.0\.1:\d+\n$/);
    expect(r.stderr).toBe('wasi-virt: trap: limits.timeout-ms: the guest ran longer than 1500 ms and was stopped\n');
    expect(Date.now() - started).toBeLessThan(30_000);
    const quick = await runProgram('monotonic-clock', { flags: ['--timeout=30s'] });
    expect(quick.stderr).toBe('');
    expect(quick.code).toBe(0);
  });
});
