/**
 * node:wasi's `WASI` contract, rule by rule, side by side: every scenario runs against
 * node:wasi and against our drop-in in the same test and the outcomes are compared (error
 * class, code and message, which tools and tests match on, or the result), for both
 * versions. A Node upgrade that changes a rule, or a change on our side, fails here.
 *
 * Where we differ on purpose (the spec over node:wasi, or an extension node rejects), the
 * test says so and asserts both sides, so the difference stays the documented one
 * (docs/node-wasi.md).
 */
import { WASI as NodeWASI } from 'node:wasi';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CaptureSink } from '../../src/adapter/kernel/index.js';
import { WASI } from '../../src/wasi.js';
import { EXPECTED_FAILURES } from '../conformance/expected-failures.js';
import { compileWat, wat } from '../helpers/guests.js';
import { cStrings } from '../preview1/p1-helpers.js';
import { NAMESPACE, ROOT, SHOW, VERSIONS, ensureBuilt, guest, nodeScript, tempDir, type Version } from './helpers.js';

type Wasi = NodeWASI | WASI;
type WasiClass = new (options: never) => Wasi;
const OURS = WASI as unknown as WasiClass;
const NODE = NodeWASI as unknown as WasiClass;
const IMPLS: readonly [string, WasiClass][] = [['node:wasi', NODE], ['wasi-virt', OURS]];

/** What a call did, as one comparable string: its result, or the error's class, code and message. */
function outcome(f: () => unknown): string {
  try {
    return `ok: ${String(f())}`;
  } catch (e) {
    if (!(e instanceof Error)) return `threw ${String(e)}`;
    return `${e.constructor.name} [${(e as { code?: string }).code}] ${e.message}`;
  }
}

function construct(K: WasiClass, options: unknown, noArgs = false): string {
  return outcome(() => {
    if (noArgs) new (K as unknown as new () => Wasi)();
    else new K(options as never);
    return 'constructed';
  });
}

/** The same construction through both; returns [ours, theirs] for toEqual. */
function bothConstruct(options: unknown): [string, string] {
  return [construct(OURS, options), construct(NODE, options)];
}

/** Every file this test writes lives under here (removed at the end). */
const TMP = tempDir('node-wasi');
const subdir = (name: string) => mkdtempSync(join(TMP, `${name}-`));

/** Guests the child-process scripts load from disk, written once. */
const FILES: Record<string, string> = {};
beforeAll(async () => {
  ensureBuilt();
  for (const version of VERSIONS) {
    FILES[`exit-${version}`] = join(TMP, `exit-${version}.wasm`);
    writeFileSync(FILES[`exit-${version}`]!, await guest(EXIT_WITH, version));
    FILES[`stdio-${version}`] = join(TMP, `stdio-${version}.wasm`);
    writeFileSync(FILES[`stdio-${version}`]!, await guest(STDIO, version));
  }
  FILES['command'] = join(TMP, 'command.wasm');
  writeFileSync(FILES['command'], await compileWat(MODULES['command']!));
  FILES['close-stdout'] = join(TMP, 'close-stdout.wasm');
  writeFileSync(FILES['close-stdout'], await wat('close-stdout'));
});

const show = (v: unknown): string => (typeof v === 'symbol' || typeof v === 'bigint' || typeof v === 'function' ? String(v) : JSON.stringify(v) ?? 'undefined');

describe('constructor: options and version', () => {
  it('no options, or options that are not an object: the same error', () => {
    expect(construct(OURS, undefined, true)).toBe(construct(NODE, undefined, true));
    // `new WASI(undefined)` is `new WASI({})`: the version is what is missing.
    expect(bothConstruct(undefined)[0]).toMatch(/options\.version/);
    for (const options of [undefined, null, 5, 'preview1', true, [], () => ({ version: 'preview1' }), Symbol('o'), 5n]) {
      const [ours, theirs] = bothConstruct(options);
      expect([show(options), ours]).toEqual([show(options), theirs]);
      if (options !== undefined) expect(ours).toMatch(/^TypeError \[ERR_INVALID_ARG_TYPE\] The "options" argument must be of type object\./);
    }
  });

  it('version is required and must be "preview1" or "unstable": the error names options.version', () => {
    const versions: unknown[] = [undefined, null, 5, true, {}, [], '', 'preview2', 'PREVIEW1', 'wasi_snapshot_preview1', 'preview1 ',
      'unstable\0', 'a'.repeat(40), Symbol('v'), 5n, () => 'preview1', Object('preview1')];
    for (const version of versions) {
      const [ours, theirs] = bothConstruct({ version });
      expect([show(version), ours]).toEqual([show(version), theirs]);
      expect(ours).toMatch(/^TypeError \[ERR_INVALID_ARG_(TYPE|VALUE)\] The (property 'options\.version'|"options\.version" property) /);
    }
    // And the version is checked before anything else.
    expect(bothConstruct({ version: 'preview2', args: 5, env: 5, stdout: 'x' })[0]).toMatch(/options\.version/);
  });

  for (const version of VERSIONS) {
    it(`version "${version}" with every option at its default constructs in both`, () => {
      expect(bothConstruct({ version })).toEqual(['ok: constructed', 'ok: constructed']);
      expect(bothConstruct({ version, args: [], env: {}, preopens: {}, returnOnExit: true, stdin: 0, stdout: 1, stderr: 2 }))
        .toEqual(['ok: constructed', 'ok: constructed']);
    });
  }
});

/** Values of the wrong type for each option (and out-of-range fds); each must fail the same way. */
const WRONG: Record<string, unknown[]> = {
  args: [null, 'a b', 5, true, {}, { length: 1, 0: 'a' }, new Set(['a']), () => [], Symbol('s'), 5n],
  env: [null, 'A=1', 5, true, [], [['A', '1']], () => ({}), Symbol('s'), 5n],
  preopens: [null, '/x', 5, true, [], [['/x', '/tmp']], () => ({}), Symbol('s'), 5n],
  returnOnExit: [null, 'true', 'false', 1, 0, {}, [], () => true, Symbol('s'), 5n],
  // A string or bytes for stdin, and an object with write() for stdout/stderr, are our
  // extensions (tested below); everything else must be refused as node refuses it.
  stdin: [null, true, {}, [], -1, 1.5, NaN, Infinity, -0.5, 2 ** 31, 5n, Symbol('s'), () => 0, new Date(0)],
  stdout: [null, true, 'x', '1', {}, [], -1, 1.5, NaN, Infinity, 2 ** 31, 5n, Symbol('s'), () => 1, new Uint8Array(1)],
  stderr: [null, true, 'x', '2', {}, [], -1, 1.5, NaN, Infinity, 2 ** 31, 5n, Symbol('s'), () => 2, new Uint8Array(1)],
};

/** Values node accepts for each option; ours must accept them too. */
const RIGHT: Record<string, unknown[]> = {
  args: [undefined, [], ['prog', 'a b'], [1, true, null, undefined, { toString: () => 'obj' }, Symbol('s')]],
  env: [undefined, {}, { A: '1', B: 2, C: null, D: undefined }, Object.create(null)],
  preopens: [undefined, {}, Object.create(null)],
  returnOnExit: [undefined, true, false],
  stdin: [undefined, 0, 1, 2],
  stdout: [undefined, 0, 1, 2],
  stderr: [undefined, 0, 1, 2],
};

describe('constructor: option types, each wrong type for each option', () => {
  for (const version of VERSIONS) {
    for (const [option, values] of Object.entries(WRONG)) {
      it(`${version}: ${option} refuses ${values.length} wrong values exactly as node:wasi does`, () => {
        for (const value of values) {
          const [ours, theirs] = bothConstruct({ version, [option]: value });
          expect([option, show(value), ours]).toEqual([option, show(value), theirs]);
          expect(ours).toMatch(new RegExp(`^(TypeError|RangeError) \\[ERR_(INVALID_ARG_TYPE|OUT_OF_RANGE)\\] The (value of )?"options\\.${option}"`));
        }
      });
      it(`${version}: ${option} accepts what node:wasi accepts`, () => {
        for (const value of RIGHT[option]!) {
          expect([option, show(value), ...bothConstruct({ version, [option]: value })]).toEqual([option, show(value), 'ok: constructed', 'ok: constructed']);
        }
      });
    }
  }

  it('an stdio fd in range that is not open: Error UVWASI_EBADF from the constructor in both (ours names the option)', () => {
    const open = openSync(join(TMP, 'an-open-file'), 'w');
    try {
      for (const option of ['stdin', 'stdout', 'stderr']) {
        expect(bothConstruct({ version: 'preview1', [option]: open })).toEqual(['ok: constructed', 'ok: constructed']);
        for (const fd of [2 ** 31 - 1, 9999]) {
          const [ours, theirs] = bothConstruct({ version: 'preview1', [option]: fd });
          expect(theirs).toBe('Error [UVWASI_EBADF] UVWASI_EBADF, uvwasi_init');
          expect(ours).toBe(`Error [UVWASI_EBADF] options.${option}: fd ${fd} is not open`);
        }
      }
      // Checked before the preopens, as uvwasi_init does.
      const both = bothConstruct({ version: 'preview1', stdout: 9999, preopens: { '/x': join(TMP, 'missing') } });
      expect(both.map((o) => o.split(' ').slice(0, 2).join(' '))).toEqual(['Error [UVWASI_EBADF]', 'Error [UVWASI_EBADF]']);
    } finally {
      closeSync(open);
    }
  });

  it('a Symbol env value throws the same TypeError (node builds `key=value` from a template)', () => {
    const [ours, theirs] = bothConstruct({ version: 'preview1', env: { A: Symbol('x') } });
    expect(ours).toBe(theirs);
    expect(ours).toMatch(/^TypeError \[undefined\] Cannot convert a Symbol value to a string/);
  });

  it('several wrong options: the first one in node\'s order is reported', () => {
    const keys = Object.keys(WRONG);
    for (const a of keys) {
      for (const b of keys) {
        if (a === b) continue;
        const options = { version: 'preview1', [a]: WRONG[a]![1], [b]: WRONG[b]![1] };
        const [ours, theirs] = bothConstruct(options);
        expect([a, b, ours]).toEqual([a, b, theirs]);
      }
    }
  });
});

const MODULES: Record<string, string> = {
  command: '(module (memory (export "memory") 1) (func (export "_start")))',
  reactor: '(module (memory (export "memory") 1) (global $g (export "g") (mut i32) (i32.const 0)) (func (export "_initialize") (global.set $g (i32.const 7))))',
  library: '(module (memory (export "memory") 1))',
  both: '(module (memory (export "memory") 1) (func (export "_start")) (func (export "_initialize")))',
  'no memory': '(module (func (export "_start")))',
  'reactor without memory': '(module (func (export "_initialize")))',
  'memory is a global': '(module (global (export "memory") i32 (i32.const 0)) (func (export "_start")))',
  'no memory, no entry': '(module)',
  '_start is a global': '(module (memory (export "memory") 1) (global (export "_start") i32 (i32.const 0)))',
  '_initialize is a global': '(module (memory (export "memory") 1) (global (export "_initialize") i32 (i32.const 0)))',
  'trapping _start': '(module (memory (export "memory") 1) (func (export "_start") unreachable))',
  'trapping _initialize': '(module (memory (export "memory") 1) (func (export "_initialize") unreachable))',
};

describe('start() and initialize()', () => {
  const instances: Record<string, WebAssembly.Instance> = {};
  beforeAll(async () => {
    for (const [name, src] of Object.entries(MODULES)) {
      instances[name] = (await WebAssembly.instantiate((await compileWat(src)) as Uint8Array<ArrayBuffer>, {})).instance;
    }
  });

  for (const version of VERSIONS) {
    for (const method of ['start', 'initialize'] as const) {
      it(`${version}: ${method}() on each kind of instance, then ${method}() again`, () => {
        for (const name of Object.keys(MODULES)) {
          const run = (K: WasiClass) => {
            const w = new K({ version } as never);
            return [outcome(() => w[method](instances[name]!)), outcome(() => w[method](instances[name]!))];
          };
          expect([name, ...run(OURS)]).toEqual([name, ...run(NODE)]);
        }
      });
    }
  }

  it('the rules, spelled out (each checked against node:wasi above)', () => {
    const w = () => new WASI({ version: 'preview1' });
    expect(outcome(() => w().start(instances['command']!))).toBe('ok: 0');
    expect(outcome(() => w().start(instances['library']!))).toMatch(/\[ERR_INVALID_ARG_TYPE\] The "instance\.exports\._start" property must be of type function/);
    expect(outcome(() => w().start(instances['both']!))).toMatch(/\[ERR_INVALID_ARG_TYPE\] The "instance\.exports\._initialize" property must be undefined/);
    expect(outcome(() => w().start(instances['no memory']!))).toMatch(/\[ERR_INVALID_ARG_TYPE\] "instance\.exports\.memory" property must be a WebAssembly\.Memory object/);
    expect(outcome(() => w().initialize(instances['command']!))).toMatch(/\[ERR_INVALID_ARG_TYPE\] The "instance\.exports\._start" property must be undefined/);
    expect(outcome(() => w().initialize(instances['library']!))).toBe('ok: undefined');
    const once = w();
    once.start(instances['command']!);
    expect(outcome(() => once.start(instances['command']!))).toBe('Error [ERR_WASI_ALREADY_STARTED] WASI instance has already started');
  });

  it('initialize() runs _initialize, in both', async () => {
    for (const [name, K] of IMPLS) {
      const { instance } = await WebAssembly.instantiate((await compileWat(MODULES['reactor']!)) as Uint8Array<ArrayBuffer>, {});
      new K({ version: 'preview1' } as never).initialize(instance);
      expect([name, (instance.exports['g'] as WebAssembly.Global).value]).toEqual([name, 7]);
    }
  });

  it('start() after initialize() and the reverse: already started, in both', () => {
    for (const [first, second] of [['start', 'initialize'], ['initialize', 'start']] as const) {
      const inst = first === 'start' ? instances['command']! : instances['library']!;
      const run = (K: WasiClass) => {
        const w = new K({ version: 'preview1' } as never);
        return [outcome(() => w[first](inst)), outcome(() => w[second](inst))];
      };
      expect(run(OURS)).toEqual(run(NODE));
    }
  });

  it('things that are not instances: the same errors in the same order', () => {
    const mem = new WebAssembly.Memory({ initial: 1 });
    const cases: unknown[] = [undefined, null, 5, 'x', {}, [], { exports: null }, { exports: 5 }, { exports: {} },
      { exports: { memory: mem } }, { exports: { memory: {}, _start: () => {} } },
      { exports: { memory: mem, _start: () => {} } }, { exports: { memory: mem, _start: () => 9 } },
      { exports: { memory: mem, _start: () => { throw new RangeError('boom'); } } },
      { exports: { memory: mem, _initialize: () => {} } }];
    for (const method of ['start', 'initialize'] as const) {
      for (const c of cases) {
        const run = (K: WasiClass) => {
          const w = new K({ version: 'preview1' } as never);
          return [outcome(() => w[method](c as WebAssembly.Instance)), outcome(() => w[method](c as WebAssembly.Instance))];
        };
        expect([method, show(c), ...run(OURS)]).toEqual([method, show(c), ...run(NODE)]);
      }
    }
  });
});

describe('wasiImport before start()', () => {
  // proc_exit is the exception in node:wasi too (with returnOnExit it throws its exit marker).
  it('every call but proc_exit throws ERR_WASI_NOT_STARTED in both (memory or not), and the instance still starts', async () => {
    const calls: [string, unknown[]][] = [
      ['fd_write', [1, 0, 1, 8]], ['fd_close', [9]], ['clock_time_get', [0, 0n, 0]], ['random_get', [0, 4]],
      ['sched_yield', []], ['args_sizes_get', [0, 4]],
    ];
    for (const [name, args] of calls) {
      // By name, code and message: ours is a subclass (the CLI tells it apart by class).
      const run = (K: WasiClass) => {
        const w = new K({ version: 'preview1', returnOnExit: true } as never);
        try {
          return `ok: ${String((w.wasiImport[name] as (...a: unknown[]) => unknown)(...args))}`;
        } catch (e) {
          return e instanceof Error ? `${e.name} [${(e as { code?: string }).code}] ${e.message}` : `threw ${String(e)}`;
        }
      };
      expect([name, run(OURS)]).toEqual([name, run(NODE)]);
      expect(run(OURS)).toBe('Error [ERR_WASI_NOT_STARTED] wasi.start() has not been called');
    }
    const w = new WASI({ version: 'preview1', stdout: new CaptureSink() });
    const { instance } = await WebAssembly.instantiate(await wat('hello'), w.getImportObject());
    expect(w.start(instance)).toBe(0);
  });
});

describe('getImportObject() and wasiImport', () => {
  for (const version of VERSIONS) {
    it(`${version}: { ${NAMESPACE[version]} }, the same 46 functions, wasiImport is that object`, () => {
      const ours = new WASI({ version });
      const theirs = new NodeWASI({ version });
      expect(Object.keys(ours.getImportObject())).toEqual([NAMESPACE[version]]);
      expect(Object.keys(ours.getImportObject())).toEqual(Object.keys(theirs.getImportObject()));
      expect(Object.keys(ours.wasiImport).sort()).toEqual(Object.keys(theirs.wasiImport).sort());
      expect(Object.keys(ours.wasiImport)).toHaveLength(46);
      for (const w of [ours, theirs] as Wasi[]) expect((w.getImportObject() as Record<string, unknown>)[NAMESPACE[version]]).toBe(w.wasiImport);
      for (const f of Object.values(ours.wasiImport)) expect(typeof f).toBe('function');
    });
  }
});

const EXIT_WITH = `(module
  (import "$NS" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start") (call $proc_exit (i32.load (i32.const 0))) unreachable))`;

// Writes "out\\n" to fd 1 and "err\\n" to fd 2, copies fd 0 to fd 1, exits with the first errno.
const STDIO = `(module
  (import "$NS" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "$NS" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "$NS" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "out\\n")
  (data (i32.const 80) "err\\n")
  (func $put (param $fd i32) (param $at i32) (param $len i32)
    (i32.store (i32.const 16) (local.get $at))
    (i32.store (i32.const 20) (local.get $len))
    (drop (call $fd_write (local.get $fd) (i32.const 16) (i32.const 1) (i32.const 24))))
  (func (export "_start")
    (local $r i32)
    (call $put (i32.const 1) (i32.const 64) (i32.const 4))
    (call $put (i32.const 2) (i32.const 80) (i32.const 4))
    (block $eof (loop $more
      (i32.store (i32.const 0) (i32.const 1024))
      (i32.store (i32.const 4) (i32.const 4096))
      (local.set $r (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
      (if (local.get $r) (then (call $proc_exit (local.get $r))))
      (br_if $eof (i32.eqz (i32.load (i32.const 8))))
      (call $put (i32.const 1) (i32.const 1024) (i32.load (i32.const 8)))
      (br $more))))
  )`;

describe('returnOnExit', () => {
  for (const version of VERSIONS) {
    it(`${version}: true (the default, and explicit) makes start() return the guest's code`, async () => {
      for (const returnOnExit of [undefined, true]) {
        for (const code of [0, 1, 7, 42, 255]) {
          const run = async (K: WasiClass) => {
            const w = new K({ version, ...(returnOnExit === undefined ? {} : { returnOnExit }) } as never);
            const { instance } = await WebAssembly.instantiate(readFileSync(FILES[`exit-${version}`]!), w.getImportObject() as WebAssembly.Imports);
            new DataView((instance.exports['memory'] as WebAssembly.Memory).buffer).setUint32(0, code, true);
            return outcome(() => w.start(instance));
          };
          expect(await run(OURS)).toBe(await run(NODE));
          expect(await run(OURS)).toBe(`ok: ${code}`);
        }
      }
    });

    it(`${version}: false ends the process with the guest's code (in a child process), output first`, () => {
      const script = (impl: string, code: number) => `
        import { readFileSync, writeSync } from 'node:fs';
        ${impl}
        const w = new WASI({ version: '${version}', returnOnExit: false });
        const { instance } = await WebAssembly.instantiate(readFileSync(${JSON.stringify(FILES[`exit-${version}`])}), w.getImportObject());
        new DataView(instance.exports.memory.buffer).setUint32(0, ${code}, true);
        writeSync(1, 'before\\n');
        w.start(instance);
        writeSync(1, 'not reached\\n');`;
      for (const code of [0, 3, 42, 255]) {
        const ours = nodeScript(script(`import { WASI } from './dist/node.js';`, code));
        const theirs = nodeScript(script(`import { WASI } from 'node:wasi';`, code));
        expect({ status: ours.status, stdout: ours.stdout }).toEqual({ status: theirs.status, stdout: theirs.stdout });
        expect({ status: ours.status, stdout: ours.stdout, stderr: ours.stderr }).toEqual({ status: code, stdout: 'before\n', stderr: '' });
      }
    });
  }

  it('false, with a guest that returns from _start: start() returns 0 and the process goes on, in both', () => {
    const script = (impl: string) => `
      import { readFileSync } from 'node:fs';
      ${impl}
      const w = new WASI({ version: 'preview1', returnOnExit: false });
      const { instance } = await WebAssembly.instantiate(readFileSync(${JSON.stringify(FILES['command'])}), w.getImportObject());
      console.log('start returned', w.start(instance));`;
    const ours = nodeScript(script(`import { WASI } from './dist/node.js';`));
    const theirs = nodeScript(script(`import { WASI } from 'node:wasi';`));
    expect(ours).toEqual(theirs);
    expect(ours).toEqual({ status: 0, stdout: 'start returned 0\n', stderr: '' });
  });
});

describe('stdin / stdout / stderr', () => {
  for (const version of VERSIONS) {
    it(`${version}: default to the process's fds 0, 1 and 2 (in a child process)`, () => {
      const script = (impl: string) => `
        import { readFileSync } from 'node:fs';
        ${impl}
        const w = new WASI({ version: '${version}' });
        const { instance } = await WebAssembly.instantiate(readFileSync(${JSON.stringify(FILES[`stdio-${version}`])}), w.getImportObject());
        process.exitCode = w.start(instance);`;
      const input = 'typed on stdin\n';
      const ours = nodeScript(script(`import { WASI } from './dist/node.js';`), { input });
      const theirs = nodeScript(script(`import { WASI } from 'node:wasi';`), { input });
      expect(ours).toEqual(theirs);
      expect(ours).toEqual({ status: 0, stdout: `out\n${input}`, stderr: 'err\n' });
    });

    it(`${version}: given fds are used instead (files opened by the embedder)`, async () => {
      const run = async ([name, K]: readonly [string, WasiClass]) => {
        const at = subdir(`${name.replace(':', '-')}-${version}`);
        writeFileSync(join(at, 'in'), 'from a file\n');
        const fds = { stdin: openSync(join(at, 'in'), 'r'), stdout: openSync(join(at, 'out'), 'w'), stderr: openSync(join(at, 'err'), 'w') };
        try {
          const w = new K({ version, ...fds } as never);
          const { instance } = await WebAssembly.instantiate(readFileSync(FILES[`stdio-${version}`]!), w.getImportObject() as WebAssembly.Imports);
          const code = w.start(instance);
          return { code, out: readFileSync(join(at, 'out'), 'utf8'), err: readFileSync(join(at, 'err'), 'utf8') };
        } finally {
          for (const fd of Object.values(fds)) closeSync(fd);
        }
      };
      const ours = await run(IMPLS[1]!);
      expect(ours).toEqual(await run(IMPLS[0]!));
      expect(ours).toEqual({ code: 0, out: 'out\nfrom a file\n', err: 'err\n' });
    });
  }
});

describe('args, env and preopens reach the guest the same way', () => {
  it('args and env: String() conversion, undefined env values dropped, nothing inherited', async () => {
    const opts = { version: 'preview1' as const, args: [1, 'two words', true, null], env: { A: 1, B: undefined, C: null, D: 'x=y', E: '' } };
    const read = async (K: WasiClass) => {
      const w = new K(opts as never);
      const { instance } = await WebAssembly.instantiate((await wat('args-env')) as Uint8Array<ArrayBuffer>, w.getImportObject() as WebAssembly.Imports);
      expect(w.start(instance)).toBe(0);
      const v = new DataView((instance.exports['memory'] as WebAssembly.Memory).buffer);
      return { args: cStrings(v, 1024, v.getUint32(0, true)), env: cStrings(v, 4096, v.getUint32(8, true)), sizes: [0, 4, 8, 12].map((o) => v.getUint32(o, true)) };
    };
    const ours = await read(OURS);
    expect(ours).toEqual(await read(NODE));
    expect(ours.args).toEqual(['1', 'two words', 'true', 'null']);
    expect(ours.env).toEqual(['A=1', 'C=null', 'D=x=y', 'E=']);
  });

  // The tutorial's copy program (examples/wasi-tutorial) through both classes.
  const demo = readFileSync(join(ROOT, 'examples', 'wasi-tutorial', 'build', 'demo.wasm'));
  const copy = (K: WasiClass, root: string, preopens: Record<string, string>, to: string) => {
    const err = openSync(join(root, `stderr-${Math.random().toString(36).slice(2)}`), 'w+');
    try {
      const w = new K({ version: 'preview1', args: ['demo.wasm', `${root}/work/test.txt`, to], preopens, stderr: err } as never);
      const code = w.start(new WebAssembly.Instance(new WebAssembly.Module(demo), w.getImportObject() as WebAssembly.Imports));
      const buf = Buffer.alloc(4096);
      const n = readSync(err, buf, 0, buf.length, 0);
      return { code, stderr: buf.subarray(0, n).toString('utf8').replaceAll(root, '<root>') };
    } finally {
      closeSync(err);
    }
  };
  const layout = (name: string) => {
    const root = subdir(name);
    mkdirSync(join(root, 'work'));
    mkdirSync(join(root, 'out'));
    writeFileSync(join(root, 'work', 'test.txt'), 'hello world\n');
    return root;
  };

  it('preopens: granted directories work, a missing grant and a ".." escape are "Capabilities insufficient", in both', () => {
    for (const [name, K] of IMPLS) {
      const root = layout(`preopens-${name.replace(':', '-')}`);
      const grant = { [`${root}/work`]: `${root}/work`, [`${root}/out`]: `${root}/out` };
      expect([name, copy(K, root, grant, `${root}/out/copy.txt`)]).toEqual([name, { code: 0, stderr: '' }]);
      expect(readFileSync(join(root, 'out', 'copy.txt'), 'utf8')).toBe('hello world\n');
      expect([name, copy(K, root, {}, `${root}/out/none.txt`)])
        .toEqual([name, { code: 1, stderr: 'error opening input <root>/work/test.txt: Capabilities insufficient\n' }]);
      expect([name, copy(K, root, grant, `${root}/out/../escaped.txt`)])
        .toEqual([name, { code: 1, stderr: 'error opening output <root>/out/../escaped.txt: Capabilities insufficient\n' }]);
      // The guest name need not be the host path.
      expect([name, copy(K, root, { [`${root}/work`]: `${root}/work`, '/o': `${root}/out` }, '/o/mapped.txt')]).toEqual([name, { code: 0, stderr: '' }]);
      expect(readFileSync(join(root, 'out', 'mapped.txt'), 'utf8')).toBe('hello world\n');
    }
  });
});

describe('where we differ on purpose (docs/node-wasi.md)', () => {
  it('wasi_unstable: we serve the snapshot-0 ABI (whence 2 is SET); node:wasi serves preview1 semantics under the old name', async () => {
    const dir = subdir('unstable');
    writeFileSync(join(dir, 'f'), '0123456789');
    const src = `(module
      (import "$NS" "path_open" (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
      (import "$NS" "fd_seek" (func $seek (param i32 i64 i32 i32) (result i32)))
      (memory (export "memory") 1)
      (data (i32.const 200) "f")
      (func (export "_start")
        (i32.store (i32.const 16) (call $open (i32.const 3) (i32.const 0) (i32.const 200) (i32.const 1) (i32.const 0)
          (i64.const 6) (i64.const 0) (i32.const 0) (i32.const 0)))
        (i32.store (i32.const 20) (call $seek (i32.load (i32.const 0)) (i64.const 2) (i32.const 2) (i32.const 8)))))`;
    const seekTo = async (K: WasiClass, version: Version) => {
      const w = new K({ version, preopens: { '/d': dir } } as never);
      const { instance } = await WebAssembly.instantiate((await guest(src, version)) as Uint8Array<ArrayBuffer>, w.getImportObject() as WebAssembly.Imports);
      w.start(instance);
      const v = new DataView((instance.exports['memory'] as WebAssembly.Memory).buffer);
      return [v.getUint32(16, true), v.getUint32(20, true), Number(v.getBigUint64(8, true))];
    };
    // preview1: whence 2 is END, so offset 2 from the end of 10 bytes: both agree.
    expect(await seekTo(OURS, 'preview1')).toEqual([0, 0, 12]);
    expect(await seekTo(NODE, 'preview1')).toEqual([0, 0, 12]);
    // wasi_unstable numbers whence cur/end/set = 0/1/2: 2 is SET.
    expect(await seekTo(OURS, 'unstable')).toEqual([0, 0, 2]);
    expect(await seekTo(NODE, 'unstable')).toEqual([0, 0, 12]);
  });

  it('proc_exit above 255: node:wasi returns the number, we trap (an OS would truncate 256 to 0, success)', async () => {
    const run = async (K: WasiClass) => {
      const w = new K({ version: 'preview1' } as never);
      const { instance } = await WebAssembly.instantiate((await guest(EXIT_WITH, 'preview1')) as Uint8Array<ArrayBuffer>, w.getImportObject() as WebAssembly.Imports);
      new DataView((instance.exports['memory'] as WebAssembly.Memory).buffer).setUint32(0, 256, true);
      return outcome(() => w.start(instance));
    };
    expect(await run(NODE)).toBe('ok: 256');
    expect(await run(OURS)).toMatch(/^GuestTrap \[undefined\] exit with invalid exit status 256/);
  });

  it('random_get past the end of memory: node:wasi EOVERFLOW (61), we EFAULT (21); the good calls agree', async () => {
    const errnos = async (K: WasiClass) => {
      const w = new K({ version: 'preview1' } as never);
      const { instance } = await WebAssembly.instantiate((await wat('random')) as Uint8Array<ArrayBuffer>, w.getImportObject() as WebAssembly.Imports);
      w.start(instance);
      const v = new DataView((instance.exports['memory'] as WebAssembly.Memory).buffer);
      return [0, 4, 8].map((o) => v.getUint32(o, true));
    };
    expect(await errnos(NODE)).toEqual([0, 0, 61]);
    expect(await errnos(OURS)).toEqual([0, 0, 21]);
  });

  it('fd_close(1) in the guest: node:wasi closes the host\'s stdout, ours only the guest\'s handle', () => {
    const script = (impl: string) => `
      import { readFileSync, writeSync } from 'node:fs';
      ${impl}
      const w = new WASI({ version: 'preview1' });
      const { instance } = await WebAssembly.instantiate(readFileSync(${JSON.stringify(FILES['close-stdout'])}), w.getImportObject());
      const code = w.start(instance);
      try { writeSync(1, 'host stdout after the guest: ' + code + '\\n'); } catch (e) { writeSync(2, 'host stdout is gone: ' + e.code + '\\n'); }`;
    const ours = nodeScript(script(`import { WASI } from './dist/node.js';`));
    const theirs = nodeScript(script(`import { WASI } from 'node:wasi';`));
    expect(theirs.stdout).toBe('');
    expect(theirs.stderr).toContain('host stdout is gone: EBADF');
    expect(ours.stdout).toBe('host stdout after the guest: 8\n'); // the guest's write got EBADF (8)
    expect(ours.stderr).toBe('guest stderr after closing fd 1\n');
  });

  it('extensions node:wasi refuses: stdin as a string or bytes, stdout/stderr as a sink', async () => {
    for (const stdin of ['typed', new TextEncoder().encode('typed')]) {
      expect(bothConstruct({ version: 'preview1', stdin })[1]).toMatch(/^TypeError \[ERR_INVALID_ARG_TYPE\] The "options\.stdin" property must be of type number/);
      const out = new CaptureSink();
      const err = new CaptureSink();
      const w = new WASI({ version: 'preview1', stdin, stdout: out, stderr: err });
      const { instance } = await WebAssembly.instantiate((await guest(STDIO, 'preview1')) as Uint8Array<ArrayBuffer>, w.getImportObject());
      expect(w.start(instance)).toBe(0);
      expect([out.text(), err.text()]).toEqual(['out\ntyped', 'err\n']);
    }
    expect(bothConstruct({ version: 'preview1', stdout: new CaptureSink() })[1]).toMatch(/options\.stdout/);
  });

  it('preopen fd order follows the preopens object in both', async () => {
    const a = subdir('order-a');
    const b = subdir('order-b');
    const names = async (K: WasiClass) => {
      const fd = openSync(join(subdir('order-out'), 'stdout'), 'w+');
      try {
        const w = new K({ version: 'preview1', preopens: { '.': a, '/x': b, rel: a, '/a': b }, stdout: fd } as never);
        const { instance } = await WebAssembly.instantiate((await compileWat(SHOW)) as Uint8Array<ArrayBuffer>, w.getImportObject() as WebAssembly.Imports);
        w.start(instance);
        const buf = Buffer.alloc(1024);
        return buf.subarray(0, readSync(fd, buf, 0, buf.length, 0)).toString('utf8').split('\n').filter(Boolean);
      } finally {
        closeSync(fd);
      }
    };
    expect(await names(NODE)).toEqual(['preopen .', 'preopen /x', 'preopen rel', 'preopen /a']);
    expect(await names(OURS)).toEqual(await names(NODE));
  });

  it('a preopen whose host directory is missing: both refuse at construction; ours names the path', () => {
    const missing = join(subdir('missing'), 'nope');
    const [ours, theirs] = bothConstruct({ version: 'preview1', preopens: { '/x': missing } });
    expect(theirs).toBe('Error [UVWASI_ENOENT] UVWASI_ENOENT, uvwasi_init');
    expect(ours).toBe(`HostPathError [undefined] host directory "${missing}" does not exist`);
  });
});

describe('the spec over node:wasi: the wasi-testsuite tests it fails', () => {
  // docs/node-wasi.md lists them; tests/conformance measures them (expected-failures.ts).
  const doc = readFileSync(join(ROOT, 'docs', 'node-wasi.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Where node:wasi departs from the spec'));
  const documented = [...section.matchAll(/^\| `([a-z_-]+)` \|/gm)].map((m) => m[1]!);
  const measured = new Set(Object.keys(EXPECTED_FAILURES['node:wasi']!).map((k) => k.split(': ')[1]!.split('/')[0]!));

  it('docs/node-wasi.md lists 13 suite tests, each still a measured node:wasi failure in tests/conformance', () => {
    expect(documented).toHaveLength(13);
    expect(new Set(documented).size).toBe(13);
    for (const name of documented) expect([name, measured.has(name)]).toEqual([name, true]);
  });

  it('every suite test with a measured node:wasi failure is in that list (or noted as not in the suite)', () => {
    const extra = [...measured].filter((m) => !documented.includes(m));
    // fstflags_validate fails only on a timestamp check of ours that the suite does not make;
    // sock_shutdown is our raw-errno check beside the two suite tests; exit codes are the hangs.
    expect(extra.sort()).toEqual(['exit 134', 'exit 137', 'fstflags_validate', 'incomplete', 'sock_shutdown'].sort());
  });
});
