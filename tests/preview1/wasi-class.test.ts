/**
 * The drop-in WASI class beyond node:wasi: the `policy` option and the sinks. Its
 * node:wasi contract (constructor, start, initialize, returnOnExit, stdio fds, both
 * versions) is checked side by side with node:wasi in tests/parity/node-wasi.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { CaptureSink } from '../../src/adapter/kernel/index.js';
import { WASI } from '../../src/wasi.js';
import { wat } from '../helpers/guests.js';
import { cStrings } from './p1-helpers.js';

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
    // Buffer.from may hand out a slice of its shared pool: read through the slice's offset.
    const first = Buffer.from(a[0]!, 'hex');
    expect(new DataView(first.buffer, first.byteOffset, first.length).getBigUint64(64, true)).toBe(946684800000000000n);
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
