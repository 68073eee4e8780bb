/**
 * One trap family and one decision on how a run ended: host-raised traps are
 * WebAssembly.RuntimeErrors, exported from the package; the same failure ends the same
 * way from either ABI and through runModule, runComponent and reportFailure (what `run`
 * and a bundle's main use).
 */
import { describe, expect, it } from 'vitest';
import * as api from '../../src/node.js';
import { runEnding, exitStatus, INTERNAL_EXIT, TRAP_EXIT, USAGE_EXIT } from '../../src/index.js';
import { GuestTrap, LimitTrap, PolicyTrap, type OutputSink } from '../../src/adapter/kernel/index.js';
import { runModule } from '../../src/adapter/preview1/run.js';
import { runComponent } from '../../src/adapter/preview2/instantiate.js';
import { compileWat, wat } from '../helpers/guests.js';
import { watComponent } from '../preview2/helpers.js';

const failure = (p: Promise<unknown>): Promise<unknown> => p.then(() => { throw new Error('expected a failure'); }, (e: unknown) => e);


const RAISE = (sig: number) => `(module
  (import "wasi_snapshot_preview1" "proc_raise" (func $raise (param i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start") (drop (call $raise (i32.const ${sig})))))`;
const EXIT = (code: number) => `(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start") (call $exit (i32.const ${code}))))`;

describe('the trap family', () => {
  it('is exported, and every host-raised trap is a WebAssembly.RuntimeError', async () => {
    expect(api.GuestTrap).toBe(GuestTrap);
    expect(api.PolicyTrap).toBe(PolicyTrap);
    expect(api.LimitTrap).toBe(LimitTrap);
    const raised = await failure(runModule(await compileWat(RAISE(15)), { policy: {} }));
    const exit256 = await failure(runModule(await compileWat(EXIT(256)), { policy: {} }));
    const denied = await failure(runModule(await compileWat(EXIT(3)), { policy: { exit: 'deny' } }));
    for (const e of [raised, exit256, denied]) {
      expect(e).toBeInstanceOf(WebAssembly.RuntimeError);
      expect(e).toBeInstanceOf(GuestTrap);
    }
    expect(denied).toBeInstanceOf(PolicyTrap);
    expect(raised).not.toBeInstanceOf(PolicyTrap);
    expect(runEnding(raised)).toMatchObject({ how: 'trap', message: 'proc_raise(SIGTERM): the guest raised a fatal signal' });
    expect(runEnding(denied)).toMatchObject({ how: 'trap', message: expect.stringMatching(/^denied by policy: exit = "deny"/) });
    expect(runEnding(denied)).not.toHaveProperty('where');
  });
});

describe('how a run ended', () => {
  const broken: OutputSink = { write() { throw new Error('the sink broke'); }, flush() {} };

  it('a host Error during a guest call is wasi-virt\'s failure on both ABIs (not a trap on one, bad input on the other)', async () => {
    const core = await failure(runModule(await wat('hello'), { policy: {}, stdout: broken }));
    const comp = await failure(runComponent(await watComponent('hello'), { policy: {}, stdout: broken }));
    for (const e of [core, comp]) {
      expect((e as Error).message).toBe('the sink broke');
      expect(runEnding(e)).toMatchObject({ how: 'failed', message: 'the sink broke' });
      expect(exitStatus(runEnding(e))).toBe(INTERNAL_EXIT);
    }
  });

  it('an engine trap is a trap naming its function; bad input is refused; an exit is its code', async () => {
    const trap = await failure(runModule(await wat('trap'), { policy: {} }));
    expect(runEnding(trap)).toMatchObject({ how: 'trap' });
    expect(exitStatus(runEnding(trap))).toBe(TRAP_EXIT);
    const link = await failure(runModule(await wat('import-env'), { policy: {} }));
    expect(runEnding(link)).toMatchObject({ how: 'refused' });
    expect(exitStatus(runEnding(link))).toBe(USAGE_EXIT);
    const noMount = await failure(runModule(await wat('hello'), { policy: { fs: { 'host-preopens': false, preopens: { '/': { 'runtime-dir': '/no/such/dir' } } } } }));
    expect(exitStatus(runEnding(noMount))).toBe(USAGE_EXIT);
    expect(runEnding(new api.ExitSignal(7))).toEqual({ how: 'exit', code: 7 });
  });
});
