/**
 * docs/coming-from.md's `policy` example runs as printed: the code block is taken from the
 * page, pointed at the built package, and run in a temp dir holding the tutorial's demo.wasm.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, ensureBuilt, tempDir } from './helpers.js';

const DOC = readFileSync(join(ROOT, 'docs', 'coming-from.md'), 'utf8');
const blocks = [...DOC.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!);
const dir = tempDir('coming-from');

beforeAll(() => ensureBuilt());

describe('docs/coming-from.md', () => {
  it('the switch is one import line', () => {
    expect(blocks[0]).toBe("// import { WASI } from 'node:wasi';\nimport { WASI } from 'wasi-virt';\n");
  });

  it('the policy example runs and prints what its last comment says', () => {
    const example = blocks.find((b) => b.includes('policy: {'))!;
    expect(example).toBeDefined();
    mkdirSync(join(dir, 'assets'));
    mkdirSync(join(dir, 'data'));
    writeFileSync(join(dir, 'assets', 'test.txt'), 'from the snapshot\n');
    copyFileSync(join(ROOT, 'examples', 'wasi-tutorial', 'build', 'demo.wasm'), join(dir, 'demo.wasm'));
    const script = example.replace(`from 'wasi-virt'`, `from ${JSON.stringify(pathToFileURL(join(ROOT, 'dist', 'node.js')).href)}`);
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    const promised = /\/\/ (error opening output .*)\n$/.exec(example)![1];
    expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ status: 1, stdout: '', stderr: `${promised}\n` });
    expect(readdirSync(join(dir, 'data'))).toEqual([]);
  });
});
