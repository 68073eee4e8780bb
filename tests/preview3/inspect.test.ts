/**
 * `inspect` on WASI 0.3 components: every import of the suite's programs (0.3 and the
 * 0.2.x ones Rust's std adds) is one wasi-virt serves, under the policy's facets; and the
 * table of 0.3 interfaces is exactly what the preview3 face serves.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kernel } from '../../src/adapter/kernel/index.js';
import { createPreview3 } from '../../src/adapter/preview3/index.js';
import { WASI_P3_VERSION } from '../../src/adapter/preview3/version.js';
import { PREVIEW3_FACETS } from '../../src/inspect/imports.js';
import { inspectApp, type InspectReport } from '../../src/inspect/report.js';
import { MAIN } from '../helpers/build.js';
import { programs, SUITE } from './helpers.js';

function inspect(args: string[]): InspectReport {
  const r = spawnSync(process.execPath, [MAIN, 'inspect', '--json', ...args], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as InspectReport;
}

describe('inspect on WASI 0.3 components', () => {
  it('every 0.3 interface in the table is served by the preview3 face, and only those', () => {
    // http is served when a network implementation is there (its types work even when denied).
    const network3 = { 'wasi:http/types': {}, 'wasi:http/client': {} };
    const served = Object.keys(createPreview3(new Kernel({ policy: {} }), { network3 }))
      .filter((k) => k.endsWith(`@${WASI_P3_VERSION}`))
      .map((k) => k.slice(0, -WASI_P3_VERSION.length - 1));
    // Interfaces of types only: jco never reads them from the import object.
    const typesOnly = ['wasi:cli/types', 'wasi:clocks/types'];
    expect(Object.keys(PREVIEW3_FACETS).sort()).toEqual([...served, ...typesOnly].sort());
  });

  it('the twenty suite programs: a preview3 component, nothing unprovided', async () => {
    // In process (the CLI path is checked below): twenty CLI starts cost ~1 s each.
    for (const name of programs()) {
      const file = join(SUITE, `${name}.wasm`);
      const r = await inspectApp({ file, kind: 'component', bytes: new Uint8Array(readFileSync(file)), policy: {} });
      expect(r.abi, name).toBe('preview3');
      expect(r.imports.filter((i) => i.effect === 'unprovided'), name).toEqual([]);
    }
  });

  it('0.3 imports follow the policy like their 0.2 counterparts', () => {
    const denied = inspect([join(SUITE, 'sockets-tcp-bind.wasm')]);
    const allowed = inspect([join(SUITE, 'sockets-tcp-bind.wasm'), '--allow-sockets']);
    const effect = (r: InspectReport) => r.imports.find((i) => i.name === `wasi:sockets/types@${WASI_P3_VERSION}`)?.effect;
    expect(effect(denied)).toBe('denied');
    expect(effect(allowed)).toBe('passthrough');
    const fs = inspect([join(SUITE, 'filesystem-io.wasm'), '--mount', `data=${join(SUITE, 'fs-tests.dir')}`]);
    expect(fs.imports.find((i) => i.name === `wasi:filesystem/types@${WASI_P3_VERSION}`)?.facets).toEqual(['fs']);
  });
});
