/**
 * Guest memory safety in the preview1 face: every pointer and length checked (fault),
 * guest counts validated against memory before anything is allocated, no side effect
 * before a fault is known, and memory that grows between or during calls.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BufferSource, type InputSource, type OutputSink } from '../../src/adapter/kernel/index.js';
import { E, O, RDWR, Shim } from './shim.js';
import { tempDir } from './fs-harness.js';

let tmp: { path: string; cleanup: () => void };
beforeEach(() => { tmp = tempDir(); });
afterEach(() => tmp.cleanup());

function shim(opts: Parameters<typeof Shim.create>[0] = {}): Promise<Shim> {
  return Shim.create({ dirs: { '/work': tmp.path }, ...opts });
}

describe('bad pointers', () => {
  it('faults on iovec arrays and buffers outside memory, with nothing written', async () => {
    const s = await shim();
    const size = s.memory.buffer.byteLength;
    const [, fd] = s.open('f', { oflags: O.CREAT, base: RDWR });
    expect(s.call['fd_write']!(fd, size - 4, 1, 64)).toBe(E.fault); // iovec array past the end
    expect(s.call['fd_write']!(fd, -8, 1, 64)).toBe(E.fault); // 0xfffffff8
    // A valid first iovec and an out-of-range second one: nothing is written at all.
    s.setU32(100, 200); s.setU32(104, 3);
    s.setU32(108, size - 2); s.setU32(112, 3);
    expect(s.call['fd_write']!(fd, 100, 2, 64)).toBe(E.fault);
    expect(readFileSync(join(tmp.path, 'f')).byteLength).toBe(0);
    s.setU32(108, 300); s.setU32(112, 3);
    expect(s.call['fd_write']!(fd, 100, 2, size)).toBe(E.fault); // nwritten pointer
    expect(readFileSync(join(tmp.path, 'f')).byteLength).toBe(0);
    expect(s.call['fd_write']!(fd, 100, 2, -1)).toBe(E.fault);
    expect(s.call['fd_write']!(fd, 100, 2, 64)).toBe(0);
    expect(s.u32(64)).toBe(6);
  });

  it('does not consume input when the result pointer is bad', async () => {
    const s = await shim({ stdin: new BufferSource('keep me') });
    const size = s.memory.buffer.byteLength;
    s.setU32(100, 200); s.setU32(104, 16);
    expect(s.call['fd_read']!(0, 100, 1, size - 2)).toBe(E.fault);
    expect(s.readText(0)).toBe('keep me');
  });

  it('faults on huge iovec counts without allocating for them', async () => {
    const s = await shim();
    const t0 = performance.now();
    for (const count of [0x7fffffff, -1, 0x20000000]) {
      expect(s.call['fd_write']!(1, 0, count, 64)).toBe(E.fault);
      expect(s.call['fd_read']!(0, 0, count, 64)).toBe(E.fault);
      expect(s.call['fd_pread']!(3, 0, count, 0n, 64)).not.toBe(0);
    }
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('refuses iovecs whose lengths add up past 4 GiB (they may overlap) before reading', async () => {
    const s = await shim({ stdin: new BufferSource('untouched') });
    s.call['grow']!(8); // 10 pages = 640 KiB
    const len = s.memory.buffer.byteLength;
    const count = Math.ceil(2 ** 32 / len) + 1;
    const arr = 1024;
    for (let i = 0; i < count; i++) { s.setU32(arr + 8 * i, 0); s.setU32(arr + 8 * i + 4, len); }
    expect(s.call['fd_read']!(0, arr, count, 64)).toBe(E.inval);
    expect(s.readText(0)).toBe('untouched');
  });

  it('faults on path pointers and lengths outside memory, and creates nothing when the result pointer is bad', async () => {
    const s = await shim();
    const size = s.memory.buffer.byteLength;
    expect(s.call['path_open']!(3, 0, size - 2, 5, 0, 0n, 0n, 0, 64)).toBe(E.fault);
    expect(s.call['path_open']!(3, 0, 0, -1, 0, 0n, 0n, 0, 64)).toBe(E.fault);
    expect(s.call['path_create_directory']!(3, size, 1)).toBe(E.fault);
    expect(s.call['path_unlink_file']!(3, -100, 10)).toBe(E.fault);
    s.u8.set(new TextEncoder().encode('new-file'), 200);
    expect(s.call['path_open']!(3, 0, 200, 8, O.CREAT, 0n, 0n, 0, size - 1)).toBe(E.fault);
    expect(existsSync(join(tmp.path, 'new-file'))).toBe(false);
    expect(s.open('x', { oflags: O.CREAT })[1]).toBe(4); // no fd leaked by the failed open
    s.u8.set([0x66, 0xff, 0x66], 300); // not UTF-8
    expect(s.call['path_open']!(3, 0, 300, 3, O.CREAT, 0n, 0n, 0, 64)).toBe(E.ilseq);
  });

  it('faults on struct pointers outside memory for every call that writes one', async () => {
    const s = await shim();
    writeFileSync(join(tmp.path, 'f'), 'x');
    s.symlink('f', 'l');
    const size = s.memory.buffer.byteLength;
    const bad = size - 3;
    s.u8.set(new TextEncoder().encode('f'), 200);
    s.u8.set(new TextEncoder().encode('l'), 210);
    expect(s.call['fd_fdstat_get']!(1, bad)).toBe(E.fault);
    expect(s.call['fd_filestat_get']!(3, bad)).toBe(E.fault);
    expect(s.call['fd_prestat_get']!(3, bad)).toBe(E.fault);
    expect(s.call['fd_prestat_dir_name']!(3, bad, 5)).toBe(E.fault);
    expect(s.call['fd_tell']!(3, bad)).not.toBe(0);
    expect(s.call['path_filestat_get']!(3, 0, 200, 1, bad)).toBe(E.fault);
    expect(s.call['path_readlink']!(3, 210, 1, bad, 16, 64)).toBe(E.fault);
    expect(s.call['path_readlink']!(3, 210, 1, 64, 16, bad)).toBe(E.fault);
    const [, fd] = s.open('f');
    expect(s.call['fd_seek']!(fd, 0n, 0, bad)).toBe(E.fault);
    expect(s.call['fd_tell']!(fd, bad)).toBe(E.fault);
    expect(s.call['sock_accept']!(fd, 0, bad)).toBe(E.notsock);
  });

  it('treats a pointer with the top bit set as unsigned (0x80000000 is past a small memory, not negative)', async () => {
    const s = await shim();
    expect(s.call['fd_fdstat_get']!(1, 0x80000000 | 0)).toBe(E.fault);
    expect(s.call['fd_write']!(1, 0x80000000 | 0, 1, 64)).toBe(E.fault);
  });
});

describe('memory growth', () => {
  it('uses pointers into memory grown between calls', async () => {
    const s = await shim();
    const old = s.memory.buffer.byteLength;
    expect(s.call['grow']!(2)).toBe(old / 65536);
    const p = old + 1000;
    s.u8.set(new TextEncoder().encode('grown'), p);
    s.setU32(old + 100, p);
    s.setU32(old + 104, 5);
    expect(s.call['fd_write']!(1, old + 100, 1, old + 200)).toBe(0);
    expect(s.u32(old + 200)).toBe(5);
    expect(s.stdout.text()).toBe('grown');
  });

  it('writes every iovec when the output sink grows memory mid-call', async () => {
    let grow: (() => void) | undefined;
    const got: string[] = [];
    const sink: OutputSink = {
      write(bytes) {
        got.push(new TextDecoder().decode(bytes)); // copy before growing detaches the view
        grow?.();
      },
      flush() {},
    };
    const s = await shim({ stdoutSink: sink });
    grow = () => s.memory.grow(1);
    const before = s.memory.buffer.byteLength;
    expect(s.write(1, 'one ', 'two ', 'three')).toEqual([0, 13]);
    expect(got).toEqual(['one ', 'two ', 'three']);
    expect(s.memory.buffer.byteLength).toBe(before + 3 * 65536);
  });

  it('lands a read correctly when the stdin source grows memory mid-call', async () => {
    let grow: (() => void) | undefined;
    let sent = false;
    const source: InputSource = {
      read: () => {
        grow?.();
        if (sent) return null;
        sent = true;
        return new TextEncoder().encode('after growth');
      },
    };
    const s = await shim({ stdin: source });
    grow = () => s.memory.grow(1);
    expect(s.readText(0, 64)).toBe('after growth');
  });

  it('reads a file into memory grown by a previous call', async () => {
    writeFileSync(join(tmp.path, 'f'), 'file data');
    const s = await shim();
    const [, fd] = s.open('f');
    const old = s.memory.buffer.byteLength;
    s.call['grow']!(1);
    s.setU32(old + 8, old + 64);
    s.setU32(old + 12, 100);
    expect(s.call['fd_read']!(fd, old + 8, 1, old + 16)).toBe(0);
    expect(s.text(old + 64, s.u32(old + 16))).toBe('file data');
  });
});

describe('host failures', () => {
  it('turns an embedder sink that throws into a trap, not an errno or a corrupted host', async () => {
    const s = await shim({ stdoutSink: { write() { throw new Error('sink broke'); }, flush() {} } });
    expect(() => s.write(1, 'x')).toThrow('sink broke');
    expect(s.write(2, 'still works')).toEqual([0, 11]);
  });
});
