/**
 * One bundle, every runtime with `node:` modules: the same composed bundles run as commands
 * and are imported (tests/web/fixtures.ts: probe) under Node, Deno (with only
 * `--allow-read` of the bundle's directory) and Bun, the engines from devDependencies.
 * Chromium runs the same bundles in tests/web/chromium.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bun, deno } from '../helpers/engines.js';
import {
  COMPONENT_OUT, DETERMINISTIC_ARGS, DETERMINISTIC_OUT, HELLO_ARGS, HELLO_OUT, PROBE_SCRIPT,
  composeFixtures, type BundleName, type Fixtures, type Probed,
} from './fixtures.js';

let fx: Fixtures;
beforeAll(async () => {
  fx = await composeFixtures();
  writeFileSync(join(fx.root, 'probe.mjs'), PROBE_SCRIPT);
});
afterAll(() => fx?.cleanup());

interface Engine {
  name: string;
  /** The command line running `script` with `args`, allowed to read `dir` (Deno asks). */
  argv(script: string, args: string[], dir?: string): string[];
}

const ENGINES: Engine[] = [
  { name: 'node', argv: (script, args) => [process.execPath, script, ...args] },
  { name: 'deno', argv: (script, args, dir) => [deno, 'run', ...(dir ? [`--allow-read=${dir}`] : []), script, ...args] },
  { name: 'bun', argv: (script, args) => [bun, script, ...args] },
];

function spawn(argv: string[], cwd: string) {
  const r = spawnSync(argv[0]!, argv.slice(1), { cwd, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

describe.each(ENGINES)('$name', (engine) => {
  const command = (b: BundleName, args: string[], withRead = true) =>
    spawn(engine.argv(join(fx.root, fx.entries[b]), args, withRead ? join(fx.root, fx.dirs[b]) : undefined), fx.root);
  const imported = (b: BundleName, args: string[]): Probed => {
    const r = spawn(engine.argv(join(fx.root, 'probe.mjs'), [join(fx.root, fx.entries[b]), JSON.stringify(args)], join(fx.root, fx.dirs[b])), fx.root);
    expect(r.stderr).toBe('');
    return JSON.parse(r.stdout) as Probed;
  };

  test('the engine is installed (a missing one fails the run)', () => {
    expect(existsSync(engine.argv('x', [])[0]!)).toBe(true);
  });

  test('a preview1 bundle with a snapshot, args and env, as a command and imported', () => {
    const r = command('hello', HELLO_ARGS);
    expect(r).toEqual({ status: 0, stdout: HELLO_OUT, stderr: '' });
    expect(imported('hello', HELLO_ARGS)).toEqual({ code: 0, stdout: HELLO_OUT, stderr: '' });
  });

  test('a component bundle', () => {
    expect(command('component', ['a.txt'])).toEqual({ status: 0, stdout: COMPONENT_OUT, stderr: '' });
    expect(imported('component', ['a.txt'])).toEqual({ code: 0, stdout: COMPONENT_OUT, stderr: '' });
  });

  test('stdout denied: the guest sees its writes fail; stdout ignored: they vanish', () => {
    expect(command('denied', ['Ada'])).toEqual({ status: 3, stdout: '', stderr: 'cannot write stdout: Capabilities insufficient\n' });
    expect(command('ignored', ['Ada'])).toEqual({ status: 0, stdout: '', stderr: '' });
  });

  test('a deterministic policy prints the same bytes as on every other engine', () => {
    expect(command('deterministic', DETERMINISTIC_ARGS)).toEqual({ status: 0, stdout: DETERMINISTIC_OUT, stderr: '' });
  });

  test('a trap: one line and 134 as a command, the engine\'s RuntimeError when imported', () => {
    const r = command('trap', []);
    expect(r.status).toBe(134);
    expect(r.stdout).toBe('before the trap\n');
    expect(r.stderr).toMatch(/^wasi-virt: trap: .+\n$/);
    expect(imported('trap', [])).toMatchObject({ runtimeError: true, stdout: 'before the trap\n' });
  });

  test('the --inline files (a module, moved; a component) run with no other file (Deno: with no permission at all)', () => {
    expect(command('inline', HELLO_ARGS, false)).toEqual({ status: 0, stdout: HELLO_OUT, stderr: '' });
    expect(command('inlineComponent', ['a.txt'], false)).toEqual({ status: 0, stdout: COMPONENT_OUT, stderr: '' });
  });
});

test('deno without --allow-read on a directory bundle: one line saying which permission, exit 2', () => {
  const r = spawn([deno, 'run', join(fx.root, fx.entries.hello), 'Ada'], fx.root);
  expect(r.status).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(/^wasi-virt: error: cannot run hello-web: cannot read hello-web\.wasm beside it \(.*--allow-read.*\)\n$/);
});
