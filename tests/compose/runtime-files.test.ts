/**
 * What a bundle carries of wasi-virt: the runtime's import closure in dist/ (its types go
 * into out/wasi-virt/, its code as the one module dist/runtime/<kind>.js), and not the CLI,
 * the snapshot builder, yargs or jco.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { ROOT } from '../helpers/guests.js';
import { runtimeFiles } from '../../src/compose/runtime-files.js';
import { ensureBuilt } from './helpers.js';

const DIST = join(ROOT, 'dist');

beforeAll(() => ensureBuilt());

describe('runtime closure', () => {
  test('a core module\'s bundle carries no preview2 face, a component\'s no preview1 face', () => {
    const core = runtimeFiles(['preview1'], DIST);
    expect(core.files).toContain('adapter/preview1/fd.js');
    expect(core.files.filter((f) => f.startsWith('adapter/preview2/') && f.endsWith('.js'))).toEqual([]);
    expect(core.lazyPackages).toEqual([]);
    const component = runtimeFiles(['preview2'], DIST);
    expect(component.files).toContain('adapter/preview2/filesystem.js');
    expect(component.files.filter((f) => f.startsWith('adapter/preview1/') && f.endsWith('.js'))).toEqual([]);
  });

  test('a WASI 0.3 component\'s bundle carries the 0.3 face over the 0.2 one, without jco or the CLI\'s 0.3 loader', () => {
    const { files, lazyPackages } = runtimeFiles(['preview3'], DIST);
    for (const f of ['adapter/bundle/preview3-face.js', 'adapter/preview3/index.js', 'adapter/preview3/run.js', 'adapter/preview2/index.js']) {
      expect(files).toContain(f);
    }
    for (const f of ['adapter/preview3/instantiate.js', 'adapter/preview2/transpile.js', 'inspect/component-binary.js']) expect(files).not.toContain(f);
    expect(files.filter((f) => f.startsWith('adapter/preview1/') && f.endsWith('.js'))).toEqual([]);
    expect(lazyPackages.sort()).toEqual(['@bytecodealliance/preview2-shim', '@bytecodealliance/preview3-shim']);
  });

  test('holds the runtime, both faces, the kernel and the host backend', () => {
    const { files } = runtimeFiles(['preview1', 'preview2'], DIST);
    for (const f of [
      'adapter/bundle/runtime.js', 'adapter/bundle/runtime.d.ts', 'adapter/kernel/index.js', 'adapter/preview1/index.js',
      'adapter/preview1/run.js', 'adapter/preview2/index.js', 'adapter/node/stdio.js', 'virtual-fs/snapshot.js',
      'virtual-fs/host/index.js', 'virtual-fs/resolver.js', 'policy/types.d.ts',
    ]) expect(files).toContain(f);
  });

  test('leaves out the CLI, the snapshot builder, the transpiler and the Node run platform', () => {
    const { files, lazyPackages } = runtimeFiles(['preview1', 'preview2'], DIST);
    expect(files.filter((f) => f.startsWith('cli/'))).toEqual([]);
    for (const f of ['virtual-fs/snapshot-builder.js', 'adapter/preview2/transpile.js', 'adapter/preview2/instantiate.js',
      'adapter/node/platform.js', 'compose/bundle.js', 'inspect/report.js', 'node.js', 'index.js']) {
      expect(files).not.toContain(f);
    }
    expect(lazyPackages).toEqual(['@bytecodealliance/preview2-shim']);
    for (const f of files.filter((x) => x.endsWith('.js'))) {
      const text = readFileSync(join(DIST, f), 'utf8');
      expect(text, f).not.toMatch(/from ['"](yargs|fast-glob|wabt|@bytecodealliance\/jco[^'"]*)['"]/);
      expect(text, f).not.toMatch(/import\(['"](yargs|fast-glob|wabt|@bytecodealliance\/jco[^'"]*)['"]\)/);
    }
  });

  test('the runtime module a bundle ships holds exactly that closure (esbuild\'s list of its sources)', () => {
    for (const [kind, faces] of [
      ['module', ['preview1']], ['component', ['preview2']], ['component3', ['preview3']], ['adapter', ['preview1', 'preview2']],
    ] as const) {
      const sources = (JSON.parse(readFileSync(join(DIST, 'runtime', `${kind}.meta.json`), 'utf8')) as string[])
        .filter((f) => f.startsWith('dist/') && f !== `dist/runtime-${kind}.js`).map((f) => f.slice('dist/'.length));
      const closure = runtimeFiles([...faces], DIST).files.filter((f) => f.endsWith('.js'));
      expect(sources.sort(), kind).toEqual(closure);
    }
  });
});
