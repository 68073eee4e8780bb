/**
 * Bundles of WASI 0.3 components on every engine with JSPI: the suite's prebuilt
 * wasm32-wasip3 programs (tests/components/wasi-testsuite-p3; we have no 0.3 toolchain of
 * our own) composed once into directory and --inline bundles, run as commands and imported
 * under Node 26, Deno and Bun (all three have WebAssembly.Suspending), and imported in
 * headless Chromium. Each program checks what it sees itself (cli-env: exactly the policy's
 * args and env; filesystem-advise: a snapshot it can open, stat and advise on), so a
 * wrong answer is a non-zero exit with the guest's panic on stderr. On Node 20, which has
 * no JSPI, the same bundle is one line and exit 2, and `run()` rejects.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium as playwright, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cli } from '../cli/cli.js';
import { bun, chromiumArgs, chromiumMissing, deno, node26, requireChromium, skipBrowser } from '../helpers/engines.js';
import { SUITE } from '../preview3/helpers.js';
import { PROBE_SCRIPT, PROBE_SOURCE, type Probed } from './fixtures.js';
import { serveStatic, type StaticServer } from './server.js';

const FIXTURE = join(SUITE, 'fs-tests.dir');
const ENV_ARGS = ['a', 'b', '42'];
const USAGE = "usage: run with one open dir named 'fs-tests.dir'\n";

/** Bundle name → [program, compose flags]; each is written to root/<name>/<program>.js. */
const BUNDLES = {
  env: ['cli-env', ['-e', 'foo=bar', '-e', 'baz=42', '--allow-stdio']],
  envInline: ['cli-env', ['-e', 'foo=bar', '-e', 'baz=42', '--allow-stdio', '--inline']],
  extraEnv: ['cli-env', ['-e', 'foo=bar', '-e', 'baz=42', '-e', 'more=1', '--allow-stdio']],
  stdio: ['cli-stdio', ['--allow-stdio']],
  advise: ['filesystem-advise', ['--mount', `fs-tests.dir=${FIXTURE}`, '--allow-stdio']],
  adviseInline: ['filesystem-advise', ['--mount', `fs-tests.dir=${FIXTURE}`, '--allow-stdio', '--inline']],
  mkdir: ['filesystem-mkdir-rmdir', ['--mount', `fs-tests.dir=${FIXTURE}`, '--allow-stdio']],
  noDir: ['filesystem-read-directory', ['--allow-stdio']],
  clock: ['monotonic-clock', ['--deterministic', '--allow-stdio']],
  sockets: ['sockets-tcp-bind', ['--allow-sockets', '--allow-stdio']],
  http: ['http-fields', ['--allow-stdio']],
  memory: ['cli-env', ['-e', 'foo=bar', '-e', 'baz=42', '--allow-stdio', '--max-memory=1M']],
  echo: ['sockets-echo', ['--allow-sockets', '--allow-stdio', '--timeout=1500ms']],
  debug: ['monotonic-clock', ['--deterministic', '--allow-stdio', '--debug']],
} as const satisfies Record<string, readonly [string, readonly string[]]>;
type Name = keyof typeof BUNDLES;

let root: string;
const entry = (b: Name): string => join(root, b, `${BUNDLES[b][0]}.js`);

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'wv-web-p3-'));
  for (const [name, [program, flags]] of Object.entries(BUNDLES)) {
    const r = cli([join(SUITE, `${program}.wasm`), ...flags, '-o', join(root, name)]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  }
  writeFileSync(join(root, 'probe.mjs'), PROBE_SCRIPT);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function spawn(argv: string[], input = '') {
  const r = spawnSync(argv[0]!, argv.slice(1), { cwd: root, input, encoding: 'utf8', timeout: 60_000, env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

interface Engine {
  name: string;
  argv(script: string, args: string[], dir: string): string[];
}

const ENGINES: Engine[] = [
  { name: 'node 26', argv: (script, args) => [node26, script, ...args] },
  { name: 'deno', argv: (script, args, dir) => [deno, 'run', `--allow-read=${dir}`, script, ...args] },
  { name: 'bun', argv: (script, args) => [bun, script, ...args] },
];

describe('the bundle as composed', () => {
  test('async-transpiled, with the 0.3 runtime, and the manifest saying so', () => {
    const text = readFileSync(entry('env'), 'utf8');
    expect(text).toContain('"abi": "preview3"');
    // jco's async instantiation: the generated module binds imports with JSPI.
    expect(readFileSync(join(root, 'env', 'cli-env.component', 'component.mjs'), 'utf8')).toContain('WebAssembly.Suspending');
    const meta = JSON.parse(readFileSync(join(root, 'env', 'package.json'), 'utf8')) as { 'wasi-virt': { files: string[] } };
    expect(meta['wasi-virt'].files).toContain('wasi-virt/runtime.js');
    // No shim unless the network is used: sockets allowed brings preview3-shim's Node code.
    expect(meta['wasi-virt'].files.some((f) => f.startsWith('node_modules/'))).toBe(false);
    const sockets = JSON.parse(readFileSync(join(root, 'sockets', 'package.json'), 'utf8')) as { 'wasi-virt': { files: string[] } };
    expect(sockets['wasi-virt'].files).toContain('node_modules/@bytecodealliance/preview3-shim/dist/nodejs/sockets.js');
    expect(sockets['wasi-virt'].files).not.toContain('node_modules/@bytecodealliance/preview2-shim/package.json');
  });
});

describe.each(ENGINES)('$name', (engine) => {
  const command = (b: Name, args: string[] = [], input = '') => spawn(engine.argv(entry(b), args, join(root, b)), input);
  const imported = (b: Name, args: string[] = []): Probed => {
    const r = spawn(engine.argv(join(root, 'probe.mjs'), [entry(b), JSON.stringify(args)], join(root, b)));
    expect(r.stderr).toBe('');
    return JSON.parse(r.stdout) as Probed;
  };

  test('args and env exactly as the policy says (one variable more fails the guest\'s own check)', () => {
    expect(command('env', ENV_ARGS)).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(imported('env', ENV_ARGS)).toEqual({ code: 0, stdout: '', stderr: '' });
    const extra = command('extraEnv', ENV_ARGS);
    expect(extra.status).toBe(134);
    expect(extra.stderr).toMatch(/panicked at[\s\S]*\nwasi-virt: trap: .+\n$/);
  });

  test('stdio: the async writes to stdout and stderr, a read of stdin', () => {
    expect(command('stdio', [], 'some input')).toEqual({ status: 0, stdout: '\0', stderr: '\0' });
    expect(imported('stdio')).toEqual({ code: 0, stdout: '\0', stderr: '\0' });
  });

  test('a snapshot mount: reads pass, a write answers read-only', () => {
    expect(command('advise')).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(imported('advise')).toEqual({ code: 0, stdout: '', stderr: '' });
    const write = command('mkdir');
    expect(write.status).toBe(134);
    expect(write.stderr).toContain('ErrorCode::ReadOnly');
  });

  test('no preopen: the guest says so and exits 1; deterministic clocks advance through waits', () => {
    expect(command('noDir')).toEqual({ status: 1, stdout: '', stderr: USAGE });
    expect(imported('noDir')).toEqual({ code: 1, stdout: '', stderr: USAGE });
    expect(command('clock')).toEqual({ status: 0, stdout: '', stderr: '' });
  });

  test('the --inline files run with no other file (Deno: with no permission at all)', () => {
    const argv = (b: Name, args: string[]) => engine.name === 'deno' ? [deno, 'run', entry(b), ...args] : engine.argv(entry(b), args, '');
    expect(spawn(argv('envInline', ENV_ARGS))).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(spawn(argv('adviseInline', []))).toEqual({ status: 0, stdout: '', stderr: '' });
  });
});

describe('the network on Node 26: preview3-shim copied beside the bundle', () => {
  test('sockets allowed: the program binds TCP sockets on loopback', () => {
    expect(spawn([node26, entry('sockets')])).toEqual({ status: 0, stdout: '', stderr: '' });
  });

  test('http denied: its types still work (preview3-shim\'s), requests are refused', () => {
    expect(spawn([node26, entry('http')])).toEqual({ status: 0, stdout: '', stderr: '' });
  });
});

describe('limits and --debug in a bundle (Node 26)', () => {
  test('memory-bytes: the guest traps at instantiation, one line, 134', () => {
    const r = spawn([node26, entry('memory'), ...ENV_ARGS]);
    expect(r.status).toBe(134);
    expect(r.stderr).toMatch(/^wasi-virt: trap: limits\.memory-bytes: the guest's linear memory is \d+ bytes, over the limit of 1048576\n$/);
  });

  test('timeout-ms: a server waiting for a connection is stopped at the limit (the run moves to a worker thread)', () => {
    const r = spawn([node26, entry('echo')]);
    expect(r.status).toBe(134);
    expect(r.stdout).toMatch(/^127\.0\.0\.1:\d+\n$/);
    expect(r.stderr).toBe('wasi-virt: trap: limits.timeout-ms: the guest ran longer than 1500 ms and was stopped\n');
  });

  test('--debug baked in: the 0.3 clock calls are traced', () => {
    const r = spawn([node26, entry('debug')]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('[wasi-virt] wasi:clocks/monotonic-clock@0.3#wait-for(1000000) -> ok\n');
  });
});

describe('an engine without JSPI (Node 20, the one running these tests)', () => {
  const hasJspi = typeof (WebAssembly as unknown as Record<string, unknown>)['Suspending'] === 'function';
  const line = /^wasi-virt: error: cannot run cli-env: this component uses WASI 0\.3 \(async\), which needs JSPI \(WebAssembly\.Suspending\); this is Node [\d.]+: run it on Node >= 25, Deno, Bun or Chromium\n$/;

  // `npm test` runs on Node 20; under a Node with JSPI there is no such engine to run on here.
  test.skipIf(hasJspi)('as a command: one line saying what is needed, exit 2, no output', () => {
    const r = spawn([process.execPath, entry('env'), ...ENV_ARGS]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(line);
    const inline = spawn([process.execPath, entry('envInline'), ...ENV_ARGS]);
    expect(inline.status).toBe(2);
    expect(inline.stderr).toMatch(line);
  });

  test.skipIf(hasJspi)('imported: run() rejects with that line as its message', () => {
    const r = spawn([process.execPath, join(root, 'probe.mjs'), entry('env'), JSON.stringify(ENV_ARGS)]);
    expect(r.stderr).toBe('');
    const probed = JSON.parse(r.stdout) as Probed;
    expect(probed).toMatchObject({ rejected: 'JspiMissingError', runtimeError: false, stdout: '' });
    expect(`wasi-virt: error: cannot run cli-env: ${(probed as { message: string }).message}\n`).toMatch(line);
  });
});

let server: StaticServer;
let browser: Browser;
let page: Page;

if (skipBrowser) globalThis.console.warn(`tests/web/preview3.test.ts (Chromium part) skipped: ${chromiumMissing}`);

describe.skipIf(skipBrowser)('Chromium', () => {
  beforeAll(async () => {
    server = await serveStatic({ b: root });
    browser = await playwright.launch({ executablePath: requireChromium(), args: chromiumArgs });
    page = await browser.newPage();
    await page.goto(server.base);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const url = (b: Name): string => `${server.base}b/${b}/${BUNDLES[b][0]}.js`;
  const imported = (b: Name, args: string[] = [], on: Page = page): Promise<Probed> =>
    on.evaluate(`(${PROBE_SOURCE})(${JSON.stringify(url(b))}, ${JSON.stringify(args)})`);

  test('args and env, stdio, a snapshot mount, deterministic clocks: as on the other engines', async () => {
    expect(await imported('env', ENV_ARGS)).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await imported('stdio')).toEqual({ code: 0, stdout: '\0', stderr: '\0' });
    expect(await imported('advise')).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await imported('noDir')).toEqual({ code: 1, stdout: '', stderr: USAGE });
    expect(await imported('clock')).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await imported('adviseInline')).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  test('a write to the snapshot: the guest panics on read-only, run() rejects with the trap', async () => {
    const r = await imported('mkdir');
    expect(r).toMatchObject({ rejected: 'RuntimeError', runtimeError: true });
  });

  test('sockets allowed, or wasi:http imported: refused in one line, a page has no network of ours', async () => {
    expect(await imported('sockets')).toMatchObject({
      rejected: 'RuntimeCapabilityError', message: 'the policy allows sockets, which a browser or worker cannot open; compose without --allow-sockets',
    });
    expect(await imported('http')).toMatchObject({
      rejected: 'RuntimeCapabilityError', message: 'it imports wasi:http, which a bundle serves only on Node, Deno and Bun (preview3-shim\'s), not in a browser or worker',
    });
  });

  test('a page without JSPI: run() rejects with one line saying what is needed', async () => {
    const other = await browser.newPage();
    try {
      await other.addInitScript(() => { delete (WebAssembly as unknown as Record<string, unknown>)['Suspending']; });
      await other.goto(server.base);
      expect(await imported('env', ENV_ARGS, other)).toMatchObject({
        rejected: 'JspiMissingError',
        message: 'this component uses WASI 0.3 (async), which needs JSPI (WebAssembly.Suspending); this is a browser or worker without it: run it on Node >= 25, Deno, Bun or Chromium',
      });
    } finally {
      await other.close();
    }
  });
});
