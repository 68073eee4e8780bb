/**
 * The CLI's component runner in a real Node process (the built dist/): exit codes, the
 * guest's argv, one-line traps with exit 134, one-line refusals with exit 2, --debug
 * traces on stderr, and output delivered before the trap line.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Policy } from '../../src/policy/types.js';
import { ensureBuilt } from '../cli/cli.js';
import { ROOT } from '../helpers/guests.js';
import { watComponent } from './helpers.js';

let dir: string;
const files: Record<string, string> = {};
beforeAll(async () => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'wasi-virt-p2cli-'));
  for (const name of ['hello', 'p2-tool', 'p2-trap', 'p2-bench']) {
    files[name] = join(dir, `${name}.wasm`);
    writeFileSync(files[name], await watComponent(name));
  }
  files['broken'] = join(dir, 'broken.wasm');
  writeFileSync(files['broken'], (await watComponent('hello')).subarray(0, 200));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const DRIVER = `
import { readFileSync } from 'node:fs';
const { runComponentCommand } = await import(process.argv[1]);
const req = JSON.parse(process.argv[2]);
process.exitCode = await runComponentCommand(req, new Uint8Array(readFileSync(req.file)));
`;

function runCli(name: string, guestArgs: string[] = [], policy: Policy = {}, debug = false) {
  const req = { file: files[name], policy, guestArgs, debug };
  const entry = pathToFileURL(join(ROOT, 'dist', 'cli', 'run-component.js')).href;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', DRIVER, entry, JSON.stringify(req)], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, WASI_VIRT_CACHE: join(ROOT, '.cache', 'wasi-virt-test') },
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('runComponentCommand', () => {
  it('runs a component and exits with its code', () => {
    expect(runCli('hello')).toEqual({ status: 0, stdout: 'hello from wasi\n', stderr: '' });
    expect(runCli('p2-tool', ['exit', '7']).status).toBe(1);
  });

  it('delivers every byte written to a pipe before the process exits', () => {
    const r = runCli('p2-bench', ['write', '100000']);
    expect(r.status).toBe(0);
    expect(r.stdout.length).toBe(200_000);
    expect(r.stdout).toBe('x\n'.repeat(100_000));
  });

  it('gives the guest the file name and the arguments after it', () => {
    expect(runCli('p2-tool', ['args', '--x', 'y']).stdout).toBe('p2-tool.wasm\nargs\n--x\ny\n');
  });

  it('reports a trap in one line after the guest output, exit 134', () => {
    const r = runCli('p2-trap');
    expect(r.status).toBe(134);
    expect(r.stdout).toBe('before\n');
    expect(r.stderr).toBe('wasi-virt: trap: wasm `unreachable` instruction executed (in boom)\n');
  });

  it('reports a policy trap with its rule', () => {
    const r = runCli('p2-tool', ['exit', '3'], { exit: 'deny' });
    expect(r.status).toBe(134);
    expect(r.stderr).toBe('wasi-virt: trap: denied by policy: exit = "deny" (the guest tried to exit with code 1)\n');
  });

  it('refuses a component it cannot run in one line, exit 2', () => {
    const r = runCli('broken');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^wasi-virt: error: cannot run \S+broken\.wasm: not a runnable component: [^\n]+\n$/);
  });

  it('refuses a preopen that cannot be set up in one line, exit 2', () => {
    const r = runCli('hello', [], { fs: { 'host-preopens': false, preopens: { '/': { 'runtime-dir': join(dir, 'missing') } } } });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^wasi-virt: error: cannot run \S+hello\.wasm: host directory "\S+missing" does not exist\n$/);
  });

  it('traces host calls to stderr with --debug', () => {
    const r = runCli('p2-tool', ['args'], {}, true);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('[wasi-virt] wasi:cli/environment#get-arguments() -> ["p2-tool.wasm", "args"]\n');
  });
});
