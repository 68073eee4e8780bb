/**
 * The CLI runs as one script (dist/one-script/cli.cjs, scripts/build-one-script.mjs)
 * compiled with V8's code cache (src/util/one-script.ts). These tests hold what that may not change:
 * the same behaviour as the module tree, a cache only in a private directory, a cache that
 * can never run stale code, and the costly builtins left unloaded by a plain run.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { wat } from '../helpers/guests.js';
import { cli, MAIN } from './cli.js';

const work = mkdtempSync(join(tmpdir(), 'wv-one-script-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const hello = join(work, 'hello.wasm');
writeFileSync(hello, await wat('hello'));
const SCRIPT = join(MAIN, '..', '..', 'one-script', 'cli.cjs');

function runWith(cache: string, extra: NodeJS.ProcessEnv = {}) {
  return cli(['run', hello], { env: { ...process.env, WASI_VIRT_CACHE: cache, NODE_DISABLE_COMPILE_CACHE: '', ...extra } });
}
const cacheFiles = (cache: string): string[] => {
  try {
    return readdirSync(join(cache, 'code'));
  } catch {
    return [];
  }
};

describe('the one-script CLI', () => {
  it('is what the bin runs: the script carries its content hash on its first line', () => {
    const first = readFileSync(SCRIPT, 'utf8').split('\n', 1)[0];
    expect(first).toMatch(/^\/\/ wasi-virt cli [0-9a-f]{32}$/);
    // Every dynamic import outside the script goes through the loader's import().
    expect(readFileSync(SCRIPT, 'utf8')).not.toMatch(/[^\w.$]import\(/);
  });

  it('writes its compiled code once, private to the user, and reads it back on the next run', () => {
    const cache = join(work, 'cache-a');
    const first = runWith(cache);
    expect(first).toMatchObject({ status: 0, stdout: 'hello from wasi\n', stderr: '' });
    const [file] = cacheFiles(cache);
    expect(file).toMatch(new RegExp(`^[0-9a-f]{32}-${process.version}-${process.arch}\\.v8$`));
    const path = join(cache, 'code', file!);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(cache, 'code')).mode & 0o777).toBe(0o700);
    const written = statSync(path).mtimeMs;

    const second = runWith(cache);
    expect(second).toMatchObject({ status: 0, stdout: 'hello from wasi\n', stderr: '' });
    expect(statSync(path).mtimeMs).toBe(written); // accepted, not written again
  });

  it('a cache file V8 rejects (same length, other bytes) is replaced, and the run is unchanged', () => {
    const cache = join(work, 'cache-b');
    runWith(cache);
    const path = join(cache, 'code', cacheFiles(cache)[0]!);
    const bytes = readFileSync(path);
    bytes.fill(0x5a, 0, 64);
    writeFileSync(path, bytes);
    const r = runWith(cache);
    expect(r).toMatchObject({ status: 0, stdout: 'hello from wasi\n', stderr: '' });
    expect(readFileSync(path).subarray(0, 64).every((b) => b === 0x5a)).toBe(false);
  });

  it('uses no cache in a directory others can write, nor when NODE_DISABLE_COMPILE_CACHE is set', () => {
    const shared = join(work, 'cache-shared');
    runWith(shared); // makes it (0700) and writes one file
    chmodSync(join(shared, 'code'), 0o777);
    for (const f of cacheFiles(shared)) rmSync(join(shared, 'code', f));
    expect(runWith(shared)).toMatchObject({ status: 0, stdout: 'hello from wasi\n' });
    expect(cacheFiles(shared)).toEqual([]);

    const off = join(work, 'cache-off');
    expect(runWith(off, { NODE_DISABLE_COMPILE_CACHE: '1' })).toMatchObject({ status: 0, stdout: 'hello from wasi\n' });
    expect(cacheFiles(off)).toEqual([]);
  });

  it('a run of a module never loads node:crypto (only a snapshot mount hashes)', () => {
    // The bin's own code, in a child that reports the builtins loaded once the run is over.
    const probe = [
      `process.argv = [process.argv[0], ${JSON.stringify(MAIN)}, 'run', ${JSON.stringify(hello)}];`,
      `await import(${JSON.stringify(MAIN)});`,
      `process.on('exit', () => process.stderr.write(JSON.stringify(process.moduleLoadList)));`,
    ].join('\n');
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', probe], {
      encoding: 'utf8',
      env: { ...process.env, WASI_VIRT_CACHE: join(work, 'cache-probe') },
    });
    expect(r.stdout).toBe('hello from wasi\n');
    const loaded = JSON.parse(r.stderr) as string[];
    expect(loaded).toContain('NativeModule vm');
    expect(loaded).not.toContain('NativeModule crypto');
  });
});

describe('the library entries as one script', () => {
  const DIST = join(MAIN, '..', '..');
  for (const name of ['node', 'wasi']) {
    it(`dist/${name}.js exports exactly what tsc's module (${name}.tree.js) does, and caches its code`, () => {
      const cache = join(work, `cache-${name}`);
      const probe = [
        `const one = await import(${JSON.stringify(join(DIST, `${name}.js`))});`,
        `const tree = await import(${JSON.stringify(join(DIST, `${name}.tree.js`))});`,
        'process.stdout.write(JSON.stringify([Object.keys(one).sort(), Object.keys(tree).sort(), typeof one.WASI]));',
      ].join('\n');
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { encoding: 'utf8', env: { ...process.env, WASI_VIRT_CACHE: cache } });
      expect(r.stderr).toBe('');
      const [ours, tsc, wasi] = JSON.parse(r.stdout) as [string[], string[], string];
      expect(ours).toEqual(tsc);
      expect(wasi).toBe('function');
      const hash = readFileSync(join(DIST, 'one-script', `${name}.cjs`), 'utf8').split('\n', 1)[0]!.split(' ').at(-1)!;
      expect(cacheFiles(cache).filter((f) => f.startsWith(hash))).toHaveLength(1);
    });
  }

  it('the package entry is CommonJS (no ES module loader for an importer): named ES imports and require both see it', () => {
    const pkg = JSON.parse(readFileSync(join(DIST, '..', 'package.json'), 'utf8')) as { exports: { '.': { node: { default: string } } } };
    expect(pkg.exports['.'].node.default).toBe('./dist/node.cjs');
    const esm = spawnSync(process.execPath, ['--input-type=module', '-e', "import { WASI, WasiVirt } from 'wasi-virt'; process.stdout.write(typeof WASI + typeof WasiVirt);"], { cwd: join(DIST, '..'), encoding: 'utf8' });
    expect(esm).toMatchObject({ status: 0, stdout: 'functionfunction', stderr: '' });
    const cjs = spawnSync(process.execPath, ['-e', "const { WASI } = require('wasi-virt'); const { WASI: same } = require('./dist/node.cjs'); process.stdout.write(String(WASI === same));"], { cwd: join(DIST, '..'), encoding: 'utf8' });
    expect(cjs).toMatchObject({ status: 0, stdout: 'true', stderr: '' });
  });

  it('runs a module through the one-script WASI class with its policy, as the tree does', () => {
    const probe = [
      `import { WASI } from ${JSON.stringify(join(DIST, 'wasi.js'))};`,
      `const bytes = (await import('node:fs')).readFileSync(${JSON.stringify(hello)});`,
      "const wasi = new WASI({ version: 'preview1', policy: { stdio: { stdout: 'allow' } } });",
      'const { instance } = await WebAssembly.instantiate(bytes, wasi.getImportObject());',
      'process.exitCode = wasi.start(instance);',
    ].join('\n');
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { encoding: 'utf8', env: { ...process.env, WASI_VIRT_CACHE: join(work, 'cache-run') } });
    expect(r).toMatchObject({ status: 0, stdout: 'hello from wasi\n', stderr: '' });
  });
});
