/**
 * wasi:http passthrough, driven the way a guest's bindings would call it: a real request
 * to a loopback server through preview2-shim's Node client, every resource handed back
 * being one of this import object's (streams and pollables our wasi:io classes).
 */
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaptureSink, Kernel } from '../../src/adapter/kernel/index.js';
import { classesOf, createPreview2, type InputStream, type Pollable } from '../../src/adapter/preview2/index.js';
import { loadNetwork } from '../../src/adapter/preview2/network-node.js';

const SERVER = `
const { parentPort } = require('node:worker_threads');
const http = require('node:http');
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (d) => { body += d; });
  req.on('end', () => {
    res.setHeader('x-echo', req.headers['x-test'] ?? '');
    res.end(req.method + ' ' + req.url + ' ' + body);
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

type Ctor = new (...a: unknown[]) => Record<string, (...a: unknown[]) => unknown>;
type Obj = Record<string, (...a: unknown[]) => unknown>;

async function setup(http: 'allow' | 'deny', trace?: (line: string) => void) {
  const host = new Kernel({ policy: { http }, stdout: new CaptureSink(), env: {}, trace });
  const imports = createPreview2(host, { network: await loadNetwork({ sockets: false, http: true }) });
  return { imports, types: imports['wasi:http/types']!, handle: imports['wasi:http/outgoing-handler']!['handle'] as (...a: unknown[]) => unknown, host };
}

function request(types: Record<string, unknown>, body: string) {
  const enc = new TextEncoder();
  const Fields = types['Fields'] as Ctor & { fromList(l: [string, Uint8Array][]): Obj };
  const OutgoingRequest = types['OutgoingRequest'] as Ctor;
  const OutgoingBody = types['OutgoingBody'] as Ctor & { finish(b: unknown, t: unknown): void };
  const headers = Fields.fromList([['x-test', enc.encode('hello')], ['content-length', enc.encode(String(body.length))]]);
  const req = new OutgoingRequest(headers);
  req['setMethod']!({ tag: 'post' });
  req['setScheme']!({ tag: 'HTTP' });
  req['setAuthority']!(`127.0.0.1:${port}`);
  req['setPathWithQuery']!('/echo?q=1');
  const outBody = req['body']!() as Obj;
  const stream = outBody['write']!() as { blockingWriteAndFlush(b: Uint8Array): void; [Symbol.dispose](): void };
  stream.blockingWriteAndFlush(enc.encode(body));
  stream[Symbol.dispose]();
  OutgoingBody.finish(outBody, undefined);
  return req;
}

describe('wasi:http passthrough', () => {
  it('sends a request and reads the response through our wasi:io resources', async () => {
    const { imports, types, handle } = await setup('allow');
    const cls = classesOf(imports);
    const future = handle(request(types, 'payload'), undefined) as Obj;
    expect(future).toBeInstanceOf(types['FutureIncomingResponse'] as Ctor);
    const ready = future['subscribe']!() as Pollable;
    expect(ready).toBeInstanceOf(cls.Pollable);
    ready.block();
    const got = future['get']!() as { tag: string; val: { tag: string; val: Obj } };
    expect(got.tag).toBe('ok');
    expect(got.val.tag).toBe('ok');
    const response = got.val.val;
    expect(response).toBeInstanceOf(types['IncomingResponse'] as Ctor);
    expect(response['status']!()).toBe(200);
    const headers = response['headers']!() as Obj;
    expect(new TextDecoder().decode((headers['get']!('x-echo') as Uint8Array[])[0])).toBe('hello');
    const body = response['consume']!() as Obj;
    const stream = body['stream']!() as InputStream;
    expect(stream).toBeInstanceOf(cls.InputStream);
    let text = '';
    for (;;) {
      try {
        text += new TextDecoder().decode(stream.blockingRead(4096n));
      } catch (e) {
        expect(e).toEqual({ tag: 'closed' });
        break;
      }
    }
    expect(text).toBe('POST /echo?q=1 payload');
  });

  it('builds requests but refuses to send them when http is denied', async () => {
    const lines: string[] = [];
    const { types, handle } = await setup('deny', (l) => lines.push(l));
    const req = request(types, 'x');
    let thrown: unknown;
    try {
      handle(req, undefined);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toEqual({ tag: 'HTTP-request-denied' });
    expect(lines.at(-1)).toMatch(/^wasi:http\/outgoing-handler#handle\(outgoing-request, none\) -> error HTTP-request-denied \(denied by policy: http = "deny"\)$/);
  });
});
