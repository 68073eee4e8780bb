/**
 * Defects a new user hit on the command line (issue #11), each pinned: bad input is one
 * line and exit 2, and nothing the user asked for is ignored silently.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { component, compileWat, wat } from '../helpers/guests.js';
import { cli, ensureBuilt } from './cli.js';

const dir = mkdtempSync(join(tmpdir(), 'wv-new-user-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, bytes: Uint8Array | string) => {
  writeFileSync(join(dir, name), bytes);
  return join(dir, name);
};

let hello: string;
beforeAll(async () => {
  ensureBuilt();
  hello = file('hello.wasm', await wat('hello'));
});

/** Exit 2, one `wasi-virt: error:` line matching `re`, no stack. */
function refused(args: string[], re: RegExp): void {
  const r = cli(args, { cwd: dir });
  expect(r.errLines, r.stderr).toHaveLength(1);
  expect(r.errLines[0]).toMatch(/^wasi-virt: error: /);
  expect(r.errLines[0]).toMatch(re);
  expect(r.status).toBe(2);
}

describe('misspelled commands and flags are named, with the near one', () => {
  it('run --alow-fs x.wasm', () => refused(['run', '--alow-fs', 'x.wasm'], /^wasi-virt: error: unknown flag --alow-fs \(did you mean --allow-fs\?\)$/));
  it('runn x.wasm', () => refused(['runn', 'x.wasm'], /^wasi-virt: error: unknown command runn \(did you mean run\?\)$/));
  it('inspect --jsn', () => refused(['inspect', '--jsn', 'x.wasm'], /unknown flag --jsn \(did you mean --json\?\)$/));
  it('a flag nothing is near still gets the usage hint', () => refused(['run', hello, '--verbose'], /unknown flag --verbose \(guest arguments that start with - go after --/));
});

describe('modules that cannot run as commands are bad input (exit 2)', () => {
  it('no memory export', async () => {
    const app = file('nomem.wasm', await compileWat(`(module
      (import "wasi_snapshot_preview1" "proc_exit" (func (param i32)))
      (func (export "_start")))`));
    refused(['run', app], /cannot run .*nomem\.wasm: the module does not export its memory as "memory"/);
  });

  it('a _start that takes parameters', async () => {
    const app = file('params.wasm', await compileWat('(module (memory (export "memory") 1) (func (export "_start") (param i32)))'));
    refused(['run', app], /its _start takes 1 parameter; a WASI command's _start takes none/);
  });

  it('a start section that calls WASI: refused, not run with its output lost', async () => {
    const app = file('startsec.wasm', await compileWat(`(module
      (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
      (memory (export "memory") 1)
      (data (i32.const 64) "from start\\n")
      (func $init (i32.store (i32.const 0) (i32.const 64)) (i32.store (i32.const 4) (i32.const 11))
        (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
      (start $init)
      (func (export "_start")))`));
    refused(['run', app], /its start section calls WASI/);
  });
});

describe('--cwd', () => {
  it('a preview1 module cannot be given one: refused, saying why', () => {
    refused(['run', '--cwd', '/x', hello], /a preview1 module has no initial directory to set/);
  });

  it('a component: a directory missing from the guest file system is refused, an existing one accepted', async () => {
    const site = join(dir, 'site');
    mkdirSync(join(site, 'sub'), { recursive: true });
    const app = file('hello.component.wasm', await component(await wat('hello')));
    refused(['run', '--mount', `/=${site}`, '--cwd', '/nope', app], /cwd "\/nope" does not exist in the guest's file system/);
    const ok = cli(['run', '--mount', `/=${site}`, '--cwd', '/sub', app], { cwd: dir });
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toBe('hello from wasi\n');
  });
});

describe('compose', () => {
  it('with stdio denied (the default) the summary line says so and how to allow it', () => {
    const r = cli([hello, '-o', join(dir, 'quiet')], { cwd: dir });
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/; stdio is denied, so the app prints nothing \(--allow-stdio allows it\)$/);
    const loud = cli([hello, '--allow-stdio', '-o', join(dir, 'loud')], { cwd: dir });
    expect(loud.stdout).not.toMatch(/stdio/);
  });

  it('-o virt.wasm is refused with what -o writes, and no directory is created', () => {
    refused([hello, '-o', 'virt.wasm'], /-o names the directory the bundle is written into .*, not a \.wasm file; give a directory, e\.g\. -o virt\/$/);
    expect(statSync(join(dir, 'virt.wasm'), { throwIfNoEntry: false })).toBeUndefined();
  });
});

describe('a policy file\'s args and the command line\'s guest arguments', () => {
  it('both reach the guest: the policy\'s first, then the command line\'s', async () => {
    const config = file('args.json', JSON.stringify({ args: ['prog', 'fixed'] }));
    const app = file('print-args.wasm', await wat('print-args'));
    const r = cli(['run', '--config', config, app, 'extra'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n').filter(Boolean)).toEqual(['prog', 'fixed', 'extra']);
  });
});

describe('--allow-fs: run and inspect --for run agree', () => {
  it('both refuse it, pointing at --dir (run supplies no embedder preopens)', () => {
    refused(['run', '--allow-fs', hello], /--allow-fs exposes preopens an embedder supplies at run time, and run supplies none: give directories with --dir/);
    refused(['inspect', '--for', 'run', '--allow-fs', hello], /--allow-fs exposes preopens an embedder supplies at run time, and run supplies none/);
  });

  it('--allow-all under run does not claim the embedder\'s preopens', () => {
    const r = cli(['inspect', '--for', 'run', '--allow-all', hello], { cwd: dir });
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(/embedder's preopens/);
  });
});

describe('--debug and a policy trap', () => {
  it('the trace and the one trap line, no host stack', async () => {
    const app = file('exit-arg.wasm', await wat('exit-arg'));
    const r = cli(['run', '--allow-exit=false', '--debug', app, '3'], { cwd: dir });
    expect(r.status).toBe(134);
    expect(r.errLines.at(-1)).toBe('wasi-virt: trap: denied by policy: exit = "deny" (the guest tried to exit with code 3)');
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });
});

describe('snapshots from the command line', () => {
  const app = () => join(dir, 'snap');
  beforeAll(() => {
    for (const d of ['.git/objects', 'node_modules/x', 'sub1', 'src']) mkdirSync(join(app(), d), { recursive: true });
    writeFileSync(join(app(), '.git', 'HEAD'), 'ref');
    writeFileSync(join(app(), 'node_modules', 'x', 'i.js'), 'x');
    writeFileSync(join(app(), 'sub1', 'a'), 'a');
    writeFileSync(join(app(), 'src', 'main.c'), 'c');
    symlinkSync('../../outside', join(app(), 'src', 'away'));
  });

  it('--exclude adds to the VCS excludes, and inspect says what was left out by which rule', () => {
    const r = cli(['inspect', hello, '--mount', `/=${app()}`, '--exclude', 'node_modules', '--exclude', 'sub*', '--outside-symlinks', 'skip'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^ {2}\/\s+sha256:\S+\s+1 file, 2 dirs, 1 B/m);
    const section = r.stdout.slice(r.stdout.indexOf('left out of /:'));
    expect(section.split('\n').slice(1, 4).map((l) => l.trim().split(/\s+/))).toEqual([
      ['.git', 'by', '**/.git'], ['node_modules', 'by', 'node_modules'], ['sub1', 'by', 'sub*'],
    ]);
  });

  it('--keep-vcs embeds .git on purpose', () => {
    const r = cli(['inspect', hello, '--mount', `/=${app()}`, '--keep-vcs', '--exclude', 'node_modules', '--exclude', 'sub1', '--outside-symlinks=skip'], { cwd: dir });
    expect(r.stdout).toMatch(/^ {2}\/\s+sha256:\S+\s+2 files, 4 dirs/m);
    expect(r.stdout).not.toMatch(/\.git\s+by/);
  });

  it('--outside-symlinks: error by default (naming the setting), skip leaves the link out, anything else refused', () => {
    refused(['inspect', hello, '--mount', `/=${app()}`], /symlink .*away" points outside the mounted directory .*outside-symlinks to "skip"/);
    refused(['inspect', hello, '--mount', `/=${app()}`, '--outside-symlinks', 'maybe'], /^wasi-virt: error: --outside-symlinks expects error or skip, got "maybe"$/);
    refused(['inspect', hello, '--outside-symlinks', 'skip'], /--outside-symlinks applies to --mount, and no --mount was given/);
  });
});
