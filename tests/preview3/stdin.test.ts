/**
 * A WASI 0.3 stdin read over a host fd waits without blocking the event loop: the 0.3
 * face's stdin stream reads Node's fd asynchronously (FdSource.readAsync), so the guest's
 * other tasks and the host's timers run while it waits. Driven at the face, as jco drives
 * a host stream (pull the iterable, `return()` when the guest drops it), over a real FIFO
 * that a separate process writes to later; no suite program has a second task to observe
 * this from inside a guest. A synchronous read would block this thread until the writer
 * came, and the timer would fire after it: the test fails, it does not hang.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Kernel } from '../../src/adapter/kernel/index.js';
import { FdSource } from '../../src/adapter/node/stdio.js';
import { createPreview3, WASI_P3_VERSION } from '../../src/adapter/preview3/index.js';

type Pull = () => Promise<IteratorResult<Uint8Array>>;

let dir: string;
let fifo: string;
let fd: number;
let kernel: Kernel;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wv-p3-stdin-'));
  fifo = join(dir, 'in');
  expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
  // Read-write, so opening does not wait for a writer and reads wait for data, never EOF.
  fd = openSync(fifo, constants.O_RDWR);
  kernel = new Kernel({ policy: { stdio: { stdin: 'allow', stdout: 'allow', stderr: 'allow' } }, stdin: new FdSource(fd) });
});

afterEach(() => {
  kernel.dispose();
  closeSync(fd);
  rmSync(dir, { recursive: true, force: true });
});

/** `wasi:cli/stdin#read-via-stream`, and how jco pulls the stream it returns. */
function readViaStream(): { pull: Pull; drop: () => unknown; done: Promise<unknown> } {
  const stdin = createPreview3(kernel)[`wasi:cli/stdin@${WASI_P3_VERSION}`]!;
  const [stream, done] = (stdin['readViaStream'] as () => [object, Promise<unknown>])();
  if (Symbol.asyncIterator in stream) {
    const it = (stream as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
    return { pull: () => it.next(), drop: () => it.return?.(), done };
  }
  const it = (stream as Iterable<Uint8Array>)[Symbol.iterator]();
  return { pull: async () => it.next(), drop: () => it.return?.(), done };
}

/** A separate process writes `text` into the FIFO after `ms`. */
function writeLater(ms: number, ...texts: string[]): Promise<void> {
  const script = texts.map((t) => `sleep ${ms / 1000}; printf '${t}' > "$1"`).join('; ');
  const child = spawn('sh', ['-c', script, 'sh', fifo], { stdio: 'ignore' });
  return new Promise((resolve) => child.on('exit', () => resolve()));
}

const text = (r: IteratorResult<Uint8Array>): string => new TextDecoder().decode(r.value);

describe('WASI 0.3 stdin over a host fd', () => {
  it('a read waiting for input lets timers run meanwhile, then gets the input', async () => {
    const order: string[] = [];
    const { pull, drop, done } = readViaStream();
    const written = writeLater(300, 'late');
    const timer = new Promise<void>((resolve) => setTimeout(() => { order.push('timer'); resolve(); }, 50));
    const read = pull().then((r) => { order.push('read'); return r; });
    await Promise.all([timer, read, written]);
    expect(order).toEqual(['timer', 'read']);
    expect(text(await read)).toBe('late');
    // The stream ends when the guest drops it, and its future says ok.
    await drop();
    expect(await done).toEqual({ tag: 'ok', val: undefined });
  });

  it('input that arrives after the guest dropped a waiting stream goes to the next read, not lost', async () => {
    const first = readViaStream();
    const written = writeLater(100, 'kept', 'more');
    const pending = first.pull();
    await first.drop();
    expect(await first.done).toEqual({ tag: 'ok', val: undefined });
    await written;
    expect(await pending).toEqual({ done: true, value: undefined });
    const second = readViaStream();
    expect(text(await second.pull())).toBe('kept');
    expect(text(await second.pull())).toBe('more');
  });
});
