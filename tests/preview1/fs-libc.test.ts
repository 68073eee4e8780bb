/**
 * wasi-libc programs (tests/components/c/p1core_*.c) under our preview1 face, side by side
 * with node:wasi on an identical temp dir: where node:wasi is right, the transcripts match.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { c } from '../helpers/guests.js';
import { run, tempDir } from './fs-harness.js';
import { runNodeWasi } from './node-wasi.js';

let ours: { path: string; cleanup: () => void };
let theirs: { path: string; cleanup: () => void };
beforeEach(() => { ours = tempDir(); theirs = tempDir(); });
afterEach(() => { ours.cleanup(); theirs.cleanup(); });

describe('wasi-libc programs, ours vs node:wasi', () => {
  it('p1core_fs: the same transcript of file, directory and link calls', async () => {
    const guest = c('p1core_fs');
    const a = await run(guest, { dirs: { '/work': ours.path }, args: ['p1core_fs', '/work'] });
    const b = runNodeWasi(guest, ['p1core_fs', '/work'], { '/work': theirs.path });
    console.log(a.stdout);
    expect(a.code).toBe(0);
    expect(a.stdout.split('\n')).toEqual(b.stdout.split('\n'));
  });
});
