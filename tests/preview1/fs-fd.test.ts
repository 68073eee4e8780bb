/**
 * Every fd_* function through real wasm (tests/components/wat/p1-shim.wat), against a
 * real temp directory on the host backend and against memory trees.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BufferSource } from '../../src/adapter/kernel/index.js';
import { E, FDF, FT, O, RDWR, RIGHTS, Shim, WH } from './shim.js';
import { tempDir } from './fs-harness.js';

const R = RIGHTS;
let tmp: { path: string; cleanup: () => void };
beforeEach(() => { tmp = tempDir(); });
afterEach(() => tmp.cleanup());

/** A shim with the temp dir preopened as fd 3 (`/work`). */
function shim(opts: Parameters<typeof Shim.create>[0] = {}): Promise<Shim> {
  return Shim.create({ dirs: { '/work': tmp.path }, ...opts });
}

function create(s: Shim, name: string, base = RDWR, fdflags = 0): number {
  const [rc, fd] = s.open(name, { oflags: O.CREAT, base, fdflags });
  expect(rc).toBe(0);
  return fd;
}

describe('fd_read / fd_write', () => {
  it('gathers several iovecs into one write and scatters a read, stopping at a short read', async () => {
    const s = await shim();
    const fd = create(s, 'f');
    expect(s.write(fd, 'abc', '', 'defg', 'h')).toEqual([0, 8]);
    expect(readFileSync(join(tmp.path, 'f'), 'utf8')).toBe('abcdefgh');
    expect(s.seek(fd, 0n, WH.SET)).toEqual([0, 0n]);
    const [rc, got] = s.read(fd, 3, 0, 3, 10, 10);
    expect(rc).toBe(0);
    expect(new TextDecoder().decode(got)).toBe('abcdefgh'); // 3 + 3 + 2 (short) and the last iovec untouched
    expect(s.tell(fd)).toEqual([0, 8n]);
    expect(s.read(fd, 4)).toEqual([0, new Uint8Array(0)]); // EOF
  });

  it('writes to stdout and stderr through the kernel stdio handles', async () => {
    const s = await shim();
    expect(s.write(1, 'out ', 'put')).toEqual([0, 7]);
    expect(s.write(2, 'err')).toEqual([0, 3]);
    expect(s.stdout.text()).toBe('out put');
    expect(s.stderr.text()).toBe('err');
  });

  it('honours stdio modes: ignore swallows, deny refuses', async () => {
    const s = await shim({ policy: { stdio: { stdin: 'deny', stdout: 'ignore', stderr: 'deny' } } });
    expect(s.write(1, 'gone')).toEqual([0, 4]);
    expect(s.stdout.text()).toBe('');
    expect(s.write(2, 'x')[0]).toBe(E.notcapable);
    expect(s.read(0, 4)[0]).toBe(E.notcapable);
  });

  it('reads stdin, stopping at the first short read', async () => {
    const s = await shim({ stdin: new BufferSource('hello') });
    const [rc, got] = s.read(0, 3, 10, 10);
    expect(rc).toBe(0);
    expect(new TextDecoder().decode(got)).toBe('hello');
    expect(s.read(0, 4)).toEqual([0, new Uint8Array(0)]);
  });

  it('answers again for a non-blocking read of a stdin with nothing ready', async () => {
    let ready = false;
    const s = await shim({ stdin: { ready: () => ready, read: () => new TextEncoder().encode('now') } });
    expect(s.call['fd_fdstat_set_flags']!(0, FDF.NONBLOCK)).toBe(0);
    expect(s.fdstat(0)[1].flags).toBe(FDF.NONBLOCK);
    expect(s.read(0, 8)[0]).toBe(E.again);
    ready = true;
    expect(s.readText(0, 8)).toBe('now');
  });

  it('fails with badf on a closed or never-opened fd, before looking at the iovecs', async () => {
    const s = await shim();
    // fd -31337 as the suite passes it, with a null iovec pointer and a length of zero
    expect(s.call['fd_write']!(-31337, 0, 0, 0)).toBe(E.badf);
    expect(s.call['fd_read']!(77, 0, 0, 0)).toBe(E.badf);
  });

  it('checks rights: a read-only fd cannot write, a write-only fd cannot read', async () => {
    const s = await shim();
    writeFileSync(join(tmp.path, 'f'), 'data');
    const [, ro] = s.open('f', { base: R.FD_READ });
    expect(s.write(ro, 'x')[0]).toBe(E.notcapable);
    const [, wo] = s.open('f', { base: R.FD_WRITE });
    expect(s.read(wo, 4)[0]).toBe(E.notcapable);
    expect(s.write(wo, 'D')).toEqual([0, 1]);
    expect(readFileSync(join(tmp.path, 'f'), 'utf8')).toBe('Data');
  });

  it('answers data calls on a directory fd with isdir', async () => {
    const s = await shim();
    expect(s.read(3, 4)[0]).toBe(E.isdir);
    expect(s.write(3, 'x')[0]).toBe(E.isdir);
    expect(s.pread(3, 0n, 4)[0]).toBe(E.isdir);
    expect(s.pwrite(3, 0n, 'x')[0]).toBe(E.isdir);
    expect(s.seek(3, 0n, WH.CUR)[0]).toBe(E.isdir);
    expect(s.tell(3)[0]).toBe(E.isdir);
    expect(s.call['fd_allocate']!(3, 0n, 1n)).toBe(E.isdir);
    expect(s.call['fd_filestat_set_size']!(3, 0n)).toBe(E.isdir);
  });
});

describe('fd_pread / fd_pwrite', () => {
  it('reads and writes at an offset without moving the cursor (file_pread_pwrite)', async () => {
    const s = await shim();
    const fd = create(s, 'f');
    expect(s.pwrite(fd, 0n, new Uint8Array([0, 1, 2, 3]))).toEqual([0, 4]);
    expect(s.pread(fd, 0n, 4)).toEqual([0, new Uint8Array([0, 1, 2, 3])]);
    expect(s.pwrite(fd, 0n, new Uint8Array([0, 1]), new Uint8Array([2, 3]))).toEqual([0, 4]);
    expect(s.pread(fd, 0n, 2, 2)).toEqual([0, new Uint8Array([0, 1, 2, 3])]);
    expect(s.pread(fd, 2n, 4)).toEqual([0, new Uint8Array([2, 3])]);
    expect(s.pread(fd, 100n, 4)).toEqual([0, new Uint8Array(0)]);
    expect(s.pwrite(fd, 2n, new Uint8Array([1, 0]))).toEqual([0, 2]);
    expect(s.pread(fd, 0n, 4)).toEqual([0, new Uint8Array([0, 1, 1, 0])]);
    expect(s.tell(fd)).toEqual([0, 0n]);
  });

  it('is spipe on stdio', async () => {
    const s = await shim();
    expect(s.pread(0, 0n, 4)[0]).toBe(E.spipe);
    expect(s.pwrite(1, 0n, 'x')[0]).toBe(E.spipe);
  });
});

describe('huge offsets and sizes', () => {
  it('answers offsets past 2^53 with an errno or EOF, never a fault', async () => {
    const s = await shim({ trees: { '/t': { g: { source: 'xyz' } } } });
    // fd 3 is the tree (policy preopens come first), fd 4 the temp dir
    const [, fd] = s.open('f', { dirfd: 4, oflags: O.CREAT, base: RDWR });
    const [, ro] = s.open('g', { dirfd: 3 });
    for (const off of [1n << 53n, (1n << 63n) - 1n, 1n << 63n, (1n << 64n) - 1n]) {
      for (const rc of [
        s.pread(fd, off, 4)[0], s.pwrite(fd, off, 'x')[0], s.pread(ro, off, 4)[0],
        s.seek(fd, BigInt.asIntN(64, off), WH.SET)[0],
        s.call['fd_filestat_set_size']!(fd, off), s.call['fd_allocate']!(fd, off, 1n),
      ]) {
        expect([0, E.inval, E.fbig, E.overflow]).toContain(rc);
      }
    }
    expect(s.pread(ro, 1n << 63n, 4)).toEqual([0, new Uint8Array(0)]);
    expect(s.seek(fd, -1n, WH.SET)[0]).toBe(E.inval);
  });

  it('keeps a host file cursor past 2^53 exact (the handle holds it as a bigint there)', async () => {
    const s = await shim({ trees: { '/t': { g: { source: 'xyz' } } } });
    const [, fd] = s.open('f', { dirfd: 4, oflags: O.CREAT, base: RDWR });
    expect(s.write(fd, 'abc')).toEqual([0, 3]);
    const far = (1n << 53n) + 1n; // not a double
    expect(s.seek(fd, far, WH.SET)).toEqual([0, far]);
    expect(s.read(fd, 4)).toEqual([0, new Uint8Array(0)]); // EOF, and the cursor stays
    expect(s.tell(fd)).toEqual([0, far]);
    expect(s.seek(fd, 2n, WH.CUR)).toEqual([0, far + 2n]);
    // Back below 2^53 the sequential reads pick up where the cursor says.
    expect(s.seek(fd, 1n, WH.SET)).toEqual([0, 1n]);
    expect(s.read(fd, 4)).toEqual([0, new TextEncoder().encode('bc')]);
    expect(s.tell(fd)).toEqual([0, 3n]);
  });
});

describe('fd_seek / fd_tell', () => {
  it('moves the cursor as file_seek_tell expects', async () => {
    const s = await shim();
    const fd = create(s, 'f');
    expect(s.tell(fd)).toEqual([0, 0n]);
    expect(s.write(fd, 'x'.repeat(100))).toEqual([0, 100]);
    expect(s.tell(fd)).toEqual([0, 100n]);
    expect(s.seek(fd, -50n, WH.CUR)).toEqual([0, 50n]);
    expect(s.seek(fd, 0n, WH.SET)).toEqual([0, 0n]);
    expect(s.seek(fd, 1000n, WH.CUR)).toEqual([0, 1000n]);
    expect(s.seek(fd, -2000n, WH.CUR)[0]).toBe(E.inval);
    expect(s.seek(fd, -10n, WH.END)).toEqual([0, 90n]);
    expect(s.seek(fd, 0n, 3)[0]).toBe(E.inval);
  });

  it('is spipe on stdio and needs only FD_TELL to ask the position', async () => {
    const s = await shim();
    expect(s.seek(1, 0n, WH.SET)[0]).toBe(E.spipe);
    expect(s.tell(0)[0]).toBe(E.spipe);
    writeFileSync(join(tmp.path, 'f'), '0123456789');
    const [, fd] = s.open('f', { base: R.FD_READ | R.FD_TELL });
    expect(s.read(fd, 4)[0]).toBe(0);
    expect(s.seek(fd, 0n, WH.CUR)).toEqual([0, 4n]);
    expect(s.seek(fd, 1n, WH.CUR)[0]).toBe(E.notcapable);
  });

  it('numbers whence the wasi_unstable way under that version (CUR=0, END=1, SET=2)', async () => {
    const s = await shim({ version: 'unstable' });
    writeFileSync(join(tmp.path, 'f'), '0123456789');
    const [, fd] = s.open('f');
    expect(s.seek(fd, 3n, 2)).toEqual([0, 3n]); // SET
    expect(s.seek(fd, 2n, 0)).toEqual([0, 5n]); // CUR
    expect(s.seek(fd, -1n, 1)).toEqual([0, 9n]); // END
  });
});

describe('fd_fdstat_get / set_flags / set_rights', () => {
  it('reports type, the fdflags given at open, and the granted rights', async () => {
    const s = await shim();
    const fd = create(s, 'f', R.FD_READ | R.FD_WRITE | R.PATH_OPEN, FDF.APPEND | FDF.SYNC);
    const [rc, st] = s.fdstat(fd);
    expect(rc).toBe(0);
    expect(st.filetype).toBe(FT.file);
    expect(st.flags).toBe(FDF.APPEND | FDF.SYNC);
    // PATH_OPEN is masked off: a file cannot hold directory rights.
    expect(st.base).toBe(R.FD_READ | R.FD_WRITE);
    const [, dir] = s.fdstat(3);
    expect(dir.filetype).toBe(FT.dir);
    expect(dir.flags).toBe(0);
    expect(dir.base & R.FD_SEEK).toBe(0n);
    expect(dir.base & R.PATH_OPEN).toBe(R.PATH_OPEN);
  });

  it('reports stdio that is not a terminal as unknown (isatty stays false)', async () => {
    const s = await shim();
    const [, st] = s.fdstat(1);
    expect(st.filetype).toBe(FT.unknown);
    expect(st.base & (R.FD_SEEK | R.FD_TELL)).toBe(0n);
  });

  it('turns append on and off (fd_flags_set): the final size is 200', async () => {
    const s = await shim();
    const fd = create(s, 'f', R.FD_READ | R.FD_WRITE | R.FD_SEEK | R.FD_TELL | R.FD_FDSTAT_SET_FLAGS, FDF.APPEND);
    expect(s.write(fd, new Uint8Array(100))).toEqual([0, 100]);
    expect(s.seek(fd, 0n, WH.SET)[0]).toBe(0);
    expect(s.write(fd, new Uint8Array(100).fill(1))).toEqual([0, 100]);
    expect(s.pread(fd, 100n, 100)).toEqual([0, new Uint8Array(100).fill(1)]);
    expect(s.call['fd_fdstat_set_flags']!(fd, 0)).toBe(0);
    expect(s.fdstat(fd)[1].flags).toBe(0);
    expect(s.seek(fd, 0n, WH.SET)[0]).toBe(0);
    expect(s.write(fd, new Uint8Array(100).fill(2))).toEqual([0, 100]);
    expect(s.pread(fd, 0n, 100)).toEqual([0, new Uint8Array(100).fill(2)]);
    expect(statSync(join(tmp.path, 'f')).size).toBe(200);
    expect(s.call['fd_fdstat_set_flags']!(fd, 0x40)).toBe(E.inval);
    const [, ro] = s.open('f', { base: R.FD_READ });
    expect(s.call['fd_fdstat_set_flags']!(ro, FDF.APPEND)).toBe(E.notcapable);
  });

  it('lets rights shrink, never grow (fd_fdstat_set_rights)', async () => {
    const s = await shim();
    const fd = create(s, 'f', R.FD_READ | R.FD_WRITE | R.FD_SEEK | R.FD_TELL);
    expect(s.write(fd, 'abcd')).toEqual([0, 4]);
    const [, st] = s.fdstat(fd);
    expect(s.call['fd_fdstat_set_rights']!(fd, st.base, st.inheriting)).toBe(0); // same rights: a no-op
    expect(s.call['fd_fdstat_set_rights']!(fd, st.base & ~(R.FD_READ | R.FD_WRITE), st.inheriting)).toBe(0);
    const [, after] = s.fdstat(fd);
    expect(after.base & (R.FD_READ | R.FD_WRITE)).toBe(0n);
    expect(after.base & R.FD_SEEK).toBe(R.FD_SEEK);
    expect(s.read(fd, 4)[0]).toBe(E.notcapable);
    expect(s.write(fd, 'x')[0]).toBe(E.notcapable);
    expect(s.call['fd_fdstat_set_rights']!(fd, st.base, st.inheriting)).toBe(E.notcapable);
    expect(s.call['fd_fdstat_set_rights']!(99, 0n, 0n)).toBe(E.badf);
  });
});

describe('fd_filestat_*', () => {
  it('gets, truncates and extends, and sets times to the nanosecond with only the flagged fields changed', async () => {
    const s = await shim();
    const R_ALL = R.FD_READ | R.FD_WRITE | R.FD_FILESTAT_GET | R.FD_FILESTAT_SET_SIZE | R.FD_FILESTAT_SET_TIMES;
    const fd = create(s, 'f', R_ALL);
    const [rc, st] = s.filestat(fd);
    expect(rc).toBe(0);
    expect(st.filetype).toBe(FT.file);
    expect(st.size).toBe(0n);
    expect(st.nlink).toBe(1n);
    expect(s.call['fd_filestat_set_size']!(fd, 100n)).toBe(0);
    expect(s.filestat(fd)[1].size).toBe(100n);
    const mtim = 1_600_000_000_123_456_789n;
    expect(s.call['fd_filestat_set_times']!(fd, 5n, mtim, 4 /* MTIM */)).toBe(0);
    const [, after] = s.filestat(fd);
    expect(after.size).toBe(100n);
    expect(after.atim).toBe(st.atim);
    expect(after.mtim).toBe(mtim);
    expect(s.call['fd_filestat_set_size']!(fd, 1n << 63n)).toBe(E.fbig);
  });

  it('validates fstflags before touching anything (fstflags_validate)', async () => {
    const s = await shim();
    const fd = create(s, 'f');
    const before = s.filestat(fd)[1];
    expect(s.call['fd_filestat_set_times']!(fd, 0n, 0n, 4 | 8)).toBe(E.inval);
    expect(s.call['fd_filestat_set_times']!(fd, 0n, 0n, 1 | 2)).toBe(E.inval);
    expect(s.call['fd_filestat_set_times']!(fd, 0n, 0n, 16)).toBe(E.inval);
    expect(s.filestat(fd)[1].mtim).toBe(before.mtim);
  });

  it('refuses writes on a read-only tree with rofs and reads its metadata', async () => {
    const s = await Shim.create({ trees: { '/ro': { 'a.txt': { source: 'hello' } } } });
    const [, fd] = s.open('a.txt');
    expect(s.filestat(fd)[1]).toMatchObject({ size: 5n, filetype: FT.file });
    expect(s.open('a.txt', { base: RDWR })[0]).toBe(E.rofs);
    expect(s.open('new', { oflags: O.CREAT })[0]).toBe(E.rofs);
    expect(s.call['fd_filestat_set_times']!(fd, 0n, 0n, 2)).toBe(E.rofs);
  });
});

describe('fd_advise / fd_allocate / fd_sync / fd_datasync', () => {
  it('accepts advice, refuses unknown advice, allocates, syncs', async () => {
    const s = await shim();
    const fd = create(s, 'f');
    expect(s.call['fd_advise']!(fd, 10n, 50n, 0)).toBe(0);
    expect(s.call['fd_advise']!(fd, 0n, 0n, 5)).toBe(0);
    expect(s.call['fd_advise']!(fd, 0n, 0n, 6)).toBe(E.inval);
    expect(s.call['fd_allocate']!(fd, 0n, 100n)).toBe(0);
    expect(s.filestat(fd)[1].size).toBe(100n);
    expect(s.call['fd_allocate']!(fd, 10n, 10n)).toBe(0);
    expect(s.filestat(fd)[1].size).toBe(100n);
    expect(s.call['fd_sync']!(fd)).toBe(0);
    expect(s.call['fd_datasync']!(fd)).toBe(0);
    expect(s.call['fd_sync']!(3)).toBe(0);
    expect(s.call['fd_sync']!(1)).toBe(0);
    expect(s.call['fd_advise']!(1, 0n, 0n, 0)).toBe(E.spipe);
    const [, ro] = s.open('f', { base: R.FD_READ });
    expect(s.call['fd_advise']!(ro, 0n, 0n, 0)).toBe(E.notcapable);
    expect(s.call['fd_datasync']!(ro)).toBe(E.notcapable);
  });
});

describe('fd_close / fd_renumber', () => {
  it('closes once; a second close is badf', async () => {
    const s = await shim();
    const fd = create(s, 'f');
    expect(s.close(fd)).toBe(0);
    expect(s.close(fd)).toBe(E.badf);
    expect(s.fdstat(fd)[0]).toBe(E.badf);
    expect(s.open('f')[1]).toBe(fd); // lowest free fd again
  });

  it('closing the guest stdio leaves the host stdio open', async () => {
    const s = await shim();
    expect(s.close(1)).toBe(0);
    expect(s.write(1, 'x')[0]).toBe(E.badf);
    expect(s.host.stdout.closed).toBe(false);
    s.host.stdout.write(new TextEncoder().encode('still here'));
    expect(s.stdout.text()).toBe('still here');
  });

  it('renumbers over an open fd, closing what was there (renumber)', async () => {
    const s = await shim();
    const a = create(s, 'a', R.FD_READ | R.FD_WRITE);
    const b = create(s, 'b', R.FD_READ | R.FD_WRITE);
    expect(s.write(a, 'to a')[0]).toBe(0);
    const [, sa] = s.fdstat(a);
    expect(s.call['fd_renumber']!(a, b)).toBe(0);
    expect(s.close(a)).toBe(E.badf);
    expect(s.fdstat(b)[1]).toEqual(sa);
    expect(s.write(b, '!')[0]).toBe(0);
    expect(readFileSync(join(tmp.path, 'a'), 'utf8')).toBe('to a!');
    expect(s.call['fd_renumber']!(b, a)).toBe(E.badf); // the destination must be open
    expect(s.call['fd_renumber']!(b, b)).toBe(0);
  });

  it('renumbering onto fd 1 replaces the guest fd 1 only (stdio)', async () => {
    const s = await shim();
    const f = create(s, 'out', R.FD_WRITE);
    expect(s.call['fd_renumber']!(f, 1)).toBe(0);
    expect(s.fdstat(f)[0]).toBe(E.badf);
    expect(s.write(1, 'to the file')).toEqual([0, 11]);
    expect(readFileSync(join(tmp.path, 'out'), 'utf8')).toBe('to the file');
    expect(s.host.stdout.closed).toBe(false);
    expect(s.stdout.text()).toBe('');
  });

  it('can close a preopen and overwrite one (close_preopen, overwrite_preopen)', async () => {
    const s = await shim();
    const [, d] = s.open('.', { oflags: O.DIRECTORY });
    expect(s.call['fd_renumber']!(d, 3)).toBe(0);
    expect(s.fdstat(d)[0]).toBe(E.badf);
    expect(s.fdstat(3)[1].filetype).toBe(FT.dir);
    expect(s.call['fd_prestat_get']!(3, 0)).toBe(E.badf); // no longer a preopen
    expect(s.close(3)).toBe(0);
    expect(s.fdstat(3)[0]).toBe(E.badf);
  });
});

describe('teardown', () => {
  it('closes what the guest left open when the host is disposed, and leaves the host stdio alone', async () => {
    const s = await shim();
    const fd = create(s, 'f');
    const [, d] = s.open('.', { oflags: 2 });
    const file = s.p1.context.fds.get(fd).handle;
    const dir = s.p1.context.fds.get(d).handle;
    s.host.dispose();
    expect(file.closed).toBe(true);
    expect(dir.closed).toBe(true);
    expect(s.host.stdout.closed).toBe(false);
    expect(s.fdstat(fd)[0]).toBe(E.badf);
  });
});

describe('fd_prestat_get / fd_prestat_dir_name', () => {
  it('names each preopen, badf past them, nametoolong into a short buffer', async () => {
    const s = await Shim.create({ trees: { '/data': {} }, dirs: { 'fs-tests.dir': tmp.path } });
    const names: string[] = [];
    for (let fd = 3; ; fd++) {
      const rc = s.call['fd_prestat_get']!(fd, 64);
      if (rc !== 0) {
        expect(rc).toBe(E.badf);
        break;
      }
      expect(s.u8at(64)).toBe(0);
      const len = s.u32(68);
      expect(s.call['fd_prestat_dir_name']!(fd, 128, len)).toBe(0);
      names.push(s.text(128, len));
      expect(s.call['fd_prestat_dir_name']!(fd, 128, len - 1)).toBe(E.nametoolong);
      expect(s.call['fd_prestat_dir_name']!(fd, 128, 0)).toBe(E.nametoolong);
    }
    expect(names).toEqual(['/data', 'fs-tests.dir']);
    expect(s.call['fd_prestat_get']!(1, 64)).toBe(E.badf);
    expect(s.call['fd_prestat_dir_name']!(1, 128, 10)).toBe(E.badf);
    const [, fd] = s.open('.', { dirfd: 4, oflags: O.DIRECTORY });
    expect(s.call['fd_prestat_get']!(fd, 64)).toBe(E.badf);
  });
});
