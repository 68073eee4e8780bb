/**
 * One waiting mechanism for both ABIs, with no spin: a guest polls a stdin that is never
 * ready together with a 20 ms clock. Before, wasi:io/poll re-checked stdin in a loop
 * (200,000 checks in 10 ms); now both faces check it every few milliseconds and sleep.
 */
import { describe, expect, it } from 'vitest';
import type { InputSource } from '../../src/adapter/kernel/index.js';
import { STREAM_SLICE_NS } from '../../src/adapter/kernel/wait.js';
import { runModule } from '../../src/adapter/preview1/run.js';
import { runComponent } from '../../src/adapter/preview2/instantiate.js';
import { wat } from '../helpers/guests.js';
import { watComponent } from '../preview2/helpers.js';

/** stdin with nothing to read yet: counts how often readiness is asked. */
class NeverReady implements InputSource {
  checks = 0;
  ready(): boolean { this.checks++; return false; }
  read(): Uint8Array | null { throw new Error('a read of a stdin that was never ready'); }
}

describe.each(['preview1', 'preview2'] as const)('%s poll on a stdin that is not ready, with a 20 ms clock', (abi) => {
  it('the clock fires; stdin is checked once per slice, not in a spin', async () => {
    const stdin = new NeverReady();
    const options = { policy: {}, stdin };
    const started = performance.now();
    const { code } = abi === 'preview1'
      ? await runModule(await wat('poll-stdin'), options)
      : await runComponent(await watComponent('poll-stdin'), options);
    const waited = performance.now() - started;
    expect(code).toBe(abi === 'preview1' ? 2 : 1); // jco's adapter collapses exit(2) to 1
    expect(waited).toBeGreaterThanOrEqual(20);
    // 20 ms in slices of 5 ms is 4 or 5 rounds (a loaded machine only makes fewer); the
    // component's adapter may ask once more outside poll.
    expect(stdin.checks).toBeGreaterThan(0);
    expect(stdin.checks).toBeLessThanOrEqual(Number(20_000_000n / STREAM_SLICE_NS) + 3);
  });

  it('a lone stream that becomes ready after 20 ms is waited for in slices too', async () => {
    const stdin = new ReadyAfter(20);
    const options = { policy: {}, stdin };
    const { code } = abi === 'preview1'
      ? await runModule(await wat('poll-stdin-only'), options)
      : await runComponent(await watComponent('poll-stdin-only'), options);
    expect(code).toBe(1);
    expect(stdin.checks).toBeGreaterThan(1);
    expect(stdin.checks).toBeLessThanOrEqual(Number(20_000_000n / STREAM_SLICE_NS) + 3);
  });
});

/** stdin that has input (end of file) from `ms` after its first readiness check. */
class ReadyAfter implements InputSource {
  checks = 0;
  private from: number | undefined;
  constructor(private readonly ms: number) {}
  ready(): boolean {
    this.checks++;
    this.from ??= performance.now() + this.ms;
    return performance.now() >= this.from;
  }
  read(): Uint8Array | null { return null; }
}
