/**
 * The library API on a WASI 0.3 command: runComponent (the one preview2 users call) hands
 * it to runComponent3, which needs JSPI. Under `npm test` (Node 20) that is the clear
 * refusal; on a JSPI engine (`npx vitest` runs Node 26) the program runs and captures.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaptureSink } from '../../src/adapter/kernel/index.js';
import { runComponent } from '../../src/adapter/preview2/instantiate.js';
import { hasJspi, JspiMissingError } from '../../src/adapter/preview3/instantiate.js';
import { SUITE } from './helpers.js';

describe('runComponent on a WASI 0.3 command', () => {
  const bytes = new Uint8Array(readFileSync(join(SUITE, 'cli-stdio.wasm')));

  it.runIf(!hasJspi())('without JSPI: rejects with JspiMissingError, saying what is needed', async () => {
    await expect(runComponent(bytes, { policy: {} })).rejects.toThrow(JspiMissingError);
    await expect(runComponent(bytes, { policy: {} })).rejects.toThrow(/needs JSPI \(WebAssembly\.Suspending\).*Node >= 25/);
  });

  it.runIf(hasJspi())('with JSPI: runs the 0.3 export (not the 0.2 stub), stdout captured by the kernel', async () => {
    const stdout = new CaptureSink();
    const { code } = await runComponent(bytes, { policy: {}, stdout });
    expect(code).toBe(0);
    expect(stdout.bytes()).toEqual(new Uint8Array([0]));
  });
});
