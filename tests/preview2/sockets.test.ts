/**
 * Native components: a TCP client guest over wasi:sockets (allowed: a real loopback
 * connection through preview2-shim's Node sockets, bridged so every stream and pollable
 * is ours; denied: access-denied), and wasi:cli/exit#exit-with-code.
 */
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGuest } from './helpers.js';
import { nativeComponent } from './native.js';

// The guest blocks the main thread while it waits for the peer, so the server lives in
// a worker thread with its own event loop.
const SERVER = `
const { parentPort } = require('node:worker_threads');
const net = require('node:net');
const server = net.createServer((sock) => {
  let got = '';
  sock.on('data', (d) => {
    got += d;
    if (got.includes('\\n')) sock.end('pong: ' + got);
  });
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
parentPort.on('message', () => server.close(() => process.exit(0)));
`;

let server: Worker;
let port: number;
beforeAll(async () => {
  server = new Worker(SERVER, { eval: true });
  port = await new Promise<number>((resolve) => server.once('message', resolve));
});
afterAll(async () => {
  server.postMessage('stop');
  await new Promise((resolve) => server.once('exit', resolve));
});

describe('wasi:sockets', () => {
  it('connects to a loopback server when sockets are allowed', async () => {
    const guest = await nativeComponent('p2-tcp', 'tcp-guest');
    const r = await runGuest(guest, { args: ['p2-tcp', String(port)], sockets: 'allow' });
    expect(r).toMatchObject({ code: 0, stdout: 'pong: ping\n' });
  });

  it('traces the passthrough calls with our own stream and pollable resources', async () => {
    const guest = await nativeComponent('p2-tcp', 'tcp-guest');
    const r = await runGuest(guest, { args: ['p2-tcp', String(port)], debug: true });
    expect(r.code).toBe(0);
    expect(r.trace).toContain('wasi:sockets/tcp-create-socket#create-tcp-socket("ipv4") -> tcp-socket');
    expect(r.trace.some((l) => /^wasi:sockets\/tcp#tcp-socket\.finish-connect\(tcp-socket\) -> \[input-stream\(network\), output-stream\(network\)\]$/.test(l))).toBe(true);
    expect(r.trace.some((l) => l.startsWith('wasi:io/streams#input-stream.blocking-read(input-stream(network), 4096) -> <11 bytes "pong: ping\\n">'))).toBe(true);
  });

  it('refuses to create a socket when sockets are denied', async () => {
    const guest = await nativeComponent('p2-tcp', 'tcp-guest');
    const r = await runGuest(guest, { args: ['p2-tcp', String(port)], sockets: 'deny' });
    // error-code 1 is access-denied
    expect(r).toMatchObject({ code: 1, stdout: 'error create 1\n' });
  });
});

describe('wasi:cli/exit#exit-with-code', () => {
  it('reaches the host with its code (the adapter path can only say 0 or 1)', async () => {
    const guest = await nativeComponent('p2-exit-code', 'exit-code-guest');
    expect((await runGuest(guest, {})).code).toBe(42);
  });
});
