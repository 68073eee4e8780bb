/**
 * The bundles every engine runs (tests/web): composed once per test file by the built CLI
 * into a temp directory, and what each must print. The same expectations hold on Node,
 * Deno, Bun and Chromium: that is the point.
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { cli } from '../cli/cli.js';
import { COMPONENTS, ROOT, component, wat } from '../helpers/guests.js';

const HELLO = join(ROOT, 'examples', 'browser', 'build', 'hello-web.wasm');
const DATA = join(ROOT, 'examples', 'browser', 'data');
const CLOCK_RANDOM = join(COMPONENTS, 'c', 'build', 'case_clock_random.wasm');

export interface Fixtures {
  root: string;
  /** Bundle entries relative to root. */
  entries: Record<BundleName, string>;
  /** Directories (relative to root) holding each bundle, for Deno's --allow-read. */
  dirs: Record<BundleName, string>;
  cleanup(): void;
}

export type BundleName = 'hello' | 'component' | 'denied' | 'ignored' | 'deterministic' | 'trap' | 'inline' | 'inlineComponent' | 'hostfs';

/** argv after the program name, and what the runs print. */
export const HELLO_ARGS = ['Ada', 'x y'];
export const HELLO_OUT = 'Bonjour, Ada!\nargv[2] = x y\nThis line comes from a snapshot inside the bundle.\n';
export const COMPONENT_OUT = 'hi from a component\n';
export const DETERMINISTIC_ARGS = ['realtime', 'monotonic', 'random', 'year'];
/** clocks from 2000-01-01 stepping 1 ms, random from seed 7: the same bytes on every engine. */
export const DETERMINISTIC_OUT = 'realtime=946684800000000000\nmonotonic=1000000\nrandom=2022dc3befa92183e910ec729410372c\nyear=2000\n';

function compose(args: string[]): void {
  const r = cli(args);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
}

export async function composeFixtures(): Promise<Fixtures> {
  const root = mkdtempSync(join(tmpdir(), 'wv-web-'));
  const hello = ['--mount', `/data=${DATA}`, '-e', 'GREETING=Bonjour'];
  compose([HELLO, ...hello, '--allow-stdio', '-o', join(root, 'hello')]);
  compose([HELLO, ...hello, '--allow-stdio', '--stdout=deny', '-o', join(root, 'denied')]);
  compose([HELLO, ...hello, '--allow-stdio', '--stdout=ignore', '-o', join(root, 'ignored')]);
  compose([HELLO, ...hello, '--allow-stdio', '--inline', '-o', join(root, 'inline-out')]);
  // The --inline file alone, away from the directory it was written to.
  mkdirSync(join(root, 'inline'));
  copyFileSync(join(root, 'inline-out', 'hello-web.js'), join(root, 'inline', 'moved.js'));
  rmSync(join(root, 'inline-out'), { recursive: true });
  compose([CLOCK_RANDOM, '--allow-stdio', '--deterministic=7', '-o', join(root, 'deterministic')]);
  writeFileSync(join(root, 'trap.wasm'), await wat('trap'));
  compose([join(root, 'trap.wasm'), '--allow-stdio', '-o', join(root, 'trap')]);
  compose([HELLO, '--preopen', `/data=${DATA}:ro`, '--allow-stdio', '-o', join(root, 'hostfs')]);
  mkdirSync(join(root, 'site'));
  writeFileSync(join(root, 'site', 'a.txt'), COMPONENT_OUT);
  writeFileSync(join(root, 'cat.wasm'), await component(await wat('compose-cat')));
  compose([join(root, 'cat.wasm'), '--mount', `/=${join(root, 'site')}`, '--allow-stdio', '-o', join(root, 'component')]);
  compose([join(root, 'cat.wasm'), '--mount', `/=${join(root, 'site')}`, '--allow-stdio', '--inline', '-o', join(root, 'inline-component')]);
  rmSync(join(root, 'site'), { recursive: true });
  return {
    root,
    entries: {
      hello: 'hello/hello-web.js', denied: 'denied/hello-web.js', ignored: 'ignored/hello-web.js', inline: 'inline/moved.js',
      deterministic: 'deterministic/case_clock_random.js', trap: 'trap/trap.js', hostfs: 'hostfs/hello-web.js', component: 'component/cat.js',
      inlineComponent: 'inline-component/cat.js',
    },
    dirs: {
      hello: 'hello', denied: 'denied', ignored: 'ignored', inline: 'inline',
      deterministic: 'deterministic', trap: 'trap', hostfs: 'hostfs', component: 'component', inlineComponent: 'inline-component',
    },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/**
 * Import a bundle and run it with captured stdio: the same source runs in a child engine
 * (PROBE_SCRIPT) and in a page (page.evaluate), so every engine is asked the same
 * question. A rejection is reported with whether it is the engine's own
 * WebAssembly.RuntimeError. Kept as text: vitest rewrites `import()` in compiled functions.
 */
export const PROBE_SOURCE = `async (url, args, options = {}) => {
  const m = await import(url);
  const stdout = new m.CaptureSink();
  const stderr = new m.CaptureSink();
  const opts = options.sinks === false ? {} : { stdout, stderr };
  if (options.stdin !== undefined) opts.stdin = options.stdin;
  try {
    const { code } = await m.run(args, opts);
    return { code, stdout: stdout.text(), stderr: stderr.text() };
  } catch (e) {
    return { rejected: e?.constructor?.name ?? typeof e, runtimeError: e instanceof WebAssembly.RuntimeError, message: String(e?.message), stdout: stdout.text() };
  }
}`;

export type Probed =
  | { code: number; stdout: string; stderr: string }
  | { rejected: string; runtimeError: boolean; message: string; stdout: string };

/** The probe as a script for node / deno / bun: `probe.mjs <entry path> <args as JSON>` prints the result as JSON. */
export const PROBE_SCRIPT = `import { pathToFileURL } from 'node:url';
const probe = ${PROBE_SOURCE};
const [entry, args] = process.argv.slice(2);
console.log(JSON.stringify(await probe(pathToFileURL(entry).href, JSON.parse(args))));
`;
