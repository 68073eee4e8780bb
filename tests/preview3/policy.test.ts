/**
 * The policy on WASI 0.3 programs: the same flags, the same kernel, the same answers as
 * for preview1 and preview2 guests. The guests are the suite's prebuilt programs (we have
 * no wasm32-wasip3 toolchain to build our own), so each case is a program whose own
 * assertions fail, or pass, exactly when the policy is (or is not) applied.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshFixture, runProgram, SUITE } from './helpers.js';

const FIXTURE = join(SUITE, 'fs-tests.dir');

describe('WASI 0.3 under the policy (Node 26)', () => {
  it('fs: without a preopen the guest sees no directory at all', async () => {
    const r = await runProgram('filesystem-read-directory', { flags: [] });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("usage: run with one open dir named 'fs-tests.dir'");
  });

  it('fs: a read-only preopen refuses mkdir with read-only and leaves the host dir as it was', async () => {
    const cwd = freshFixture();
    const dir = join(cwd, 'fs-tests.dir');
    const r = await runProgram('filesystem-mkdir-rmdir', { cwd, flags: ['--preopen', `fs-tests.dir=${dir}:ro`] });
    expect(r.code).toBe(134);
    expect(r.stderr).toContain('ErrorCode::ReadOnly');
    expect(readdirSync(dir).sort()).toEqual(['a.txt', 'b.txt']);
  });

  it('fs: the same program passes on the same directory preopened read-write', async () => {
    const cwd = freshFixture();
    const r = await runProgram('filesystem-mkdir-rmdir', { cwd, flags: ['--preopen', `fs-tests.dir=${join(cwd, 'fs-tests.dir')}`] });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('fs: a snapshot mount serves reads (open, stat, advise) and refuses writes', async () => {
    const read = await runProgram('filesystem-advise', { flags: ['--mount', `fs-tests.dir=${FIXTURE}`] });
    expect(read.stderr).toBe('');
    expect(read.code).toBe(0);
    const write = await runProgram('filesystem-mkdir-rmdir', { flags: ['--mount', `fs-tests.dir=${FIXTURE}`] });
    expect(write.code).toBe(134);
    expect(write.stderr).toContain('ErrorCode::ReadOnly');
  });

  it('stdio: stdout allowed, ignored (written, vanished) and denied (the write fails)', async () => {
    const allow = await runProgram('cli-stdio', { flags: [] });
    expect(allow.code).toBe(0);
    expect(allow.stdout).toBe('\0');
    const ignore = await runProgram('cli-stdio', { flags: ['--stdout=ignore'] });
    expect(ignore.code).toBe(0);
    expect(ignore.stdout).toBe('');
    const deny = await runProgram('cli-stdio', { flags: ['--stdout=deny'] });
    expect(deny.code).toBe(134);
    expect(deny.stderr).toContain('stdout::write_via_stream(stdout_rx).await.is_ok()');
  });

  it('clocks: deterministic clocks advance through waits (the program checks wait-for moved time), denied clocks trap', async () => {
    const det = await runProgram('monotonic-clock', { flags: ['--deterministic'] });
    expect(det.stderr).toBe('');
    expect(det.code).toBe(0);
    const denied = await runProgram('monotonic-clock', { flags: ['--allow-clocks=false'] });
    expect(denied.code).toBe(134);
    expect(denied.stderr).toContain('wasi-virt: trap: denied by policy: clocks = "deny"');
  });

  it('random: seeded under --deterministic, still fresh on every call', async () => {
    const r = await runProgram('random', { flags: ['--deterministic=7'] });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('env and cwd: the guest sees exactly the policy\'s (one more variable, or a cwd, fails cli-env)', async () => {
    const args = { spec: { operations: [{ type: 'run', args: ['a', 'b', '42'] }] } };
    const exact = await runProgram('cli-env', { ...args, flags: ['-e', 'foo=bar', '-e', 'baz=42'] });
    expect(exact.code).toBe(0);
    const extra = await runProgram('cli-env', { ...args, flags: ['-e', 'foo=bar', '-e', 'baz=42', '-e', 'more=1'] });
    expect(extra.code).toBe(134);
    const cwd = await runProgram('cli-env', { ...args, flags: ['-e', 'foo=bar', '-e', 'baz=42', '--cwd', '/'] });
    expect(cwd.code).toBe(134);
  });

  it('sockets: denied unless allowed (access-denied)', async () => {
    const r = await runProgram('sockets-tcp-bind', { flags: ['--allow-sockets=false'] });
    expect(r.code).toBe(134);
    expect(r.stderr).toContain('ErrorCode::AccessDenied');
  });

  it('http: its types (fields, responses) work while requests are denied', async () => {
    const r = await runProgram('http-fields', { flags: ['--allow-http=false'] });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});

/**
 * A Node without JSPI: the one running the tests under `npm test` (Node 20), else the
 * system's `node` when that one lacks it (`npx vitest` puts the npm `node` 26 first on PATH).
 */
function nodeWithoutJspi(): string | undefined {
  const probe = (node: string): boolean =>
    spawnSync(node, ['-e', 'process.exit(typeof WebAssembly.Suspending === "function" ? 1 : 0)']).status === 0;
  return [process.execPath, '/usr/bin/node', '/usr/local/bin/node'].find((n) => existsSync(n) && probe(n));
}
const noJspi = nodeWithoutJspi();

describe('WASI 0.3 on an engine without JSPI', () => {
  // Skipped only where no JSPI-less Node exists at all (the npm test run always has one: itself).
  it.skipIf(!noJspi)('Node without JSPI: one line saying what is needed, exit 2', async () => {
    const r = await runProgram('cli-env', { engine: noJspi!, flags: [] });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^wasi-virt: error: cannot run .*cli-env\.wasm: this component uses WASI 0\.3 \(async\), which needs JSPI \(WebAssembly\.Suspending\); this is Node [\d.]+: run it on Node >= 25\n$/);
  });
});
