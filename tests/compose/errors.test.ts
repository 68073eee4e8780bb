/**
 * Compose refuses bad input with one line and exit 2, writes nothing when it refuses,
 * and never deletes a file it did not write.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { COMPONENTS } from '../helpers/guests.js';
import { cli, ensureBuilt, runNode, tempDir, writeTree } from './helpers.js';

const CAT = join(COMPONENTS, 'wat', 'compose-cat.wat');
const HELLO = join(COMPONENTS, 'wat', 'hello.wat');

beforeAll(() => ensureBuilt());

function refused(args: string[], pattern: RegExp): void {
  const r = cli(args);
  expect(r.stdout).toBe('');
  expect(r.errLines).toHaveLength(1);
  expect(r.errLines[0]).toMatch(pattern);
  expect(r.status).toBe(2);
}

describe('output directory', () => {
  test('a non-empty directory that holds no bundle is refused and left as it was', () => {
    const work = tempDir();
    const out = join(work, 'out');
    writeTree(out, { 'notes.txt': 'mine\n' });
    refused([HELLO, '-o', out], /^wasi-virt: error: output directory ".*out" is not empty and holds no wasi-virt bundle/);
    expect(readdirSync(out)).toEqual(['notes.txt']);
  });

  test('a previous bundle is replaced; files the user added stay', () => {
    const work = tempDir();
    const out = join(work, 'out');
    expect(cli([HELLO, '--allow-stdio', '-o', out]).status).toBe(0);
    writeFileSync(join(out, 'README.txt'), 'deploy notes\n');
    mkdirSync(join(out, 'wasi-virt', 'mine'));
    writeFileSync(join(out, 'wasi-virt', 'mine', 'keep.txt'), 'keep\n');
    writeTree(work, { 'site/a.txt': 'second\n' });
    const r = cli([CAT, '--mount', `/=${join(work, 'site')}`, '--allow-stdio', '-o', out]);
    expect(r.status).toBe(0);
    const files = readdirSync(out).sort();
    expect(files).toEqual(['README.txt', 'compose-cat.d.ts', 'compose-cat.js', 'compose-cat.snapshots', 'compose-cat.wasm', 'package.json', 'wasi-virt']);
    expect(readFileSync(join(out, 'wasi-virt', 'mine', 'keep.txt'), 'utf8')).toBe('keep\n');
    expect(runNode(join(out, 'compose-cat.js'), ['a.txt']).stdout).toBe('second\n');
  });

  test('a hand-edited marker cannot make compose delete outside the bundle', () => {
    const work = tempDir();
    const out = join(work, 'out');
    writeTree(work, { 'precious.txt': 'do not delete\n', 'elsewhere/x.txt': 'x\n' });
    symlinkSync(join(work, 'elsewhere'), join(work, 'link'));
    writeTree(out, {
      'package.json': JSON.stringify({ 'wasi-virt': { bundle: 1, name: 'x', files: ['../precious.txt', '/etc/hostname', 'sub/../../precious.txt'] } }),
    });
    symlinkSync(join(work, 'elsewhere'), join(out, 'via'));
    const marker = JSON.parse(readFileSync(join(out, 'package.json'), 'utf8'));
    marker['wasi-virt'].files.push('via/x.txt');
    writeFileSync(join(out, 'package.json'), JSON.stringify(marker));
    expect(cli([HELLO, '-o', out]).status).toBe(0);
    expect(readFileSync(join(work, 'precious.txt'), 'utf8')).toBe('do not delete\n');
    expect(readFileSync(join(work, 'elsewhere', 'x.txt'), 'utf8')).toBe('x\n');
    expect(existsSync(join(out, 'hello.js'))).toBe(true);
  });

  test('an output path that is a file, or below one, is one line', () => {
    const work = tempDir();
    writeTree(work, { 'file.txt': 'x' });
    refused([HELLO, '-o', join(work, 'file.txt')], /^wasi-virt: error: output ".*file\.txt" exists and is not a directory$/);
    refused([HELLO, '-o', join(work, 'file.txt', 'out')], /^wasi-virt: error: cannot (use|create) output directory ".*file\.txt\/out": ENOTDIR$/);
  });
});

describe('a damaged bundle', () => {
  function twoBundles(): { a: string; b: string } {
    const work = tempDir();
    writeTree(work, { 'one/a.txt': 'one\n', 'two/a.txt': 'two\n' });
    const a = join(work, 'a');
    const b = join(work, 'b');
    expect(cli([CAT, '--mount', `/=${join(work, 'one')}`, '--allow-stdio', '-o', a]).status).toBe(0);
    expect(cli([CAT, '--mount', `/=${join(work, 'two')}`, '--allow-stdio', '-o', b]).status).toBe(0);
    return { a, b };
  }

  function refusesToStart(entry: string, pattern: RegExp): void {
    const r = runNode(entry, ['a.txt']);
    expect(r.stdout).toBe('');
    expect(r.errLines).toHaveLength(1);
    expect(r.errLines[0]).toMatch(pattern);
    expect(r.status).toBe(2);
  }

  test('a snapshot file from another bundle, a truncated one, a missing one, a missing module', () => {
    const { a, b } = twoBundles();
    const snap = join(a, 'compose-cat.snapshots');
    writeFileSync(snap, readFileSync(join(b, 'compose-cat.snapshots')));
    refusesToStart(join(a, 'compose-cat.js'), /^wasi-virt: error: cannot run compose-cat: compose-cat\.snapshots does not belong to this bundle/);
    writeFileSync(snap, readFileSync(join(b, 'compose-cat.snapshots')).subarray(0, 100));
    refusesToStart(join(a, 'compose-cat.js'), /^wasi-virt: error: cannot run compose-cat: compose-cat\.snapshots is truncated$/);
    rmSync(snap);
    refusesToStart(join(a, 'compose-cat.js'), /^wasi-virt: error: cannot run compose-cat: cannot read its snapshots \(compose-cat\.snapshots: ENOENT\)$/);
    rmSync(join(b, 'compose-cat.wasm'));
    refusesToStart(join(b, 'compose-cat.js'), /^wasi-virt: error: cannot run compose-cat: cannot read compose-cat\.wasm beside it \(ENOENT\)$/);
  });
});

describe('bad input writes nothing', () => {
  test('an app that is not WebAssembly', () => {
    const work = tempDir();
    writeTree(work, { 'app.wasm': 'hello, I am text\n' });
    const out = join(work, 'out');
    refused([join(work, 'app.wasm'), '-o', out], /^wasi-virt: error: app\.wasm is not a WebAssembly module, component or \.wat text$/);
    expect(existsSync(out)).toBe(false);
  });

  test('a malformed module', () => {
    const work = tempDir();
    writeTree(work, { 'app.wasm': new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 0x01, 0x05, 0x01]) });
    const out = join(work, 'out');
    refused([join(work, 'app.wasm'), '-o', out], /^wasi-virt: error: .*app\.wasm is malformed: /);
    expect(existsSync(out)).toBe(false);
  });

  test('a .wat file wabt rejects names the line', () => {
    const work = tempDir();
    writeTree(work, { 'bad.wat': '(module\n  (func (export "_start") (i32.add)))\n' });
    refused([join(work, 'bad.wat'), '-o', join(work, 'out')], /^wasi-virt: error: bad\.wat:2:\d+: error: type mismatch/);
  });

  test('a mount whose snapshot cannot be built (a symlink out of it)', () => {
    const work = tempDir();
    writeTree(work, { 'site/a.txt': 'a', 'secret.txt': 's' });
    symlinkSync('../secret.txt', join(work, 'site', 'leak'));
    const out = join(work, 'out');
    refused([CAT, '--mount', `/=${join(work, 'site')}`, '-o', out], /^wasi-virt: error: mount "\/": symlink ".*leak" points outside the mounted directory/);
    expect(existsSync(out)).toBe(false);
  });

  test('a module that is not a command', () => {
    const work = tempDir();
    writeTree(work, { 'lib.wat': '(module (memory (export "memory") 1) (func (export "_initialize")))' });
    refused([join(work, 'lib.wat'), '-o', join(work, 'out')], /^wasi-virt: error: .*lib\.wat exports no _start/);
  });

  test('a module importing something that is not WASI', () => {
    const work = tempDir();
    writeTree(work, { 'ext.wat': '(module (import "env" "host_log" (func (param i32))) (memory (export "memory") 1) (func (export "_start")))' });
    refused([join(work, 'ext.wat'), '-o', join(work, 'out')], /^wasi-virt: error: .*ext\.wat imports env\.host_log, which a bundle cannot provide: not a WASI import/);
  });

  test('a missing app', () => {
    const work = tempDir();
    refused([join(work, 'nope.wasm'), '-o', join(work, 'out')], /^wasi-virt: error: .*nope\.wasm.*(does not exist|not found)/);
  });
});
