/**
 * The same bundles as tests/web/runtimes.test.ts, in headless Chromium (Debian's, driven by
 * playwright-core; one browser per file), served as static files from localhost; and the
 * library's `./browser` file (dist/browser.js) imported by URL with no bundler and no
 * import map. Without chromium the file fails in CI; on a developer's machine it is skipped
 * with one line saying how to get it.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium as playwright, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cli } from '../cli/cli.js';
import { chromiumArgs, chromiumMissing, requireChromium, skipBrowser } from '../helpers/engines.js';
import { COMPONENTS, ROOT } from '../helpers/guests.js';
import {
  COMPONENT_OUT, DETERMINISTIC_ARGS, DETERMINISTIC_OUT, HELLO_ARGS, HELLO_OUT, PROBE_SOURCE,
  composeFixtures, type BundleName, type Fixtures, type Probed,
} from './fixtures.js';
import { serveStatic, type StaticServer } from './server.js';

let fx: Fixtures;
let server: StaticServer;
let browser: Browser;
let page: Page;
const console: { type: string; text: string }[] = [];

if (skipBrowser) globalThis.console.warn(`tests/web/chromium.test.ts skipped: ${chromiumMissing}`);

beforeAll(async () => {
  if (skipBrowser) return;
  const executablePath = requireChromium();
  fx = await composeFixtures();
  server = await serveStatic({
    b: fx.root,
    lib: join(ROOT, 'dist'),
    guests: join(COMPONENTS, 'c', 'build'),
    examples: join(ROOT, 'examples'),
  });
  browser = await playwright.launch({ executablePath, args: chromiumArgs });
  page = await browser.newPage();
  page.on('console', (m) => console.push({ type: m.type(), text: m.text() }));
  await page.goto(server.base);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  fx?.cleanup();
});

function imported(b: BundleName, args: string[], options: { sinks?: boolean } = {}): Promise<Probed> {
  const url = `${server.base}b/${fx.entries[b]}`;
  return page.evaluate(`(${PROBE_SOURCE})(${JSON.stringify(url)}, ${JSON.stringify(args)}, ${JSON.stringify(options)})`);
}

describe.skipIf(skipBrowser)('bundles in Chromium', () => {
  test('a preview1 bundle with a snapshot, args and env; its files fetched beside the entry', async () => {
    expect(await imported('hello', HELLO_ARGS)).toEqual({ code: 0, stdout: HELLO_OUT, stderr: '' });
  });

  test('without sinks, output goes to console.log line by line', async () => {
    console.length = 0;
    expect(await imported('hello', HELLO_ARGS, { sinks: false })).toMatchObject({ code: 0 });
    expect(console.filter((m) => m.type === 'log').map((m) => m.text)).toEqual(HELLO_OUT.trimEnd().split('\n'));
  });

  test('a component bundle', async () => {
    expect(await imported('component', ['a.txt'])).toEqual({ code: 0, stdout: COMPONENT_OUT, stderr: '' });
  });

  test('stdout denied and ignored', async () => {
    expect(await imported('denied', ['Ada'])).toEqual({ code: 3, stdout: '', stderr: 'cannot write stdout: Capabilities insufficient\n' });
    expect(await imported('ignored', ['Ada'])).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  test('a deterministic policy prints the same bytes as under node, deno and bun', async () => {
    expect(await imported('deterministic', DETERMINISTIC_ARGS)).toEqual({ code: 0, stdout: DETERMINISTIC_OUT, stderr: '' });
  });

  test('a trap rejects with Chromium\'s WebAssembly.RuntimeError, after the guest\'s output', async () => {
    expect(await imported('trap', [])).toMatchObject({ rejected: 'RuntimeError', runtimeError: true, stdout: 'before the trap\n' });
  });

  test('the --inline files (a module and a component), the first moved away from where it was written', async () => {
    expect(await imported('inline', HELLO_ARGS)).toEqual({ code: 0, stdout: HELLO_OUT, stderr: '' });
    expect(await imported('inlineComponent', ['a.txt'])).toEqual({ code: 0, stdout: COMPONENT_OUT, stderr: '' });
  });

  test('a host directory is refused in one line: a page has no host file system', async () => {
    const r = await imported('hostfs', ['Ada']);
    expect(r).toMatchObject({ runtimeError: false });
    expect((r as { message: string }).message).toBe(`"/data" (runtime-dir ${join(ROOT, 'examples', 'browser', 'data')}) needs a host file system, which the web platform does not have`);
  });
});

/** Run `source` (an async function of one argument, as text: vitest rewrites import() in compiled code) in the page. */
function inPage<T>(source: string, arg: unknown): Promise<T> {
  return page.evaluate(`(${source})(${JSON.stringify(arg)})`);
}

describe.skipIf(skipBrowser)('the library by URL (dist/browser.js)', () => {
  test('parses a TOML policy and runs a module under it: clocks allowed, random denied', async () => {
    const r = await inPage<{ code: number; stdout: string }>(`async (base) => {
      const wv = await import(base + 'lib/browser.js');
      const policy = wv.parsePolicyText([
        'clocks = "allow"', 'random = "deny"',
        '[stdio]', 'stdin = "deny"', 'stdout = "allow"', 'stderr = "allow"',
      ].join('\\n'), 'toml', 'policy.toml');
      const bytes = new Uint8Array(await (await fetch(base + 'guests/case_clock_random.wasm')).arrayBuffer());
      const stdout = new wv.CaptureSink();
      const { code } = await wv.runModule(bytes, { policy, stdout, args: ['clock-random', 'year', 'random'] });
      return { code, stdout: stdout.text() };
    }`, server.base);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`^year=${new Date().getUTCFullYear()}\nrandom=ERR .* \\(errno 76\\)\n$`));
  });

  test('an in-memory tree from a JSON policy, and a prebuilt snapshot', async () => {
    const r = await inPage(`async ([base, bundle]) => {
      const wv = await import(base + 'lib/browser.js');
      const bytes = new Uint8Array(await (await fetch(base + 'examples/browser/build/hello-web.wasm')).arrayBuffer());
      const run = async (fs, snapshots) => {
        const policy = wv.parsePolicyText(JSON.stringify({ stdio: { stdin: 'deny', stdout: 'allow', stderr: 'allow' }, fs }), 'json', 'policy.json');
        const stdout = new wv.CaptureSink();
        const { code } = await wv.runModule(bytes, { policy, stdout, args: ['hello-web', 'page'], snapshots });
        return code + ':' + stdout.text();
      };
      const memory = await run({ 'host-preopens': false, preopens: { '/data': { dir: { 'message.txt': { source: 'from memory\\n' } } } } });
      const { snapshots } = await import(base + 'b/' + bundle);
      const snapshot = await run({ 'host-preopens': false, preopens: { '/data': { virtualize: 'data' } } }, { '/data': snapshots['/data'] });
      return { memory, snapshot };
    }`, [server.base, fx.entries.hello]);
    expect(r).toEqual({ memory: '0:hello, page!\nfrom memory\n', snapshot: '0:hello, page!\nThis line comes from a snapshot inside the bundle.\n' });
  });

  test('createPreview2 drives a jco-transpiled component', async () => {
    const r = await inPage(`async (base) => {
      const wv = await import(base + 'lib/browser.js');
      const dir = base + 'b/component/cat.component/';
      const { instantiate } = await import(dir + 'component.mjs');
      const bundle = await import(base + 'b/component/cat.js');
      const core = new Map();
      for (const name of bundle.default.manifest.app.core) {
        core.set(name, await WebAssembly.compile(await (await fetch(dir + name)).arrayBuffer()));
      }
      const stdout = new wv.CaptureSink();
      const kernel = new wv.Kernel({
        policy: {
          stdio: { stdin: 'deny', stdout: 'allow', stderr: 'allow' }, args: ['cat', 'a.txt'],
          fs: { 'host-preopens': false, preopens: { '/': { dir: { 'a.txt': { source: 'through createPreview2\\n' } } } } },
        },
        stdout,
      });
      const exports = instantiate((name) => core.get(name), wv.createPreview2(kernel));
      const code = wv.runToCompletion(exports);
      kernel.dispose();
      return { code, stdout: stdout.text() };
    }`, server.base);
    expect(r).toEqual({ code: 0, stdout: 'through createPreview2\n' });
  });
});

describe.skipIf(skipBrowser)('examples/browser', () => {
  test('the page, composed as its README says, runs the C program over its snapshot and shows the output', async () => {
    const dir = join(fx.root, 'example');
    mkdirSync(dir);
    copyFileSync(join(ROOT, 'examples', 'browser', 'index.html'), join(dir, 'index.html'));
    const r = cli([join(ROOT, 'examples', 'browser', 'build', 'hello-web.wasm'), '--mount', `/data=${join(ROOT, 'examples', 'browser', 'data')}`,
      '-e', 'GREETING=Hello', '--allow-stdio', '--inline', '-o', join(dir, 'out')]);
    expect(r.status).toBe(0);
    const example = await browser.newPage();
    try {
      await example.goto(`${server.base}b/example/index.html`);
      await example.waitForFunction(() => document.getElementById('out')?.textContent?.includes('[exit'));
      expect(await example.textContent('#out')).toBe('Hello, web!\nThis line comes from a snapshot inside the bundle.\n\n[exit 0]');
    } finally {
      await example.close();
    }
  });
});

