import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compareNames } from '../../src/util/names.js';
import { resolve } from '../../src/virtual-fs/resolver.js';
import { RoDir, type RoFile } from '../../src/virtual-fs/ro-tree.js';
import { buildSnapshot, DEFAULT_EXCLUDE, progressReporter, sha256 } from '../../src/virtual-fs/snapshot-builder.js';
import { HEADER_SIZE } from '../../src/virtual-fs/snapshot-format.js';
import {
  compareUtf8, decodeSnapshot, hashMatches, readSnapshotHeader, RoFileMount, snapshotRoot, SnapshotError,
} from '../../src/virtual-fs/snapshot.js';
import { cleanup, codeOf, expectSameTree, listVia, readVia, tempDir, textVia, writeTree, type Spec } from './snapshot-helpers.js';

afterAll(cleanup);

const quiet = { onProgress: () => {} };

function mount(path: string, extra: object = {}): RoDir {
  const { bytes } = buildSnapshot({ path, ...quiet, ...extra });
  const tree = decodeSnapshot(bytes, 7n);
  return new RoDir(tree, tree.root);
}

const binary = Uint8Array.from({ length: 3000 }, (_, i) => (i * 7919) & 0xff);

// Names whose UTF-16 order differs from code-point order (U+1F600 is a surrogate pair,
// below U+E000 in UTF-16 but above it as a code point), plus accents and CJK.
const SOURCE: Spec = {
  'a.txt': 'alpha\n',
  '.hidden': 'dotfile kept',
  'empty.bin': '',
  'bin.dat': binary,
  'caf\u00e9.txt': 'accent',
  '\u{1F600}.txt': 'emoji',
  '\ue000.txt': 'private use',
  '\u6f22\u5b57': { 'x.txt': 'cjk dir' },
  B: 'capital sorts before lower-case',
  sub: {
    'b.txt': 'bee',
    deeper: { 'c.txt': 'sea', emptydir: {} },
    'to-c': { link: 'deeper/c.txt' },
    'up-to-a': { link: '../a.txt' },
  },
  'to-sub': { link: 'sub' },
  dangling: { link: 'nowhere' },
  emptydir: {},
};

describe('snapshot round trip', () => {
  const src = tempDir();
  writeTree(src, SOURCE);

  it('decodes to exactly the source tree, read through RoDir/RoFile and the resolver', () => {
    const root = mount(src);
    const checked = expectSameTree(src, root);
    expect(checked).toBeGreaterThan(15);
    // Names come out in code-point order, not UTF-16 order.
    const names = listVia(root, '.').map(([n]) => n);
    expect(names).toEqual([...names].sort(compareNames));
    expect(names.indexOf('\ue000.txt')).toBeLessThan(names.indexOf('\u{1F600}.txt'));
  });

  it('follows symlinks inside the mount and reports their stat', () => {
    const root = mount(src);
    expect(textVia(root, 'sub/to-c')).toBe('sea');
    expect(textVia(root, 'sub/up-to-a')).toBe('alpha\n');
    expect(textVia(root, 'to-sub/deeper/c.txt')).toBe('sea');
    expect(codeOf(() => readVia(root, 'dangling'))).toBe('noent');
    const st = resolve(root, 'to-sub', { follow: false }, (d, n) => d.statAt(n));
    expect(st.type).toBe('symbolic-link');
    expect(st.size).toBe(3n);
    expect(resolve(root, 'bin.dat', { follow: false }, (d, n) => d.statAt(n)).size).toBe(3000n);
  });

  it('serves positioned reads and seeks on a file handle as views of the one buffer', () => {
    const { bytes } = buildSnapshot({ path: src, ...quiet });
    const tree = decodeSnapshot(bytes, 1n);
    const root = new RoDir(tree, tree.root);
    const file = resolve(root, 'bin.dat', { follow: false }, (d, n) => d.openAt(n, { read: true })) as RoFile;
    const buf = new Uint8Array(10);
    expect(file.read(buf, 2990n)).toBe(10);
    expect([...buf]).toEqual([...binary.subarray(2990)]);
    expect(file.read(buf, 3000n)).toBe(0);
    expect(file.seek(-4n, 'end')).toBe(2996n);
    expect(file.read(buf)).toBe(4);
    const node = tree.lookup(tree.root, 'bin.dat');
    const view = tree.data(node);
    expect(view.buffer).toBe(bytes.buffer); // no copy
    expect(view.byteOffset % 16).toBe(0);
  });

  it('refuses every write with rofs', () => {
    const root = mount(src);
    const at = (p: string, f: (d: import('../../src/virtual-fs/handle.js').DirHandle, n: string) => unknown) =>
      codeOf(() => resolve(root, p, { follow: false }, f));
    expect(at('a.txt', (d, n) => d.openAt(n, { write: true }))).toBe('rofs');
    expect(at('a.txt', (d, n) => d.openAt(n, { read: true, truncate: true }))).toBe('rofs');
    expect(at('new.txt', (d, n) => d.openAt(n, { create: true, write: true }))).toBe('rofs');
    expect(at('a.txt', (d, n) => d.unlinkAt(n))).toBe('rofs');
    expect(at('sub', (d, n) => d.rmdirAt(n))).toBe('rofs');
    expect(at('x', (d, n) => d.mkdirAt(n))).toBe('rofs');
    expect(at('x', (d, n) => d.symlinkAt('a.txt', n))).toBe('rofs');
    expect(at('a.txt', (d, n) => d.renameAt(n, d, 'b'))).toBe('rofs');
    const file = resolve(root, 'a.txt', { follow: false }, (d, n) => d.openAt(n, { read: true }));
    expect(codeOf(() => file.setSize(0n))).toBe('rofs');
    expect(codeOf(() => file.write(new Uint8Array(1)))).toBe('badf');
  });

  it('gives identical bytes for the same tree, and a different hash when one byte changes', () => {
    const first = buildSnapshot({ path: src, ...quiet });
    const second = buildSnapshot({ path: src, ...quiet });
    expect(Buffer.from(second.bytes).equals(Buffer.from(first.bytes))).toBe(true);
    expect(second.hash).toBe(first.hash);
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);

    const copy = tempDir();
    writeTree(copy, SOURCE);
    const elsewhere = buildSnapshot({ path: copy, ...quiet });
    expect(elsewhere.hash).toBe(first.hash); // no paths, inodes, owners or times recorded

    const changed = Uint8Array.from(binary);
    changed[1234] ^= 1;
    writeFileSync(join(copy, 'bin.dat'), changed);
    const third = buildSnapshot({ path: copy, ...quiet });
    expect(third.bytes.byteLength).toBe(first.bytes.byteLength);
    expect(third.hash).not.toBe(first.hash);
    const diff = [...third.bytes].flatMap((b, i) => (b === first.bytes[i] ? [] : [i]));
    expect(diff.filter((i) => i >= HEADER_SIZE)).toHaveLength(1);
  });

  it('reports counts and the hash in the header', () => {
    const built = buildSnapshot({ path: src, ...quiet });
    const h = readSnapshotHeader(built.bytes);
    expect(h).toMatchObject({
      version: 1, hash: built.hash, files: built.files, dirs: built.dirs, symlinks: built.symlinks,
      contentBytes: built.contentBytes, totalBytes: built.bytes.byteLength, mtimes: false, rootType: 'directory',
    });
    expect([built.files, built.dirs, built.symlinks]).toEqual([11, 6, 4]);
    expect(hashMatches(built.bytes, sha256)).toBe(true);
  });

  it('records mtimes only when asked', () => {
    const root = mount(src, { mtimes: true });
    const st = resolve(root, 'a.txt', { follow: false }, (d, n) => d.statAt(n));
    expect(st.mtim).toBe(statSync(join(src, 'a.txt'), { bigint: true }).mtimeNs);
    expect(resolve(mount(src), 'a.txt', { follow: false }, (d, n) => d.statAt(n)).mtim).toBe(0n);
  });
});

describe('include and exclude', () => {
  const src = tempDir();
  writeTree(src, {
    '.git': { HEAD: 'ref', objects: { ab: 'obj' } },
    '.gitignore': 'kept: a dotfile, not VCS metadata',
    vendor: { lib: { '.git': 'gitdir: ../.git/modules/lib', 'lib.c': 'c' } },
    '.hg': { x: 'y' },
    src: { 'main.ts': 'ts', 'util.ts': 'ts', 'notes.md': 'md', nested: { 'deep.ts': 'ts', 'x.log': 'log' } },
    'build.log': 'log',
    docs: { 'a.md': 'doc' },
  });

  const names = (root: RoDir, path = '.') => listVia(root, path).map(([n]) => n);

  it('keeps dotfiles and leaves VCS directories (and .git files) out by default', () => {
    const root = mount(src);
    expect(names(root)).toEqual(['.gitignore', 'build.log', 'docs', 'src', 'vendor']);
    expect(names(root, 'vendor/lib')).toEqual(['lib.c']);
    expect(DEFAULT_EXCLUDE).toContain('**/.git');
  });

  it('keeps only what include matches, with the directories leading to it', () => {
    const root = mount(src, { include: ['src/**/*.ts'] });
    expect(names(root)).toEqual(['src']);
    expect(names(root, 'src')).toEqual(['main.ts', 'nested', 'util.ts']);
    expect(names(root, 'src/nested')).toEqual(['deep.ts']);
  });

  it('drops what exclude matches, a directory with everything under it; a given exclude adds to the VCS default', () => {
    const root = mount(src, { exclude: ['**/*.log', 'docs/'] });
    expect(names(root)).toEqual(['.gitignore', 'src', 'vendor']);
    expect(names(root, 'src/nested')).toEqual(['deep.ts']);
    expect(names(root, 'vendor/lib')).toEqual(['lib.c']);
  });

  it('keep-vcs embeds the version-control folders on purpose, user excludes still apply', () => {
    const root = mount(src, { 'keep-vcs': true, exclude: ['docs'] });
    expect(names(root)).toEqual(['.git', '.gitignore', '.hg', 'build.log', 'src', 'vendor']);
    expect(names(root, '.git/objects')).toEqual(['ab']);
    expect(names(root, 'vendor/lib')).toEqual(['.git', 'lib.c']);
  });

  it('a pattern that matches a directory name leaves the directory out, with all it holds', () => {
    const tree = tempDir();
    writeTree(tree, { sub1: { a: 'a', deep: { b: 'b' } }, sub2: { c: 'c' }, mydir: { d: 'd' }, '.cache': { e: 'e' }, '.env': 'x', keep: 'k' });
    expect(names(mount(tree, { exclude: ['sub*'] }))).toEqual(['.cache', '.env', 'keep', 'mydir']);
    expect(names(mount(tree, { exclude: ['*dir'] }))).toEqual(['.cache', '.env', 'keep', 'sub1', 'sub2']);
    expect(names(mount(tree, { exclude: ['.*'] }))).toEqual(['keep', 'mydir', 'sub1', 'sub2']);
  });

  it('explain lists what was left out, outermost entries only, with the rule that matched first', () => {
    const built = buildSnapshot({ path: src, exclude: ['docs', '**/*.log'], explain: true, ...quiet });
    expect(built.leftOut).toEqual([
      { path: '.git', rule: '**/.git' },
      { path: '.hg', rule: '**/.hg' },
      { path: 'build.log', rule: '**/*.log' },
      { path: 'docs', rule: 'docs' },
      { path: 'src/nested/x.log', rule: '**/*.log' },
      { path: 'vendor/lib/.git', rule: '**/.git' },
    ]);
    expect(buildSnapshot({ path: src, ...quiet }).leftOut).toBeUndefined();
  });

  it('refuses patterns that reach outside the mount', () => {
    expect(() => buildSnapshot({ path: src, include: ['../**'], ...quiet })).toThrow(/include pattern "..\/\*\*" must stay inside/);
    expect(() => buildSnapshot({ path: src, exclude: ['/etc'], ...quiet })).toThrow(SnapshotError);
  });
});

describe('symlinks at the edge of the mount', () => {
  const base = tempDir();
  const src = join(base, 'mnt');
  writeTree(base, { 'secret.txt': 'outside', mnt: { 'in.txt': 'inside', d: { 'f.txt': 'f' } } });

  it('rewrites absolute targets inside the mount to relative ones the guest can follow', () => {
    const dir = tempDir();
    const m = join(dir, 'm');
    writeTree(dir, { m: { 'in.txt': 'inside', d: { abs: { link: join(m, 'in.txt') }, self: { link: m } } } });
    const root = mount(m);
    expect(resolve(root, 'd/abs', { follow: false }, (d, n) => d.readlinkAt(n))).toBe('../in.txt');
    expect(resolve(root, 'd/self', { follow: false }, (d, n) => d.readlinkAt(n))).toBe('..');
    expect(textVia(root, 'd/abs')).toBe('inside');
    expect(textVia(root, 'd/self/d/self/in.txt')).toBe('inside');
  });

  it('refuses a link leaving the mount by default, naming it', () => {
    const dir = join(base, 'rel');
    writeTree(dir, { 'ok.txt': 'ok', up: { link: '../secret.txt' } });
    expect(() => buildSnapshot({ path: dir, ...quiet })).toThrow(
      new RegExp(`^symlink "${join(dir, 'up')}" points outside the mounted directory \\(to "../secret.txt"\\)`),
    );
    const abs = join(base, 'abs');
    writeTree(abs, { etc: { link: '/etc/passwd' } });
    expect(() => buildSnapshot({ path: abs, ...quiet })).toThrow(/symlink ".*\/abs\/etc" points outside/);
  });

  it('judges a link by where it lands, not by its spelling', () => {
    // "dot/../secret.txt" reads as "secret.txt", but dot is the mount root itself, so
    // its ".." leaves the mount; "hop/../f.txt" lands in d even though it spells "f.txt".
    const dir = join(base, 'sneaky');
    writeTree(dir, { dot: { link: '.' }, sneak: { link: 'dot/../secret.txt' }, d: { 'f.txt': 'f' }, hop: { link: 'd/.' }, 'via-hop': { link: 'hop/f.txt' } });
    expect(() => buildSnapshot({ path: dir, ...quiet })).toThrow(/symlink ".*\/sneaky\/sneak" points outside/);
    const root = mount(dir, { 'outside-symlinks': 'skip' });
    expect(listVia(root, '.').map(([n]) => n)).toEqual(['d', 'dot', 'hop', 'via-hop']);
    expect(textVia(root, 'via-hop')).toBe('f');
  });

  it('leaves outside links out with outside-symlinks: skip', () => {
    const dir = join(base, 'skip');
    writeTree(dir, { 'ok.txt': 'ok', up: { link: '../secret.txt' }, abs: { link: '/etc/passwd' }, fine: { link: 'ok.txt' } });
    const root = mount(dir, { 'outside-symlinks': 'skip' });
    expect(listVia(root, '.')).toEqual([['fine', 'symbolic-link'], ['ok.txt', 'regular-file']]);
    expect(codeOf(() => readVia(root, 'up'))).toBe('noent');
    expect(() => buildSnapshot({ path: dir, 'outside-symlinks': 'follow' as 'skip', ...quiet })).toThrow(/outside-symlinks must be/);
  });

  it('mounts a directory given through a symlink', () => {
    const dir = tempDir();
    writeTree(dir, { real: { 'x.txt': 'x', back: { link: join(dir, 'real', 'x.txt') } }, alias: { link: 'real' } });
    const root = mount(join(dir, 'alias'));
    expect(textVia(root, 'back')).toBe('x');
    void src;
  });
});

describe('single-file snapshots', () => {
  it('makes the file the root, mounted as a file', () => {
    const dir = tempDir();
    writeTree(dir, { 'LICENSE': 'Apache-2.0 text' });
    const { bytes, files, dirs } = buildSnapshot({ path: join(dir, 'LICENSE'), ...quiet });
    expect([files, dirs]).toEqual([1, 0]);
    const tree = decodeSnapshot(bytes, 3n);
    expect(readSnapshotHeader(bytes).rootType).toBe('regular-file');
    const target = snapshotRoot(tree);
    expect(target).toBeInstanceOf(RoFileMount);
    const file = (target as RoFileMount).open({ read: true });
    const buf = new Uint8Array(100);
    expect(new TextDecoder().decode(buf.subarray(0, file.read(buf)))).toBe('Apache-2.0 text');
    expect((target as RoFileMount).stat()).toMatchObject({ type: 'regular-file', size: 15n, dev: 3n });
    expect(codeOf(() => (target as RoFileMount).open({ write: true }))).toBe('rofs');
    expect(codeOf(() => (target as RoFileMount).open({ directory: true }))).toBe('notdir');
  });

  it('follows a mount source that is a symlink to a file', () => {
    const dir = tempDir();
    writeTree(dir, { 'real.txt': 'via link', alias: { link: 'real.txt' } });
    const built = buildSnapshot({ path: join(dir, 'alias'), ...quiet });
    const tree = decodeSnapshot(built.bytes, 1n);
    expect(new TextDecoder().decode(tree.data(tree.root))).toBe('via link');
  });
});

describe('progress', () => {
  it('prints only past the delay, and only to a terminal unless asked', () => {
    const lines: string[] = [];
    const sink = { isTTY: false, write: (s: string) => lines.push(s) > 0 } as unknown as NodeJS.WritableStream;
    const silent = progressReporter({ stream: sink, delayMs: 0 });
    silent(1, 10);
    silent(1, 10, true);
    expect(lines).toEqual([]);
    const slowOnly = progressReporter({ stream: sink, always: true, delayMs: 60_000 });
    slowOnly(5, 5);
    slowOnly(5, 5, true);
    expect(lines).toEqual([]);
    const loud = progressReporter({ stream: sink, always: true, delayMs: 0, label: 'snapshot of ./big' });
    loud(2500, 3 * 1024 * 1024);
    loud(2600, 4 * 1024 * 1024, true);
    expect(lines).toEqual(['wasi-virt: snapshot of ./big: 2,500 files, 3.0 MiB\n', 'wasi-virt: snapshot of ./big: 2,600 files, 4.0 MiB\n']);
  });

  it('is called as files are read, then once with done', () => {
    const dir = tempDir();
    writeTree(dir, { a: '12345', b: { c: '678' } });
    const calls: [number, number, boolean | undefined][] = [];
    buildSnapshot({ path: dir, onProgress: (f, b, d) => calls.push([f, b, d]) });
    expect(calls).toEqual([[1, 5, undefined], [2, 8, undefined], [2, 8, true]]);
    // A failed build ends the progress too, so a live line never swallows the error.
    calls.length = 0;
    expect(() => buildSnapshot({ path: dir, maxBytes: 100, onProgress: (f, b, d) => calls.push([f, b, d]) })).toThrow(SnapshotError);
    expect(calls).toEqual([[0, 0, true]]);
  });
});

describe('name comparison against stored UTF-8', () => {
  it('orders like compareNames for every pair, surrogates included', () => {
    const names = ['', 'a', 'ab', 'b', 'B', '\u00e9', '\u07ff', '\u0800', '\uffff', '\ue000', '\u{10000}', '\u{1F600}', 'a\u{1F600}', '\u{10FFFF}'];
    const enc = new TextEncoder();
    for (const x of names) {
      for (const y of names) {
        const bytes = enc.encode(x);
        expect(Math.sign(compareUtf8(bytes, 0, bytes.byteLength, y)), `${JSON.stringify(x)} vs ${JSON.stringify(y)}`).toBe(Math.sign(compareNames(x, y)));
      }
    }
    // A lone surrogate is looked up as U+FFFD, the way it would have been stored.
    const fffd = enc.encode('\ufffd');
    expect(compareUtf8(fffd, 0, 3, '\ud800')).toBe(0);
  });
});

describe('snapshots in shared memory', () => {
  it('decodes non-ASCII names and targets from a SharedArrayBuffer', () => {
    const dir = tempDir();
    writeTree(dir, { 'caf\u00e9': { 'na\u00efve.txt': 'ok' }, '\u00fcber': { link: 'caf\u00e9/na\u00efve.txt' } });
    const { bytes } = buildSnapshot({ path: dir, ...quiet });
    const shared = new Uint8Array(new SharedArrayBuffer(bytes.byteLength));
    shared.set(bytes);
    const tree = decodeSnapshot(shared, 1n);
    const root = new RoDir(tree, tree.root);
    expect(listVia(root, '.').map(([n]) => n)).toEqual(['caf\u00e9', '\u00fcber']);
    expect(textVia(root, '\u00fcber')).toBe('ok');
  });
});
