/**
 * Node stdio: the fd sinks' coalescing and ordering, EAGAIN on a non-blocking pipe, and
 * the host's stdio surviving a guest that closes or renumbers its fds 0-2 (node:wasi
 * closes the host's own descriptors there, and what the host prints next is lost).
 */
import { closeSync, mkdtempSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FdSink, FdSource, StdioGroup } from '../../src/adapter/node/stdio.js';
import { spawnSync } from 'node:child_process';
import { compileWat, ROOT, wat } from '../helpers/guests.js';
import { cli, ensureBuilt, node } from './cli-helper.js';

let dir: string;
const file = (name: string) => join(dir, name);

beforeAll(async () => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'stdio-'));
  for (const name of ['close-stdout', 'renumber-stdout', 'close-all-trap', 'write-many', 'hello', 'cat']) {
    writeFileSync(file(`${name}.wasm`), await wat(name));
  }
});

const text = (s: string) => new TextEncoder().encode(s);

describe('FdSink coalescing and ordering', () => {
  it('collects small writes on a non-terminal and delivers all of them, in order, on flush', () => {
    const out = file('coalesce.txt');
    const fd = openSync(out, 'w');
    try {
      const sink = new FdSink(fd);
      for (let i = 0; i < 1000; i++) sink.write(text(`${i}\n`));
      expect(statSync(out).size).toBe(0);
      sink.flush();
      expect(readFileSync(out, 'utf8')).toBe([...Array(1000).keys()].map((i) => `${i}\n`).join(''));
    } finally {
      closeSync(fd);
    }
  });

  it('coalesce: false writes through at once', () => {
    const out = file('through.txt');
    const fd = openSync(out, 'w');
    try {
      const sink = new FdSink(fd, { coalesce: false });
      sink.write(text('now'));
      expect(readFileSync(out, 'utf8')).toBe('now');
    } finally {
      closeSync(fd);
    }
  });

  it('a write on one sink (stderr) first delivers what another of its group holds (stdout)', () => {
    const out = file('order.txt');
    const fd = openSync(out, 'a');
    try {
      const group = new StdioGroup();
      const stdout = new FdSink(fd, { group });
      const stderr = new FdSink(fd, { group });
      stdout.write(text('1 out\n'));
      stderr.write(text('2 err\n'));
      stdout.write(text('3 out\n'));
      stderr.write(text('4 err\n'));
      stderr.flush();
      expect(readFileSync(out, 'utf8')).toBe('1 out\n2 err\n3 out\n4 err\n');
    } finally {
      closeSync(fd);
    }
  });

  it('a stdin read first delivers pending output (a prompt is out before the wait)', () => {
    const out = file('prompt.txt');
    const input = file('input.txt');
    writeFileSync(input, 'answer\n');
    const ofd = openSync(out, 'w');
    const ifd = openSync(input, 'r');
    try {
      const group = new StdioGroup();
      const stdout = new FdSink(ofd, { group });
      const stdin = new FdSource(ifd, { group });
      stdout.write(text('name? '));
      expect(statSync(out).size).toBe(0);
      expect(new TextDecoder().decode(stdin.read(100)!)).toBe('answer\n');
      expect(readFileSync(out, 'utf8')).toBe('name? ');
      expect(stdin.read(100)).toBeNull();
    } finally {
      closeSync(ofd);
      closeSync(ifd);
    }
  });

  it('bytes older than 50 ms go out with the next write; a large write goes straight through', () => {
    const out = file('age.txt');
    const fd = openSync(out, 'w');
    try {
      const sink = new FdSink(fd);
      sink.write(text('old '));
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60);
      sink.write(text('new '));
      expect(readFileSync(out, 'utf8')).toBe('old new ');
      sink.write(text('x'));
      sink.write(new Uint8Array(20_000).fill(0x79));
      expect(statSync(out).size).toBe(8 + 1 + 20_000);
    } finally {
      closeSync(fd);
    }
  });

  it('guest "a", host "b", guest "c" on one piped fd reads "abc" (node:wasi\'s order), whether the host writes or logs', async () => {
    const guest = file('a-host-c.wasm');
    writeFileSync(guest, await compileWat(`(module
      (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
      (import "env" "host" (func $host))
      (memory (export "memory") 1)
      (data (i32.const 64) "ac")
      (func $put (param $at i32)
        (i32.store (i32.const 0) (local.get $at)) (i32.store (i32.const 4) (i32.const 1))
        (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
      (func (export "_start") (call $put (i32.const 64)) (call $host) (call $put (i32.const 65))))`));
    for (const [hostWrite, expected] of [["process.stdout.write('b')", 'abc'], ["console.log('b')", 'ab\nc'], ["process.stderr.write('b')", 'abc']] as const) {
      const script = `
        import { readFileSync } from 'node:fs';
        import { WASI } from './dist/wasi.js';
        const wasi = new WASI({ version: 'preview1' });
        const { instance } = await WebAssembly.instantiate(readFileSync(${JSON.stringify(guest)}),
          { ...wasi.getImportObject(), env: { host: () => { ${hostWrite}; } } });
        wasi.start(instance);`;
      // 2>&1 into one pipe, as a log file or a reader of both streams sees them.
      const r = spawnSync('sh', ['-c', '"$NODE" --no-warnings --input-type=module -e "$SCRIPT" 2>&1'], {
        cwd: ROOT, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NODE: process.execPath, SCRIPT: script },
      });
      expect([hostWrite, r.stdout]).toEqual([hostWrite, expected]);
    }
  });

  it('the process exit delivers whatever an embedder left buffered', () => {
    const r = node(`
      import { FdSink } from './dist/adapter/node/stdio.js';
      const sink = new FdSink(1);
      sink.write(new TextEncoder().encode('buffered at exit\\n'));
      process.exit(0);`);
    expect(r.stdout).toBe('buffered at exit\n');
  });

  it('every byte arrives through a non-blocking pipe (EAGAIN is waited out)', () => {
    // A net.Socket on fd 1 makes libuv switch the pipe to O_NONBLOCK; 4 MiB then overruns
    // the 64 KiB pipe buffer many times.
    const r = node(`
      import net from 'node:net';
      import { FdSink } from './dist/adapter/node/stdio.js';
      new net.Socket({ fd: 1, readable: false, writable: true });
      const sink = new FdSink(1);
      const line = new Uint8Array(4096).fill(0x61); line[4095] = 10;
      for (let i = 0; i < 1024; i++) sink.write(line.subarray(0, 2048)), sink.write(line.subarray(2048));
      sink.flush();
      process.stderr.write('done\\n');`);
    expect(r.stderr).toBe('done\n');
    expect(r.stdout.length).toBe(4 * 1024 * 1024);
    expect(r.stdout).toBe(('a'.repeat(4095) + '\n').repeat(1024));
  });
});

describe('stdin', () => {
  it('the CLI gives the guest the host stdin (a pipe), to EOF', () => {
    const input = 'line one\n'.repeat(2000) + 'no newline at the end';
    const r = cli(['run', file('cat.wasm')], { input });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(input);
  });

  it('the WASI class takes stdin as a string and stdout as a CaptureSink', async () => {
    const { WASI } = await import('../../src/wasi.js');
    const { CaptureSink } = await import('../../src/adapter/kernel/index.js');
    const out = new CaptureSink();
    const w = new WASI({ version: 'preview1', stdin: 'typed input ✓', stdout: out });
    const { instance } = await WebAssembly.instantiate((await wat('cat')) as Uint8Array<ArrayBuffer>, w.getImportObject());
    expect(w.start(instance)).toBe(0);
    expect(out.text()).toBe('typed input ✓');
  });

  it('stdio policy: stdin ignored reads EOF, stdout denied is notcapable (76)', async () => {
    const { WASI } = await import('../../src/wasi.js');
    const { CaptureSink } = await import('../../src/adapter/kernel/index.js');
    const out = new CaptureSink();
    const ignored = new WASI({ version: 'preview1', stdin: 'unseen', stdout: out, policy: { stdio: { stdin: 'ignore', stdout: 'allow', stderr: 'allow' } } });
    const a = await WebAssembly.instantiate((await wat('cat')) as Uint8Array<ArrayBuffer>, ignored.getImportObject());
    expect(ignored.start(a.instance)).toBe(0);
    expect(out.text()).toBe('');
    const denied = new WASI({ version: 'preview1', stdin: 'seen', stdout: out, policy: { stdio: { stdin: 'allow', stdout: 'deny', stderr: 'allow' } } });
    const b = await WebAssembly.instantiate((await wat('cat')) as Uint8Array<ArrayBuffer>, denied.getImportObject());
    expect(denied.start(b.instance)).toBe(76);
  });
});

describe('the host stdio survives the guest', () => {
  const embed = (impl: string, guest: string) => `
    import { readFileSync, writeSync } from 'node:fs';
    ${impl}
    const w = new WASI({ version: 'preview1' });
    const { instance } = await WebAssembly.instantiate(readFileSync(${JSON.stringify(file(guest))}), w.getImportObject());
    const code = w.start(instance);
    try { writeSync(1, 'host stdout after the guest\\n'); } catch (e) { writeSync(2, 'host stdout failed: ' + e.code + '\\n'); }
    try { writeSync(2, 'host stderr after the guest, guest exit ' + code + '\\n'); } catch {}`;
  const OURS = `import { WASI } from './dist/node.js';`;
  const NODE = `import { WASI } from 'node:wasi';`;

  it('guest closes fd 1: our host still prints; under node:wasi the host fd 1 is gone', () => {
    const ours = node(embed(OURS, 'close-stdout.wasm'));
    expect(ours.stdout).toBe('host stdout after the guest\n');
    // The guest saw its own fd 1 closed (EBADF = 8) and its stderr still open.
    expect(ours.stderr).toBe('guest stderr after closing fd 1\nhost stderr after the guest, guest exit 8\n');
    const theirs = node(embed(NODE, 'close-stdout.wasm'));
    expect(theirs.stdout).toBe('');
    expect(theirs.stderr).toMatch(/host stdout failed: EBADF/);
  });

  it('guest renumbers its stderr over fd 1: the host keeps both of its own', () => {
    const ours = node(embed(OURS, 'renumber-stdout.wasm'));
    expect(ours.stdout).toBe('host stdout after the guest\n');
    expect(ours.stderr).toBe('guest fd 1 is now its stderr\nhost stderr after the guest, guest exit 8\n');
    const theirs = node(embed(NODE, 'renumber-stdout.wasm'));
    expect(theirs.stdout).toBe('');
  });

  it('the CLI still reports a trap after the guest closed fds 0, 1 and 2', () => {
    const r = cli(['run', file('close-all-trap.wasm'), '--debug']);
    expect(r.status).toBe(134);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines.slice(0, 3)).toEqual([
      '[wasi-virt] fd_close(fd=0) = success', '[wasi-virt] fd_close(fd=1) = success', '[wasi-virt] fd_close(fd=2) = success',
    ]);
    expect(lines.at(-1)).toBe('wasi-virt: trap: unreachable (in wasm-function[1])');
  });

  it('one million 16-byte writes to a pipe all arrive (nothing lost at exit)', () => {
    const r = node(`
      import { readFileSync } from 'node:fs';
      import { WASI } from './dist/node.js';
      const w = new WASI({ version: 'preview1' });
      const { instance } = await WebAssembly.instantiate(readFileSync(${JSON.stringify(file('write-many.wasm'))}), w.getImportObject());
      new DataView(instance.exports.memory.buffer).setUint32(0, 1_000_000, true);
      process.exitCode = w.start(instance);`);
    expect(r.status).toBe(0);
    expect(r.stdout.length).toBe(16_000_000);
    expect(r.stdout.slice(-32)).toBe('0123456789abcde\n0123456789abcde\n');
  });
});
