import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The engines tests run guests on. Node 26 (JSPI), Deno and Bun come from devDependencies, so
 * `npm test` always has them; Chromium comes from Debian's `chromium` package. The suite itself
 * runs on the Node that runs npm (`process.execPath`), which is the oldest Node we support.
 */
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const node26 = join(root, 'node_modules', 'node', 'bin', 'node');
export const deno = join(root, 'node_modules', 'deno', 'deno');
export const bun = join(root, 'node_modules', 'bun', 'bin', 'bun.exe');

/** Debian's chromium binary, or undefined when this machine has none. */
export const chromium: string | undefined = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
  (path) => existsSync(path),
);

/** In CI a missing browser fails the run; on a developer's machine its tests say how to get one. */
export const chromiumMissing =
  chromium === undefined
    ? 'headless Chromium not found: `apt-get install -y chromium` to run the browser tests'
    : undefined;

/** Outside CI, a machine without Chromium skips the browser tests (they say why in one line). */
export const skipBrowser = chromium === undefined && !process.env.CI;

export function requireChromium(): string {
  if (chromium !== undefined) return chromium;
  if (process.env.CI) throw new Error(`CI: ${chromiumMissing}`);
  throw new Error(chromiumMissing);
}

/** Chromium's flags for this machine: root needs --no-sandbox; the closed network needs the rest. */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
