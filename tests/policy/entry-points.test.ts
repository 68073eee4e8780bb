/**
 * One policy, one meaning: every entry point that takes a policy reads it through the
 * one validator, so a WASI-Virt boolean denies everywhere and a misspelled key or value
 * is refused everywhere with the same one-line error naming it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CaptureSink, Kernel } from '../../src/adapter/kernel/index.js';
import { createPreview1 } from '../../src/adapter/preview1/index.js';
import { runModule as runModuleNeutral } from '../../src/adapter/preview1/run.js';
import { instantiateComponent, runComponent } from '../../src/adapter/preview2/instantiate.js';
import { composeBundle } from '../../src/compose/bundle.js';
import { inspectApp } from '../../src/inspect/report.js';
import { PolicyError } from '../../src/policy/errors.js';
import type { Policy } from '../../src/policy/types.js';
import { WASI, runModule } from '../../src/wasi.js';
import { WasiVirt } from '../../src/wasi-virt.js';
import { c, component, wat } from '../helpers/guests.js';

const work = mkdtempSync(join(tmpdir(), 'wv-entry-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const BAD: [unknown, string][] = [
  [{ clokcs: 'deny' }, 'unknown key "clokcs" (did you mean "clocks"?)'],
  [{ clocks: 'sometimes' }, 'clocks: expected "allow", "deny", "deterministic"'],
  [{ env: { hots: 'none' } }, 'env: unknown key "hots" (did you mean "host"?)'],
];

/** Each entry point, started with `policy`; resolves when the policy was accepted. */
const ENTRIES: Record<string, (policy: unknown) => Promise<unknown>> = {
  'WASI class': async (policy) => new WASI({ version: 'preview1', policy: policy as Policy }),
  'runModule (node)': async (policy) => runModule(await wat('hello'), { policy: policy as Policy, stdout: new CaptureSink() }),
  'runModule (neutral)': async (policy) => runModuleNeutral(await wat('hello'), { policy: policy as Policy, stdout: new CaptureSink() }),
  runComponent: async (policy) => runComponent(await component(await wat('hello')), { policy: policy as Policy, stdout: new CaptureSink() }),
  instantiateComponent: async (policy) => instantiateComponent(await component(await wat('hello')), new Kernel({ policy: policy as Policy })),
  Kernel: async (policy) => new Kernel({ policy: policy as Policy }),
  createPreview1: async (policy) => createPreview1(new Kernel({ policy: policy as Policy })),
  'WasiVirt.fromJSON': async (policy) => WasiVirt.fromJSON(policy),
  'new WasiVirt': async (policy) => new WasiVirt(policy as Policy),
  composeBundle: async (policy) => composeBundle({ policy: policy as Policy, out: join(work, 'bundle') }),
  inspectApp: async (policy) => inspectApp({ file: 'hello.wasm', kind: 'module', bytes: await wat('hello'), policy: policy as Policy }),
};

describe('every entry point validates its policy the same way', () => {
  for (const [name, start] of Object.entries(ENTRIES)) {
    it(`${name} refuses a misspelled key or value with the validator's one line`, async () => {
      for (const [policy, message] of BAD) {
        const err = await start(policy).then(() => undefined, (e: unknown) => e);
        expect(err, `${name} ${JSON.stringify(policy)}`).toBeInstanceOf(PolicyError);
        expect((err as Error).message).toContain(message);
        expect((err as Error).message).not.toContain('\n');
      }
    });
  }
});

describe('a WASI-Virt boolean means the same in every entry point', () => {
  const clocksErrno = (memory: WebAssembly.Memory) => new DataView(memory.buffer).getUint32(0, true);

  it('WASI class: { clocks: false, random: false } denies both, as WasiVirt.fromJSON does', async () => {
    const policy = { clocks: false, random: false } as unknown as Policy;
    for (const guest of ['clocks', 'random']) {
      const w = new WASI({ version: 'preview1', policy });
      const { instance } = await WebAssembly.instantiate(await wat(guest), w.getImportObject());
      w.start(instance);
      expect(clocksErrno(instance.exports['memory'] as WebAssembly.Memory), guest).toBe(76);

      const p1 = WasiVirt.fromJSON(policy).preview1();
      const other = await WebAssembly.instantiate(await wat(guest), p1.imports);
      p1.start(other.instance);
      expect(clocksErrno(other.instance.exports['memory'] as WebAssembly.Memory), guest).toBe(76);
    }
  });

  it('Kernel keeps the canonical form, whatever spelling it was given', () => {
    const kernel = new Kernel({ policy: { clocks: false, exit: true, stdio: {} } as unknown as Policy });
    expect(kernel.policy).toEqual({ clocks: 'deny', exit: 'allow', stdio: { stdin: 'allow', stdout: 'allow', stderr: 'allow' } });
    kernel.dispose();
  });
});

describe('runModule without a policy', () => {
  it('runs with nothing virtualized (no TypeError)', async () => {
    const stdout = new CaptureSink();
    expect(await runModule(await wat('hello'), { stdout })).toEqual({ code: 0 });
    expect(stdout.text()).not.toBe('');
    const neutral = new CaptureSink();
    expect(await runModuleNeutral(c('p1_write_stdout'), { stdout: neutral })).toEqual({ code: 0 });
    expect(neutral.text()).not.toBe('');
  });
});
