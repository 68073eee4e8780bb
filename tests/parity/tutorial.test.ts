/**
 * The WASI tutorial's wasmtime session, replayed with `wasi-virt run` and the tutorial's
 * own flag spellings on examples/wasi-tutorial/build/demo.wasm (a file-copy program that
 * knows nothing of WASI). Each step runs the built CLI in a fresh temp dir whose `work/`
 * is the current directory; the tutorial's /tmp is a temp dir of its own here, so nothing
 * outside the test's directory is touched.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, ensureBuilt, tempDir, wasiVirt, type Proc } from './helpers.js';

const DEMO = join(ROOT, 'examples', 'wasi-tutorial', 'build', 'demo.wasm');
const TMP = tempDir('tutorial');
const CAPS = 'Capabilities insufficient';

interface Scene {
  root: string;
  /** The current directory: holds test.txt. */
  work: string;
  /** Stands in for the tutorial's /tmp. */
  out: string;
  /** Stands in for the tutorial's /var/tmp (the --mapdir target). */
  var: string;
  input: Buffer;
}

/** A fresh layout per test, so one step's output cannot satisfy another's check. */
function scene(): Scene {
  const root = mkdtempSync(join(TMP, 'scene-'));
  const s = { root, work: join(root, 'work'), out: join(root, 'out'), var: join(root, 'var') };
  for (const d of [s.work, s.out, s.var]) mkdirSync(d);
  // Text first (the tutorial's "hello world"), then binary well past the program's buffer.
  const input = Buffer.concat([Buffer.from('hello world\n'), randomBytes(200_000), Buffer.from([0, 255, 10, 13])]);
  writeFileSync(join(s.work, 'test.txt'), input);
  return { ...s, input };
}

function demo(s: Scene, flags: string[], args: string[]): Proc {
  return wasiVirt(['run', ...flags, DEMO, ...args], { cwd: s.work });
}

/** Every file under `dir`, for "nothing was created" checks. */
function tree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

beforeAll(() => ensureBuilt());

describe('the WASI tutorial, step by step', () => {
  it('without arguments: the usage line (argv[0] is the file name), exit 1', () => {
    const s = scene();
    expect(demo(s, [], [])).toEqual({ status: 1, stdout: '', stderr: 'usage: demo.wasm <from> <to>\n' });
  });

  it('without capabilities: "error opening input test.txt: Capabilities insufficient"', () => {
    const s = scene();
    const r = demo(s, [], ['test.txt', join(s.out, 'somewhere.txt')]);
    expect(r).toEqual({ status: 1, stdout: '', stderr: `error opening input test.txt: ${CAPS}\n` });
    expect(tree(s.out)).toEqual([]);
  });

  it('--dir=. --dir=<tmp>: the copy succeeds, byte for byte', () => {
    const s = scene();
    const r = demo(s, ['--dir=.', `--dir=${s.out}`], ['test.txt', join(s.out, 'somewhere.txt')]);
    expect(r).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(readFileSync(join(s.out, 'somewhere.txt')).equals(s.input)).toBe(true);
  });

  it('--dir=$PWD instead of --dir=.: the relative input is not found among the preopens', () => {
    const s = scene();
    const r = demo(s, [`--dir=${s.work}`, `--dir=${s.out}`], ['test.txt', join(s.out, 'somewhere.txt')]);
    expect(r).toEqual({ status: 1, stdout: '', stderr: `error opening input test.txt: ${CAPS}\n` });
    expect(tree(s.out)).toEqual([]);
  });

  it('an output path climbing out with "..": "error opening output ...: Capabilities insufficient", nothing created', () => {
    const s = scene();
    const outside = `${s.out}/../escaped.txt`;
    const r = demo(s, ['--dir=.', `--dir=${s.out}`], ['test.txt', outside]);
    expect(r).toEqual({ status: 1, stdout: '', stderr: `error opening output ${outside}: ${CAPS}\n` });
    expect(existsSync(join(s.root, 'escaped.txt'))).toBe(false);
    // The same through the current directory's preopen.
    const up = demo(s, ['--dir=.'], ['test.txt', '../escaped.txt']);
    expect(up).toEqual({ status: 1, stdout: '', stderr: `error opening output ../escaped.txt: ${CAPS}\n` });
    expect(tree(s.root)).toEqual(['out', 'var', 'work', 'work/test.txt']);
  });

  it('--mapdir=/tmp:<var/tmp>: the guest writes /tmp/somewhere.txt, the file lands in the mapped host directory', () => {
    const s = scene();
    // Names no one else uses: the host's real /tmp must not receive them.
    const tag = randomBytes(6).toString('hex');
    const names = ['one', 'two', 'three'].map((n) => `wasi-virt-parity-${tag}-${n}.txt`);
    const r = demo(s, ['--dir=.', `--mapdir=/tmp:${s.var}`], ['test.txt', `/tmp/${names[0]}`]);
    expect(r).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(readFileSync(join(s.var, names[0]!)).equals(s.input)).toBe(true);
    // wasmtime's later GUEST::HOST spelling, and --dir HOST::GUEST, map the same way.
    expect(demo(s, ['--dir=.', `--mapdir=/tmp::${s.var}`], ['test.txt', `/tmp/${names[1]}`]).status).toBe(0);
    expect(demo(s, ['--dir=.', `--dir=${s.var}::/tmp`], ['test.txt', `/tmp/${names[2]}`]).status).toBe(0);
    expect(tree(s.var)).toEqual([...names].sort());
    for (const n of names) expect(existsSync(join('/tmp', n))).toBe(false);
  });

  it('an absolute host path that was not preopened is not reachable, and nothing is created there', () => {
    const s = scene();
    const target = join(s.var, 'not-granted.txt');
    // Only the input's directory, by its absolute name: no preopen covers the output.
    const r = demo(s, [`--dir=${s.work}`], [join(s.work, 'test.txt'), target]);
    expect(r).toEqual({ status: 1, stdout: '', stderr: `error opening output ${target}: ${CAPS}\n` });
    // With `.` preopened, wasi-libc resolves an absolute path no other preopen covers inside
    // `.` (the guest's root), so the host path is still out of reach.
    const dot = demo(s, ['--dir=.'], ['test.txt', target]);
    expect(dot).toEqual({ status: 1, stdout: '', stderr: `error opening output ${target}: No such file or directory\n` });
    expect(tree(s.var)).toEqual([]);
  });

  it('a symlink inside a preopen that points out of it is refused too', () => {
    const s = scene();
    symlinkSync(s.var, join(s.work, 'link'));
    const r = demo(s, ['--dir=.'], ['test.txt', 'link/through.txt']);
    expect(r).toEqual({ status: 1, stdout: '', stderr: `error opening output link/through.txt: ${CAPS}\n` });
    expect(tree(s.var)).toEqual([]);
  });

  it('beyond the tutorial: a read-only preopen refuses the output with EROFS', () => {
    const s = scene();
    const r = demo(s, ['--dir=.', `--preopen=/out=${s.out}:ro`], ['test.txt', '/out/somewhere.txt']);
    expect(r).toEqual({ status: 1, stdout: '', stderr: 'error opening output /out/somewhere.txt: Read-only file system\n' });
    expect(tree(s.out)).toEqual([]);
  });
});
