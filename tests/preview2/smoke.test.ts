import { describe, expect, it } from 'vitest';
import { runGuest, watComponent } from './helpers.js';

describe('smoke', () => {
  it('hello', async () => {
    const r = await runGuest(await watComponent('hello'), {});
    expect(r).toMatchObject({ code: 0, stdout: 'hello from wasi\n' });
  });
});
