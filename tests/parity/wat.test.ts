/**
 * node:wasi's demo.wat, from its text: `wasi-virt run` and compose compile WAT input with
 * wabt first (by extension, or by content when the file is text rather than a binary), and
 * the node-wasi example's script gives the same output under node:wasi and under ours.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, ensureBuilt, nodeScript, tempDir, wasiVirt } from './helpers.js';

const EXAMPLE = join(ROOT, 'examples', 'node-wasi');
const TMP = tempDir('wat');
const GREETING = 'hello from demo.wat\n';

beforeAll(() => ensureBuilt());

describe('wasi-virt run on .wat text', () => {
  it('runs examples/node-wasi/demo.wat and prints its greeting', () => {
    expect(wasiVirt(['run', join(EXAMPLE, 'demo.wat')])).toEqual({ status: 0, stdout: GREETING, stderr: '' });
  });

  it('recognises WAT text without the extension (leading comments and blanks allowed)', () => {
    const file = join(TMP, 'demo-without-extension');
    writeFileSync(file, `\n;; a comment\n(; a block comment ;)\n${readFileSync(join(EXAMPLE, 'demo.wat'), 'utf8')}`);
    expect(wasiVirt(['run', file])).toEqual({ status: 0, stdout: GREETING, stderr: '' });
  });

  it('a malformed .wat: one line with file:line:column, exit 2, nothing on stdout', () => {
    // 12- and 20-byte names included: wabt's JS build garbles names of those lengths.
    for (const name of ['bad.wat', 'bad-name.wat', 'bad-name-20-byte.wat', 'b.wat']) {
      writeFileSync(join(TMP, name), '(module\n  (func (export "_start") (i32.add)))\n');
      const r = wasiVirt(['run', name], { cwd: TMP });
      expect([name, r.status, r.stdout]).toEqual([name, 2, '']);
      expect(r.stderr).toBe(`wasi-virt: error: ${name}:2:28: error: type mismatch in i32.add, expected [i32, i32] but got []\n`);
    }
    writeFileSync(join(TMP, 'syntax.wat'), '(module\n  (func (export "_start")\n    (bogus)))\n');
    expect(wasiVirt(['run', 'syntax.wat'], { cwd: TMP })).toEqual({
      status: 2, stdout: '', stderr: 'wasi-virt: error: syntax.wat:3:6: error: unexpected token "bogus", expected an instr.\n',
    });
  });

  it('valid WAT that is not a command gets the same line as a .wasm would', () => {
    writeFileSync(join(TMP, 'lib.wat'), '(module (memory (export "memory") 1) (func (export "_initialize")))');
    const r = wasiVirt(['run', 'lib.wat'], { cwd: TMP });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('wasi-virt: error: lib.wat is not a command: it exports no _start function (a library or reactor cannot be run)\n');
  });
});

describe('compose on .wat text (the same helper as run)', () => {
  it('bundles demo.wat; the bundle prints the greeting', () => {
    const out = join(TMP, 'bundle');
    const r = wasiVirt([join(EXAMPLE, 'demo.wat'), '--allow-stdio', '-o', out]);
    expect(r.status).toBe(0);
    const bundle = spawnSync(process.execPath, [join(out, 'demo.js')], { encoding: 'utf8', timeout: 60_000 });
    expect({ status: bundle.status, stdout: bundle.stdout, stderr: bundle.stderr }).toEqual({ status: 0, stdout: GREETING, stderr: '' });
  });

  it('a malformed .wat: the same one line and exit 2 as run', () => {
    writeFileSync(join(TMP, 'bad-name.wat'), '(module\n  (func (export "_start") (i32.add)))\n');
    const r = wasiVirt(['bad-name.wat', '-o', join(TMP, 'never')], { cwd: TMP });
    expect(r).toEqual({ status: 2, stdout: '', stderr: 'wasi-virt: error: bad-name.wat:2:28: error: type mismatch in i32.add, expected [i32, i32] but got []\n' });
  });
});

describe('examples/node-wasi/run.mjs', () => {
  it('prints the greeting through our WASI class, as it does with node:wasi after changing the import back', () => {
    const source = readFileSync(join(EXAMPLE, 'run.mjs'), 'utf8');
    expect(source).toContain(`import { WASI } from 'wasi-virt';`);
    const here = (text: string) => text.replace(`new URL('./demo.wat', import.meta.url)`, JSON.stringify(join(EXAMPLE, 'demo.wat')));
    const ours = nodeScript(here(source));
    const theirs = nodeScript(here(source.replace(`from 'wasi-virt'`, `from 'node:wasi'`)));
    expect(ours).toEqual({ status: 0, stdout: GREETING, stderr: '' });
    expect(theirs).toEqual(ours);
  });
});
