/**
 * The drop-in WASI class against node:wasi itself: every constructor, start and
 * initialize rule is run through both and must throw the same error (class, code,
 * message), in the same order, and count as started the same way.
 */
import { WASI as NodeWASI } from 'node:wasi';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CaptureSink } from '../../src/adapter/host/index.js';
import { WASI } from '../../src/wasi.js';
import { compileWat, wat } from '../helpers/guests.js';
import { cStrings } from './p1-helpers.js';
import { ensureBuilt, node } from './cli-helper.js';

type Outcome = string;

function outcome(f: () => unknown): Outcome {
  try {
    return `ok: ${String(f())}`;
  } catch (e) {
    const err = e as Error & { code?: string };
    return `${err.constructor.name} [${err.code}] ${err.message}`;
  }
}

const MODULES: Record<string, string> = {
  command: '(module (memory (export "memory") 1) (func (export "_start")))',
  reactor: '(module (memory (export "memory") 1) (func (export "_initialize")))',
  library: '(module (memory (export "memory") 1))',
  both: '(module (memory (export "memory") 1) (func (export "_start")) (func (export "_initialize")))',
  'no memory': '(module (func (export "_start")))',
  'memory is a global': '(module (global (export "memory") i32 (i32.const 0)) (func (export "_start")))',
  'no memory, no entry': '(module)',
  '_start is a global': '(module (memory (export "memory") 1) (global (export "_start") i32 (i32.const 0)))',
  '_initialize is a global': '(module (memory (export "memory") 1) (global (export "_initialize") i32 (i32.const 0)))',
};

const instances: Record<string, WebAssembly.Instance> = {};
beforeAll(async () => {
  for (const [name, src] of Object.entries(MODULES)) {
    instances[name] = (await WebAssembly.instantiate((await compileWat(src)) as Uint8Array<ArrayBuffer>, {})).instance;
  }
});

describe('start / initialize rules, side by side with node:wasi', () => {
  for (const name of Object.keys(MODULES)) {
    for (const method of ['start', 'initialize'] as const) {
      it(`${method}() on ${name}, then again`, () => {
        const theirs = new NodeWASI({ version: 'preview1' });
        const ours = new WASI({ version: 'preview1' });
        const run = (w: { start(i: WebAssembly.Instance): unknown; initialize(i: WebAssembly.Instance): unknown }) =>
          [outcome(() => w[method](instances[name]!)), outcome(() => w[method](instances[name]!))];
        expect(run(ours)).toEqual(run(theirs));
      });
    }
  }

  it('start() then initialize() (and the reverse) is "already started" in both', () => {
    for (const [first, second] of [['start', 'initialize'], ['initialize', 'start']] as const) {
      const theirs = new NodeWASI({ version: 'preview1' });
      const ours = new WASI({ version: 'preview1' });
      const inst = first === 'start' ? instances['command']! : instances['reactor']!;
      const run = (w: NodeWASI | WASI) => [outcome(() => w[first](inst)), outcome(() => w[second](inst))];
      expect(run(ours)).toEqual(run(theirs));
    }
  });

  it('bad instances: undefined, null, a number, no exports, null exports, plain objects', () => {
    const mem = new WebAssembly.Memory({ initial: 1 });
    const cases: unknown[] = [undefined, null, 5, 'x', {}, { exports: null }, { exports: 5 },
      { exports: { memory: mem, _start: () => {} } }, { exports: { memory: mem, _start: () => { throw new Error('boom'); } } }];
    for (const c of cases) {
      const theirs = new NodeWASI({ version: 'preview1' });
      const ours = new WASI({ version: 'preview1' });
      const run = (w: NodeWASI | WASI) => [outcome(() => w.start(c as WebAssembly.Instance)), outcome(() => w.start(c as WebAssembly.Instance))];
      expect(run(ours)).toEqual(run(theirs));
    }
  });

  it('constructor validation matches', () => {
    const cases: unknown[] = [undefined, null, 5, {}, { version: 5 }, { version: 'x' }, { version: 'preview2' },
      { version: 'preview1', args: 'a' }, { version: 'preview1', args: {} }, { version: 'preview1', env: 5 }, { version: 'preview1', env: null },
      { version: 'preview1', preopens: 3 }, { version: 'preview1', stdout: -1 }, { version: 'preview1', stderr: 2 ** 31 },
      { version: 'preview1', stdout: 1.5 }, { version: 'preview1', stdout: 'x' }, { version: 'preview1', returnOnExit: 1 },
      { version: 'preview1', returnOnExit: false }, { version: 'unstable', args: [1, 'b'], env: { A: 1 } }];
    for (const c of cases) {
      const mk = (K: new (o: never) => unknown) => outcome(() => { new K(c as never); return 'constructed'; });
      expect([c, mk(WASI as never)]).toEqual([c, mk(NodeWASI as never)]);
    }
  });
});

describe('the rest of the node:wasi surface', () => {
  it('getImportObject and wasiImport: same namespace and the same 46 functions', () => {
    for (const version of ['preview1', 'unstable'] as const) {
      const ours = new WASI({ version }).getImportObject();
      const theirs = new NodeWASI({ version }).getImportObject();
      expect(Object.keys(ours)).toEqual(Object.keys(theirs));
      const ns = Object.keys(theirs)[0]!;
      expect(Object.keys(ours[ns]!).sort()).toEqual(Object.keys((theirs as Record<string, object>)[ns]!).sort());
    }
    const w = new WASI({ version: 'preview1' });
    expect(w.getImportObject()['wasi_snapshot_preview1']).toBe(w.wasiImport);
  });

  it('args and env are converted as node:wasi converts them (String(), undefined dropped, nothing inherited)', async () => {
    const opts = { version: 'preview1' as const, args: [1, 'two words', true], env: { A: 1, B: undefined, C: null, D: 'x=y' } };
    const guest = await wat('args-env');
    const read = async (w: NodeWASI | WASI) => {
      const { instance } = await WebAssembly.instantiate(guest as Uint8Array<ArrayBuffer>, w.getImportObject() as WebAssembly.Imports);
      expect(w.start(instance)).toBe(0);
      const v = new DataView((instance.exports['memory'] as WebAssembly.Memory).buffer);
      return { args: cStrings(v, 1024, v.getUint32(0, true)), env: cStrings(v, 4096, v.getUint32(8, true)), sizes: [0, 4, 8, 12].map((o) => v.getUint32(o, true)) };
    };
    const ours = await read(new WASI(opts as never));
    expect(ours).toEqual(await read(new NodeWASI(opts as never)));
    expect(ours.env).toEqual(['A=1', 'C=null', 'D=x=y']);
  });

  it('returnOnExit (default true) returns the exit code from start()', async () => {
    const guest = await wat('exit-code');
    for (const code of [0, 7, 255]) {
      const w = new WASI({ version: 'preview1' });
      const { instance } = await WebAssembly.instantiate(guest as Uint8Array<ArrayBuffer>, w.getImportObject());
      new DataView((instance.exports['memory'] as WebAssembly.Memory).buffer).setUint32(0, code, true);
      expect(w.start(instance)).toBe(code);
    }
  });

  it('returnOnExit: false ends the process with the guest code, as node:wasi does', async () => {
    ensureBuilt();
    const dir = mkdtempSync(join(tmpdir(), 'wasi-class-'));
    const file = join(dir, 'exit.wasm');
    writeFileSync(file, await wat('exit-code'));
    const script = (impl: string) => `
      import { readFileSync } from 'node:fs';
      ${impl}
      const w = new WASI({ version: 'preview1', returnOnExit: false });
      const { instance } = await WebAssembly.instantiate(readFileSync(${JSON.stringify(file)}), w.getImportObject());
      new DataView(instance.exports.memory.buffer).setUint32(0, 42, true);
      w.start(instance);
      console.log('not reached');`;
    const ours = node(script(`import { WASI } from './dist/node.js';`));
    const theirs = node(script(`import { WASI } from 'node:wasi';`));
    expect(theirs.status).toBe(42);
    expect(ours.status).toBe(42);
    expect(ours.stdout).toBe('');
  });
});

describe('beyond node:wasi: the policy option', () => {
  it('deterministic clocks and random through a policy give identical runs', async () => {
    const guestClocks = await wat('clocks');
    const guestRandom = await wat('random');
    const policy = { clocks: { deterministic: {} }, random: { deterministic: { seed: 7 } } } as const;
    const snapshot = async () => {
      const parts: string[] = [];
      for (const guest of [guestClocks, guestRandom]) {
        const w = new WASI({ version: 'preview1', policy });
        const { instance } = await WebAssembly.instantiate(guest as Uint8Array<ArrayBuffer>, w.getImportObject());
        w.start(instance);
        parts.push(Buffer.from(new Uint8Array((instance.exports['memory'] as WebAssembly.Memory).buffer, 0, 2048)).toString('hex'));
      }
      return parts;
    };
    const a = await snapshot();
    expect(a).toEqual(await snapshot());
    // 2000-01-01T00:00:00Z is the default deterministic start.
    expect(new DataView(Buffer.from(a[0]!, 'hex').buffer).getBigUint64(64, true)).toBe(946684800000000000n);
  });

  it('a policy env rule filters the env option; without an env option nothing is inherited unless the policy has a rule', async () => {
    const guest = await wat('args-env');
    const envOf = async (w: WASI) => {
      const { instance } = await WebAssembly.instantiate(guest as Uint8Array<ArrayBuffer>, w.getImportObject());
      w.start(instance);
      const v = new DataView((instance.exports['memory'] as WebAssembly.Memory).buffer);
      return cStrings(v, 4096, v.getUint32(8, true));
    };
    expect(await envOf(new WASI({ version: 'preview1', env: { A: '1', B: '2' }, policy: { env: { host: { allow: ['B'] }, overrides: [['C', '3']] } } })))
      .toEqual(['C=3', 'B=2']);
    expect(await envOf(new WASI({ version: 'preview1', policy: { clocks: 'allow' } }))).toEqual([]);
    process.env['WASI_VIRT_CLASS_TEST'] = 'seen';
    try {
      expect(await envOf(new WASI({ version: 'preview1', policy: { env: { host: { allow: ['WASI_VIRT_CLASS_TEST'] }, overrides: [] } } })))
        .toEqual(['WASI_VIRT_CLASS_TEST=seen']);
    } finally {
      delete process.env['WASI_VIRT_CLASS_TEST'];
    }
  });

  it('a policy denial shows as the errno, and stdout can be a CaptureSink', async () => {
    const out = new CaptureSink();
    const w = new WASI({ version: 'preview1', stdout: out, policy: { clocks: 'deny' } });
    const { instance } = await WebAssembly.instantiate((await wat('clocks')) as Uint8Array<ArrayBuffer>, w.getImportObject());
    w.start(instance);
    expect(new DataView((instance.exports['memory'] as WebAssembly.Memory).buffer).getUint32(0, true)).toBe(76);
    const hello = new WASI({ version: 'preview1', stdout: out });
    const h = await WebAssembly.instantiate((await wat('hello')) as Uint8Array<ArrayBuffer>, hello.getImportObject());
    expect(hello.start(h.instance)).toBe(0);
    expect(out.text()).toBe('hello from wasi\n');
  });

  it('preopens given while the policy refuses host preopens: one clear error', () => {
    expect(() => new WASI({ version: 'preview1', preopens: { '/x': '/tmp' }, policy: { fs: { 'host-preopens': false, preopens: {} } } }))
      .toThrow(/denies host preopens/);
  });
});
