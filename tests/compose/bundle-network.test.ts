/**
 * Native component bundles: a TCP client whose bundle carries preview2-shim (sockets
 * allowed) and talks to a loopback server after being moved out of the repository's
 * reach, the same bundle composed with sockets denied (no shim, access-denied), and a
 * guest's wasi:cli/exit#exit-with-code reaching the process's status.
 */
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { nativeComponent } from '../preview2/native.js';
import { cli, ensureBuilt, runNode, tempDir } from './helpers.js';

// The bundle runs in a child process; the server needs an event loop while spawnSync
// blocks this thread, so it lives in a worker.
const SERVER = `
const { parentPort } = require('node:worker_threads');
const net = require('node:net');
const server = net.createServer((sock) => {
  let got = '';
  sock.on('data', (d) => { got += d; if (got.includes('\\n')) sock.end('pong: ' + got); });
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
parentPort.on('message', () => server.close(() => process.exit(0)));
`;

let server: Worker;
let port: number;

beforeAll(async () => {
  ensureBuilt();
  server = new Worker(SERVER, { eval: true });
  port = await new Promise<number>((resolve) => server.once('message', resolve));
});

afterAll(async () => {
  server.postMessage('stop');
  await new Promise((resolve) => server.once('exit', resolve));
});

async function composeGuest(name: string, world: string, flags: string[]): Promise<string> {
  const work = tempDir();
  writeFileSync(join(work, `${name}.wasm`), await nativeComponent(name, world));
  const out = join(work, 'out');
  const r = cli([join(work, `${name}.wasm`), ...flags, '-o', out]);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return out;
}

describe('network bundles', () => {
  test('sockets allowed: the bundle carries preview2-shim and connects from anywhere', async () => {
    const out = await composeGuest('p2-tcp', 'tcp-guest', ['--allow-sockets', '--allow-stdio']);
    expect(existsSync(join(out, 'node_modules', '@bytecodealliance', 'preview2-shim', 'package.json'))).toBe(true);
    const moved = join(tempDir('wv-moved-'), 'tcp');
    renameSync(out, moved);
    const r = runNode(join(moved, 'p2-tcp.js'), [String(port)]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('pong: ping\n');
    expect(r.status).toBe(0);
  });

  test('sockets denied: no shim, and creating a socket is access-denied', async () => {
    const out = await composeGuest('p2-tcp', 'tcp-guest', ['--allow-stdio']);
    expect(existsSync(join(out, 'node_modules'))).toBe(false);
    const r = runNode(join(out, 'p2-tcp.js'), [String(port)]);
    expect(r.stdout).toBe('error create 1\n'); // error-code 1: access-denied
    expect(r.status).toBe(1);
  });

  test('exit-with-code reaches the process status', async () => {
    const out = await composeGuest('p2-exit-code', 'exit-code-guest', []);
    expect(runNode(join(out, 'p2-exit-code.js')).status).toBe(42);
  });
});
