/**
 * `--debug` on WASI 0.3 programs (Node 26): the 0.3 stdio, clock and random calls each get
 * a line labelled with the 0.3 interface, async ones when they settle, streams with the
 * bytes that went through them. Deterministic clocks and a seeded random make the lines
 * exact.
 */
import { describe, expect, it } from 'vitest';
import { runProgram } from './helpers.js';

/** The trace lines of the 0.3 interfaces, in order (a line may follow the guest's own stderr bytes). */
const lines3 = (stderr: string): string[] => stderr.split('\n').filter((l) => l.includes('[wasi-virt] '))
  .map((l) => l.slice(l.indexOf('[wasi-virt] ') + 12)).filter((l) => l.includes('@0.3#'));

describe('--debug traces the 0.3 calls', () => {
  it('clocks: now and the waits, each wait when it has ended', async () => {
    const r = await runProgram('monotonic-clock', { flags: ['--debug', '--deterministic'] });
    expect(r.code).toBe(0);
    expect(lines3(r.stderr).slice(0, 4)).toEqual([
      'wasi:clocks/monotonic-clock@0.3#now() -> 0',
      'wasi:clocks/monotonic-clock@0.3#wait-for(1000000) -> ok',
      'wasi:clocks/monotonic-clock@0.3#now() -> 2000000',
      'wasi:clocks/monotonic-clock@0.3#wait-for(0) -> ok',
    ]);
  });

  it('stdio: stdin handed out as a stream and its end; the guest\'s writes with their bytes', async () => {
    const r = await runProgram('cli-stdio', { flags: ['--debug'] });
    expect(r.code).toBe(0);
    expect(lines3(r.stderr)).toEqual([
      'wasi:cli/stdin@0.3#read-via-stream() -> stream',
      'wasi:cli/stdin@0.3#read-via-stream() stream ended -> ok, <0 bytes "">',
      'wasi:cli/stdout@0.3#write-via-stream(stream) -> ok, <1 bytes "\\x00">',
      'wasi:cli/stderr@0.3#write-via-stream(stream) -> ok, <1 bytes "\\x00">',
    ]);
  });

  it('random: the seeded bytes and numbers the guest got', async () => {
    const r = await runProgram('random', { flags: ['--debug', '--deterministic=7'] });
    expect(r.code).toBe(0);
    const lines = lines3(r.stderr);
    // Seed 7's stream starts as it does for every ABI (tests/web/fixtures.ts: 2022dc3b...).
    expect(lines[0]).toMatch(/^wasi:random\/random@0\.3#get-random-bytes\(100\) -> <100 bytes " \\"\\xdc;\\xef\\xa9!\\x83/);
    expect(lines.some((l) => /^wasi:random\/random@0\.3#get-random-u64\(\) -> \d+$/.test(l))).toBe(true);
    expect(lines.some((l) => /^wasi:random\/insecure-seed@0\.3#get-insecure-seed\(\) -> \[\d+, \d+\]$/.test(l))).toBe(true);
  });

  it('without --debug nothing is traced', async () => {
    const r = await runProgram('monotonic-clock', { flags: ['--deterministic'] });
    expect(r).toMatchObject({ code: 0, stderr: '' });
  });
});
