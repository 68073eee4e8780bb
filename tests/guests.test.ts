import { describe, expect, it } from 'vitest';
import { component, wat } from './helpers/guests.js';

describe('test guest builds', () => {
  it('compiles WAT and wraps it as a component', async () => {
    const core = await wat('hello');
    expect(WebAssembly.validate(core)).toBe(true);
    const comp = await component(core);
    // Component binaries carry layer 1 in the version field: 0d 00 01 00.
    expect([...comp.subarray(4, 8)]).toEqual([0x0d, 0x00, 0x01, 0x00]);
  });
});
