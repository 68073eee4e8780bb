/**
 * The wasi-testsuite adapter, driven the way the suite's classic runner does it: python3,
 * cwd = the test's directory, `--dir fs-tests.dir`, `--env`, `--arg`. Compared on exit code
 * and stdout, as the runner compares.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAIN } from '../helpers/build.js';
import { c, COMPONENTS, ROOT } from '../helpers/guests.js';

const ADAPTER = join(ROOT, 'adapters', 'wasi-testsuite', 'wasi_virt.py');
const work = mkdtempSync(join(tmpdir(), 'wv-suite-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function adapter(args: string[], cwd: string) {
  return spawnSync('python3', [ADAPTER, ...args], {
    cwd, encoding: 'utf8', env: { ...process.env, WASI_VIRT: `${process.execPath} ${MAIN}` }, timeout: 60_000,
  });
}

describe('wasi-testsuite adapter (classic form)', () => {
  it('answers --version with "wasi-virt X.Y.Z"', () => {
    const r = adapter(['--version'], work);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^wasi-virt \d+\.\d+\.\d+\n$/);
  });

  it('passes args (quotes, spaces) and env (newlines) through verbatim', () => {
    const dir = join(work, 'args');
    mkdirSync(dir);
    writeFileSync(join(dir, 'p1_args_env.wasm'), c('p1_args_env'));
    const r = adapter(['--test-file', 'p1_args_env.wasm', '--arg', 'first', '--arg', 'the "second" arg', '--arg', '3',
      '--env', 'a=text', '--env', 'b=escap " ing', '--env', 'c=new\nline'], dir);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('done');
    expect(r.stdout).not.toContain('FAIL');
  });

  it('preopens --dir fs-tests.dir under that very name', () => {
    const dir = join(work, 'fs');
    cpSync(join(COMPONENTS, 'fixtures', 'p1-fs'), join(dir, 'fs-tests.dir'), { recursive: true });
    writeFileSync(join(dir, 'p1_libc_files.wasm'), c('p1_libc_files'));
    const r = adapter(['--test-file', 'p1_libc_files.wasm', '--dir', 'fs-tests.dir'], dir);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain('FAIL');
  });

  it('gives proc_exit codes exactly (the suite expects 33)', () => {
    const dir = join(work, 'exit');
    mkdirSync(dir);
    writeFileSync(join(dir, 'p1_proc_exit.wasm'), c('p1_proc_exit'));
    expect(adapter(['--test-file', 'p1_proc_exit.wasm', '--arg', '33'], dir).status).toBe(33);
  });
});
