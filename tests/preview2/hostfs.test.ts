/**
 * wasi:filesystem over a real temp directory (the confined host backend): reads, writes
 * that land on disk, directory changes, read-only refusal, listing and stat of the
 * preopen root, and no way out through `..` or a symlink.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Platform } from '../../src/adapter/kernel/index.js';
import type { Policy } from '../../src/policy/types.js';
import { openHostDir, openHostFile } from '../../src/virtual-fs/host/index.js';
import { runGuest, watComponent } from './helpers.js';

const platform: Platform = {
  name: 'node-test',
  openHostDir: (p, o) => openHostDir(p, o),
  openHostFile: (p, o) => openHostFile(p, o),
};

let tool: Uint8Array;
let base: string;
let dir: string;
beforeAll(async () => {
  tool = await watComponent('p2-tool');
});
beforeEach(() => {
  base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'wasi-virt-p2-')));
  dir = path.join(base, 'root');
  fs.mkdirSync(path.join(dir, 'sub'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'a.txt'), 'alpha\n');
  fs.writeFileSync(path.join(dir, 'sub', 'b.txt'), 'beta\n');
  fs.writeFileSync(path.join(base, 'secret.txt'), 'outside\n');
  fs.symlinkSync('../secret.txt', path.join(dir, 'out-link'));
  fs.symlinkSync('sub/b.txt', path.join(dir, 'in-link'));
  fs.symlinkSync('sub', path.join(dir, 'dir-link'));
});
afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

const rw = (): Policy => ({ fs: { 'host-preopens': false, preopens: { '/': { 'runtime-dir': dir } } } });
const ro = (): Policy => ({ fs: { 'host-preopens': false, preopens: { '/': { 'runtime-dir': { path: dir, readonly: true } } } } });
const tool$ = (args: string[], p: Policy) => runGuest(tool, { ...p, args: ['tool', ...args] }, { platform });
const read = (p: string) => fs.readFileSync(path.join(dir, p), 'utf8');

describe('host directory, read-write', () => {
  it('reads files and follows symlinks that stay inside', async () => {
    expect((await tool$(['cat', 'a.txt'], rw())).stdout).toBe('alpha\n');
    expect((await tool$(['cat', 'in-link'], rw())).stdout).toBe('beta\n');
    expect((await tool$(['ls', 'dir-link'], rw())).stdout).toBe('4 b.txt\n');
    expect((await tool$(['stat', 'dir-link'], rw())).stdout).toMatch(/^type=3 /);
    expect((await tool$(['write', 'dir-link/via-link.txt', 'v'], rw())).code).toBe(0);
    expect(read('sub/via-link.txt')).toBe('v');
  });

  it('lists and stats the preopen root', async () => {
    expect((await tool$(['ls', '.'], rw())).stdout).toBe('4 a.txt\n7 dir-link\n7 in-link\n7 out-link\n3 sub\n');
    expect((await tool$(['stat', '.'], rw())).stdout).toMatch(/^type=3 size=\d+\n$/);
    expect((await tool$(['fstat'], rw())).stdout).toBe('type=3\n');
  });

  it('writes, appends, creates, renames and removes on disk', async () => {
    expect((await tool$(['write', 'new.txt', 'hello'], rw())).code).toBe(0);
    expect(read('new.txt')).toBe('hello');
    expect((await tool$(['write', 'a.txt', 'short'], rw())).code).toBe(0);
    expect(read('a.txt')).toBe('short');
    expect((await tool$(['append', 'a.txt', '+more'], rw())).code).toBe(0);
    expect(read('a.txt')).toBe('short+more');
    expect((await tool$(['mkdir', 'made'], rw())).code).toBe(0);
    expect(fs.statSync(path.join(dir, 'made')).isDirectory()).toBe(true);
    expect((await tool$(['mv', 'new.txt', 'made/moved.txt'], rw())).code).toBe(0);
    expect(read('made/moved.txt')).toBe('hello');
    expect((await tool$(['rm', 'made/moved.txt'], rw())).code).toBe(0);
    expect((await tool$(['rmdir', 'made'], rw())).code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'made'))).toBe(false);
  });

  it('never reaches outside the preopen', async () => {
    expect(await tool$(['cat', 'out-link'], rw())).toMatchObject({ code: 1, stderr: 'open errno=63\n' });
    expect(await tool$(['cat', '../secret.txt'], rw())).toMatchObject({ code: 1, stderr: 'open errno=63\n' });
    expect(await tool$(['write', 'out-link', 'pwned'], rw())).toMatchObject({ code: 1 });
    expect(fs.readFileSync(path.join(base, 'secret.txt'), 'utf8')).toBe('outside\n');
  });
});

describe('host directory, read-only', () => {
  it('reads but refuses every write with rofs (69), leaving the disk untouched', async () => {
    expect((await tool$(['cat', 'a.txt'], ro())).stdout).toBe('alpha\n');
    expect(await tool$(['write', 'new.txt', 'x'], ro())).toMatchObject({ code: 1, stderr: 'open errno=69\n' });
    expect(await tool$(['write', 'a.txt', 'x'], ro())).toMatchObject({ code: 1, stderr: 'open errno=69\n' });
    expect(await tool$(['append', 'a.txt', 'x'], ro())).toMatchObject({ code: 1, stderr: 'open errno=69\n' });
    expect(await tool$(['mkdir', 'd'], ro())).toMatchObject({ code: 1, stderr: 'mkdir errno=69\n' });
    expect(await tool$(['rm', 'a.txt'], ro())).toMatchObject({ code: 1, stderr: 'rm errno=69\n' });
    expect(await tool$(['mv', 'a.txt', 'z.txt'], ro())).toMatchObject({ code: 1, stderr: 'mv errno=69\n' });
    expect(fs.readdirSync(dir).sort()).toEqual(['a.txt', 'dir-link', 'in-link', 'out-link', 'sub']);
    expect(read('a.txt')).toBe('alpha\n');
  });

  it('still lists and stats the root', async () => {
    expect((await tool$(['ls', 'sub'], ro())).stdout).toBe('4 b.txt\n');
    expect((await tool$(['stat', 'sub/b.txt'], ro())).stdout).toBe('type=4 size=5\n');
  });
});

describe('embedder preopens (node:wasi style)', () => {
  it('mounts host paths given at run time when the policy lets host preopens through', async () => {
    const r = await runGuest(tool, { args: ['tool', 'cat', 'a.txt'], fs: { 'host-preopens': true, preopens: {} } }, { platform, preopens: { '/': dir } });
    expect(r.stdout).toBe('alpha\n');
  });
});
