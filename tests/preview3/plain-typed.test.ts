/**
 * WASI 0.3 components of wasmtime 47's WIT shape, where wasi:filesystem's descriptor
 * methods and monotonic-clock's waits are plain functions rather than `async` ones (what
 * componentize-qjs 0.4.5 builds). jco would lower them synchronously and hand the guest
 * the face's promise as the result (`Cannot read properties of undefined (reading 'tag')`);
 * transpile.ts names them as JSPI async imports, so the guest is suspended until the
 * promise settles. The guests are case twins (tests/components/js), run through
 * `wasi-virt run` on Node 26.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { MAIN } from '../helpers/build.js';
import { node26 } from '../helpers/engines.js';
import { jsGuestFile } from '../helpers/guests.js';

const dir = mkdtempSync(join(tmpdir(), 'wv-p3-plain-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('plain-typed open-at, stat-at, create-directory-at and read-directory reach the face and return its answers', async () => {
  const app = await jsGuestFile('case-fs-ops');
  const r = spawnSync(node26, [MAIN, 'run', '--dir', `${dir}::/data`, '--deterministic', app, '--',
    'write', '/data/a.txt', 'hi', 'mkdir', '/data/d', 'stat', '/data/a.txt', 'ls', '/data', 'cat', '/data/nope'], {
    encoding: 'utf8', timeout: 60_000, env: { PATH: process.env.PATH ?? '' },
  });
  expect(r.stderr).toBe('');
  expect(r.stdout).toBe([
    'write /data/a.txt: ok',
    'mkdir /data/d: ok',
    'stat /data/a.txt: file size=2',
    'ls /data: a.txt d',
    'cat /data/nope: ERR No such file or directory (errno 44)',
    '',
  ].join('\n'));
  expect(r.status).toBe(1);
  expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('hi');
});

it('a plain-typed wait-for suspends the guest until the timer of the face fires', async () => {
  const app = await jsGuestFile('case-clock-random');
  const r = spawnSync(node26, [MAIN, 'run', app, '--', 'sleep'], { encoding: 'utf8', timeout: 60_000, env: { PATH: process.env.PATH ?? '' } });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const slept = Number(/^slept=(\d+)\n$/.exec(r.stdout)?.[1]);
  expect(slept).toBeGreaterThanOrEqual(10_000_000);
});
