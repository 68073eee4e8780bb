/**
 * Composing a WASI 0.3 component: bundles do not run 0.3 yet (their runtime instantiates
 * synchronously and calls the 0.2 `run`), so compose refuses with one line rather than
 * writing a bundle that would call the component's 0.2 stub.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAIN } from '../helpers/build.js';
import { SUITE } from './helpers.js';

describe('compose of a WASI 0.3 component', () => {
  it('refuses with one line and exit 2, writing nothing', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'wv-p3-compose-')), 'out');
    const r = spawnSync(process.execPath, [MAIN, join(SUITE, 'random.wasm'), '--allow-random', '-o', out], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^wasi-virt: error: .*random\.wasm is a WASI 0\.3 component, which bundles do not run yet; run it with `wasi-virt run` on Node >= 25 \(docs\/preview3\.md\)\n$/);
    expect(existsSync(out)).toBe(false);
  });
});
