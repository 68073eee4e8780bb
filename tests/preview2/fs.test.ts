/**
 * wasi:filesystem through a real component: files from memory trees (policy `dir`
 * entries), nested mounts, symlinks, read-only refusal, and preopen roots that can be
 * listed and stat'ed (preview2-shim fails both on a preopen root).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { FsEntry, Policy } from '../../src/policy/types.js';
import { runGuest, watComponent } from './helpers.js';

let tool: Uint8Array;
beforeAll(async () => {
  tool = await watComponent('p2-tool');
});

const TREE: Record<string, FsEntry> = {
  'a.txt': { source: 'alpha\n' },
  'bin.dat': { file: [0, 1, 2, 255] },
  sub: { dir: { 'b.txt': { source: 'beta\n' }, deeper: { dir: { 'c.txt': { source: 'gamma\n' } } } } },
  link: { symlink: 'sub/b.txt' },
  dlink: { symlink: 'sub/deeper' },
  escape: { symlink: '../outside' },
};

const policy = (extra: Record<string, FsEntry> = {}): Policy => ({
  fs: { 'host-preopens': false, preopens: { '/': { dir: TREE }, ...extra } },
});
const tool$ = (args: string[], p: Policy = policy()) => runGuest(tool, { ...p, args: ['tool', ...args] });

describe('reading a memory tree', () => {
  it('reads files at any depth, following symlinks inside the tree', async () => {
    expect((await tool$(['cat', 'a.txt'])).stdout).toBe('alpha\n');
    expect((await tool$(['cat', 'sub/deeper/c.txt'])).stdout).toBe('gamma\n');
    expect((await tool$(['cat', 'sub/../sub/./b.txt'])).stdout).toBe('beta\n');
    expect((await tool$(['cat', 'link'])).stdout).toBe('beta\n');
    expect((await tool$(['ls', 'dlink'])).stdout).toBe('4 c.txt\n');
    expect((await tool$(['cat', 'dlink/c.txt'])).stdout).toBe('gamma\n');
  });

  it('lists the preopen root and subdirectories', async () => {
    const root = await tool$(['ls', '.']);
    expect(root).toMatchObject({ code: 0, stdout: '4 a.txt\n4 bin.dat\n7 dlink\n7 escape\n7 link\n3 sub\n' });
    expect((await tool$(['ls', 'sub'])).stdout).toBe('4 b.txt\n3 deeper\n');
  });

  it('stats the preopen root, by path and by descriptor, and files', async () => {
    expect((await tool$(['stat', '.'])).stdout).toBe('type=3 size=0\n');
    expect((await tool$(['fstat'])).stdout).toBe('type=3\n');
    expect((await tool$(['stat', 'bin.dat'])).stdout).toBe('type=4 size=4\n');
    expect((await tool$(['stat', 'link'])).stdout).toBe('type=4 size=5\n');
  });

  it('reports missing files and refuses to climb out of the preopen', async () => {
    expect(await tool$(['cat', 'nope.txt'])).toMatchObject({ code: 1, stderr: 'open errno=44\n' });
    // `..` above the root and a symlink pointing out are both refused (perm, 63).
    expect(await tool$(['cat', '../etc/passwd'])).toMatchObject({ code: 1, stderr: 'open errno=63\n' });
    expect(await tool$(['cat', 'escape'])).toMatchObject({ code: 1, stderr: 'open errno=63\n' });
    expect(await tool$(['cat', '/a.txt'])).toMatchObject({ code: 1 });
  });

  it('refuses every write with read-only (rofs, 69)', async () => {
    expect(await tool$(['write', 'new.txt', 'x'])).toMatchObject({ code: 1, stderr: 'open errno=69\n' });
    expect(await tool$(['write', 'a.txt', 'x'])).toMatchObject({ code: 1, stderr: 'open errno=69\n' });
    expect(await tool$(['append', 'a.txt', 'x'])).toMatchObject({ code: 1, stderr: 'open errno=69\n' });
    expect(await tool$(['mkdir', 'd'])).toMatchObject({ code: 1, stderr: 'mkdir errno=69\n' });
    expect(await tool$(['rm', 'a.txt'])).toMatchObject({ code: 1, stderr: 'rm errno=69\n' });
    expect(await tool$(['mv', 'a.txt', 'b.txt'])).toMatchObject({ code: 1, stderr: 'mv errno=69\n' });
    expect((await tool$(['cat', 'a.txt'])).stdout).toBe('alpha\n');
  });
});

describe('mounts', () => {
  it('shows a nested mount inside the root and lists both preopens', async () => {
    const p = policy({ '/data': { dir: { 'd.txt': { source: 'data\n' } } } });
    expect((await tool$(['preopens'], p)).stdout).toBe('3 /\n4 /data\n');
    expect((await tool$(['ls', '.'], p)).stdout).toBe('4 a.txt\n4 bin.dat\n3 data\n7 dlink\n7 escape\n7 link\n3 sub\n');
    expect((await tool$(['cat', 'data/d.txt'], p)).stdout).toBe('data\n');
    expect((await tool$(['rmdir', 'data'], p)).code).toBe(1);
  });

  it('gives no preopens without an fs policy', async () => {
    expect(await tool$(['preopens'], {})).toMatchObject({ code: 0, stdout: '' });
    expect(await tool$(['cat', 'a.txt'], {})).toMatchObject({ code: 1, stderr: 'open errno=8\n' });
  });
});
