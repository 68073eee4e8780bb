/**
 * `wasi-virt run` through the built CLI, in a child process: exit codes, traps, bad
 * input, argv, tracing.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileWat, wat } from '../helpers/guests.js';
import { cli, ensureBuilt } from './cli-helper.js';

let dir: string;
const file = (name: string) => join(dir, name);

beforeAll(async () => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'run-cli-'));
  for (const name of ['exit-arg', 'trap', 'print-args', 'import-env', 'trace-calls']) {
    writeFileSync(file(`${name}.wasm`), await wat(name));
  }
  writeFileSync(file('unstable-exit.wasm'), await compileWat(`(module
    (import "wasi_unstable" "proc_exit" (func $exit (param i32)))
    (memory (export "memory") 1)
    (func (export "_start") (call $exit (i32.const 9))))`));
  writeFileSync(file('raise-term.wasm'), await compileWat(`(module
    (import "wasi_snapshot_preview1" "proc_raise" (func $proc_raise (param i32) (result i32)))
    (memory (export "memory") 1)
    (func $kill (drop (call $proc_raise (i32.const 15))))
    (func (export "_start") (call $kill)))`));
  writeFileSync(file('text.wasm'), 'this is not wasm\n');
  writeFileSync(file('library.wasm'), new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  // Right header, broken body: a section id with a length running past the end.
  writeFileSync(file('truncated.wasm'), new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 0x7f, 0x01]));
  writeFileSync(file('future.wasm'), new Uint8Array([0, 0x61, 0x73, 0x6d, 2, 0, 0, 0]));
});

describe('wasi-virt run: exit codes', () => {
  it('the guest exit code becomes the process exit code (0, 1, 42, 255)', () => {
    for (const code of [0, 1, 42, 255]) {
      const r = cli(['run', file('exit-arg.wasm'), '--', String(code)]);
      expect({ code, status: r.status, stderr: r.stderr }).toEqual({ code, status: code, stderr: '' });
    }
  });

  it('a wasi_unstable (snapshot 0) module runs on the unstable face', () => {
    const r = cli(['run', file('unstable-exit.wasm')]);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 9, stderr: '' });
  });

  it('a trap is one line naming it and the function, exit 134', () => {
    const r = cli(['run', file('trap.wasm')]);
    expect(r.status).toBe(134);
    expect(r.stderr).toBe('wasi-virt: trap: unreachable (in inner)\n');
  });

  it('a fatal proc_raise is a trap too (the host process is never signalled)', () => {
    const r = cli(['run', file('raise-term.wasm')]);
    expect(r.status).toBe(134);
    expect(r.stderr).toBe('wasi-virt: trap: proc_raise(SIGTERM): the guest raised a fatal signal (in kill)\n');
  });

  it('exit codes above 255 trap instead of wrapping to success', () => {
    const r = cli(['run', file('exit-arg.wasm'), '--', '256']);
    expect(r.status).toBe(134);
    expect(r.stderr).toMatch(/^wasi-virt: trap: exit with invalid exit status 256 outside of \[0\.\.256\)/);
  });
});

describe('wasi-virt run: bad input is one line and exit 2', () => {
  it.each([
    ['text.wasm', /^wasi-virt: error: .*text\.wasm is not a WebAssembly module, component or \.wat text\n$/],
    ['future.wasm', /^wasi-virt: error: .*future\.wasm is a WebAssembly binary of an unknown version \(02 00 00 00\)\n$/],
    ['truncated.wasm', /^wasi-virt: error: .*truncated\.wasm is malformed: .+\n$/],
    ['missing.wasm', /^wasi-virt: error: .*missing\.wasm.*\n$/],
    ['library.wasm', /^wasi-virt: error: .*library\.wasm is not a command: it exports no _start function/],
    ['import-env.wasm', /^wasi-virt: error: cannot run .*import-env\.wasm: the module imports env\.host_magic, which nothing provides\n$/],
  ])('%s', (name, message) => {
    const r = cli(['run', file(name)]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.split('\n')).toHaveLength(2);
  });
});

describe('wasi-virt run: argv, env and tracing', () => {
  it('argv is the file basename then the arguments after --; env is only what was allowed', () => {
    const r = cli(['run', file('print-args.wasm'), '--env', 'GREETING=hi there', '--', 'one', 'two words', '--not-a-flag']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('print-args.wasm\none\ntwo words\n--not-a-flag\nGREETING=hi there\n');
  });

  it('--debug writes one line per call to stderr, after the output it follows', () => {
    const r = cli(['run', file('trace-calls.wasm'), '--debug', '--', 'a']);
    expect(r.status).toBe(3);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('[wasi-virt] args_sizes_get() = success -> sizes=2, 19 bytes');
    expect(lines.some((l) => l.startsWith('[wasi-virt] path_open(fd=3, dirflags=symlink_follow, path="dir/missing.txt", oflags=creat|trunc'))).toBe(true);
    expect(lines.at(-1)).toBe('[wasi-virt] proc_exit(rval=3) -> exit 3');
  });
});

describe('the bundled example (README first command)', () => {
  it('hello-virt: a snapshot mount at /, an env allow-list, guest args', () => {
    const r = cli(['run', 'examples/hello-virt/build/hello-virt.wasm', '--mount', '/=examples/hello-virt/data', '--allow-env=HOME', '--', 'world'],
      { env: { HOME: '/home/demo', SECRET_TOKEN: 'must not leak' } });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe([
      'hello, world!', 'argv[0] = hello-virt.wasm', 'argv[1] = world', 'env: HOME=/home/demo',
      '/greeting.txt: Hello from a file inside the guest.',
      '/greeting.txt: It was read from a snapshot embedded at start-up.',
      'writing /greeting.txt: Read-only file system', '',
    ].join('\n'));
  });
  it('a single file mounted at an absolute guest path, under a synthesized read-only root', () => {
    const r = cli(['run', 'examples/hello-virt/build/hello-virt.wasm', '--mount', '/greeting.txt=examples/hello-virt/data/greeting.txt']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('/greeting.txt: Hello from a file inside the guest.\n');
    expect(r.stdout).toContain('writing /greeting.txt: Read-only file system\n');
  });
});
