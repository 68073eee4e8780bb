import { execFileSync } from 'node:child_process';
import { chmodSync, closeSync, openSync, ftruncateSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSnapshot, MAX_SNAPSHOT_BYTES, SnapshotError } from '../../src/virtual-fs/snapshot-builder.js';
import { asUnprivileged } from '../helpers/unprivileged.js';
import { cleanup, tempDir, writeTree } from './snapshot-helpers.js';

afterAll(cleanup);

const quiet = { onProgress: () => {} };

function buildError(options: Parameters<typeof buildSnapshot>[0]): SnapshotError {
  try {
    buildSnapshot({ ...quiet, ...options });
  } catch (e) {
    expect(e).toBeInstanceOf(SnapshotError);
    expect((e as Error).message).not.toContain('\n');
    return e as SnapshotError;
  }
  throw new Error('the build succeeded');
}

describe('build errors: one line naming the host path', () => {
  it('a missing mount source, and a mount source that is neither file nor directory', () => {
    expect(buildError({ path: '/nonexistent/wv-mount' }).message).toBe('mount source "/nonexistent/wv-mount" does not exist');
    expect(buildError({ path: '/dev/null' }).message).toBe(
      'mount source "/dev/null" is a character device; a mount must be a directory or a file',
    );
  });

  it('an unreadable file and an unreadable directory', () => {
    const dir = tempDir();
    writeTree(dir, { 'ok.txt': 'ok', 'secret.txt': 'no', locked: { 'x.txt': 'x' } });
    chmodSync(dir, 0o755); // mkdtemp makes 0700; the unprivileged build must enter it
    chmodSync(join(dir, 'secret.txt'), 0o000);
    let e = asUnprivileged(() => buildError({ path: dir, exclude: ['locked'] }));
    expect(e.message).toBe(`cannot read "${join(dir, 'secret.txt')}": permission denied`);
    chmodSync(join(dir, 'secret.txt'), 0o644);
    chmodSync(join(dir, 'locked'), 0o000);
    e = asUnprivileged(() => buildError({ path: dir }));
    expect(e.message).toBe(`cannot list "${join(dir, 'locked')}": permission denied`);
    chmodSync(join(dir, 'locked'), 0o755);
  });

  it('a FIFO', () => {
    const dir = tempDir();
    writeTree(dir, { 'ok.txt': 'ok' });
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    expect(buildError({ path: dir }).message).toBe(
      `"${join(dir, 'pipe')}" is a FIFO; snapshots hold only directories, regular files and symlinks (exclude it)`,
    );
    // Excluded, it is no obstacle (and is never opened, which would block).
    expect(buildSnapshot({ path: dir, exclude: ['pipe'], ...quiet }).files).toBe(1);
  });

  it('a unix socket', async () => {
    const dir = tempDir();
    const sock = join(dir, 'app.sock');
    const server = createServer();
    await new Promise<void>((done) => server.listen(sock, done));
    try {
      expect(buildError({ path: dir }).message).toBe(
        `"${sock}" is a socket; snapshots hold only directories, regular files and symlinks (exclude it)`,
      );
    } finally {
      await new Promise<void>((done) => server.close(() => done()));
    }
  });

  it('a device inside the mount', () => {
    expect(buildError({ path: '/dev', include: ['null'] }).message).toBe(
      '"/dev/null" is a character device; snapshots hold only directories, regular files and symlinks (exclude it)',
    );
  });

  it('a name that is not UTF-8 (two such names would collide as one guest name)', () => {
    const dir = tempDir();
    writeTree(dir, { sub: { 'ok.txt': 'ok' } });
    const raw = (name: number[]) => Buffer.concat([Buffer.from(`${dir}/sub/`), Buffer.from(name)]);
    writeFileSync(raw([0x61, 0xff]), 'one');
    writeFileSync(raw([0x61, 0xfe]), 'two');
    expect(buildError({ path: dir }).message).toMatch(
      new RegExp(`^"${dir}/sub/a\ufffd" has a name that is not valid UTF-8 \\(bytes 61f[ef]\\); guest file names must be UTF-8$`),
    );
    // A valid name that happens to hold U+FFFD is fine.
    const ok = tempDir();
    writeTree(ok, { 'a\ufffd.txt': 'replacement char is valid UTF-8' });
    expect(buildSnapshot({ path: ok, ...quiet }).files).toBe(1);
  });

  it('a symlink target that is not UTF-8', () => {
    const dir = tempDir();
    symlinkSync(Buffer.from([0x78, 0xff]), join(dir, 'bad'));
    expect(buildError({ path: dir }).message).toBe(`symlink "${join(dir, 'bad')}" has a target that is not valid UTF-8 (bytes 78ff)`);
  });

  it('a mount larger than one buffer can hold, before reading anything', () => {
    const dir = tempDir();
    writeTree(dir, { 'small.txt': 'x'.repeat(2000) });
    expect(buildError({ path: dir, maxBytes: 1000 }).message).toBe(
      `mount source "${dir}" holds 2000 bytes of files, more than the 1000 maxBytes allows`,
    );
    // The real ceiling, with a sparse file one byte over it (4 GiB on Node 20; on a Node
    // whose buffers reach 2^53 no file system can hold such a file, so only the option above applies).
    if (MAX_SNAPSHOT_BYTES <= 2 ** 40) {
      const fd = openSync(join(dir, 'huge.bin'), 'w');
      ftruncateSync(fd, MAX_SNAPSHOT_BYTES + 1);
      closeSync(fd);
      expect(buildError({ path: dir }).message).toBe(
        `mount source "${dir}" holds ${MAX_SNAPSHOT_BYTES + 2001} bytes of files, more than the ${MAX_SNAPSHOT_BYTES} one snapshot can hold in this Node (buffer.constants.MAX_LENGTH)`,
      );
    }
  });

  it('a snapshot whose layout overflows the limit though its files fit', () => {
    const dir = tempDir();
    writeTree(dir, { 'a.txt': 'x'.repeat(100) });
    expect(buildError({ path: dir, maxBytes: 200 }).message).toMatch(
      new RegExp(`^mount source "${dir}": snapshot would be \\d+ bytes, more than the 200 this runtime can hold in one buffer$`),
    );
  });
});
