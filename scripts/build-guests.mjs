#!/usr/bin/env node
// Compiles every tests/components/c/*.c and examples/**/*.c with Debian's clang-14 and
// wasi-libc (apt-get install clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32) into
// build/<name>.wasm beside the source. The outputs are committed so tests and examples run
// without a compiler; `--check` rebuilds into a temp dir and fails if any output differs.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');
// The compiler is found by absolute path: the PATH clang runs with below hides some directories.
const onPath = (name) => (process.env.PATH ?? '').split(delimiter).map((d) => join(d, name)).find((p) => existsSync(p));
const clang = ['clang-14', 'clang'].map(onPath).find(Boolean);
if (!clang) {
  console.error('build-guests: clang not found (apt-get install clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32)');
  process.exit(2);
}
const examples = join(root, 'examples');
const dirs = [join(root, 'tests', 'components', 'c'), ...(existsSync(examples) ? readdirSync(examples, { withFileTypes: true }) : [])
  .filter((d) => d.isDirectory()).map((d) => join(examples, d.name))];
let failed = 0;
for (const dir of dirs) {
  if (!existsSync(dir)) continue;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.c')).sort()) {
    const name = basename(file, '.c');
    const out = join(dir, 'build', `${name}.wasm`);
    const tmp = check ? join(mkdtempSync(join(tmpdir(), 'guest-')), `${name}.wasm`) : out;
    mkdirSync(dirname(tmp), { recursive: true });
    // Compile and link in two steps: clang runs binaryen's wasm-opt after a link that carries an
    // -O flag whenever it can find one (in its own directory too, whatever PATH says), so the
    // bytes would depend on whether binaryen is installed. -Wl,--strip-debug keeps them stable.
    const obj = `${tmp}.o`;
    execFileSync(clang, ['--target=wasm32-wasi', '--sysroot=/usr', '-O2', '-Wall', '-Werror', '-c',
      '-o', obj, join(dir, file)], { stdio: 'inherit' });
    execFileSync(clang, ['--target=wasm32-wasi', '--sysroot=/usr', '-Wl,--strip-debug', '-o', tmp, obj],
      { stdio: 'inherit' });
    rmSync(obj);
    if (check) {
      const same = existsSync(out) && Buffer.compare(readFileSync(out), readFileSync(tmp)) === 0;
      if (!same) { console.error(`build-guests: ${out} is stale; run npm run build:guests`); failed++; }
    }
    console.log(`${check ? 'checked' : 'built'} ${out.slice(root.length + 1)}`);
  }
}
process.exit(failed ? 1 : 0);
