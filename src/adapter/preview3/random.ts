/**
 * wasi:random@0.3 (random, insecure, insecure-seed) over the kernel's source: the host's
 * CSPRNG, a seeded generator in deterministic mode, or denied (a trap: no error channel).
 * 0.3 renamed `insecure-seed` to `get-insecure-seed`; the rest is as in 0.2.
 */
import { randomDraws } from '../kernel/random.js';
import { trap, type Ctx } from './context.js';

export function createRandom(ctx: Ctx): Record<string, Record<string, unknown>> {
  const { kernel } = ctx;
  const { bytes, u64 } = randomDraws(kernel.random, (e) => trap(e));
  // "Meant to be called once": every call of one instance answers the same pair.
  let seed: [bigint, bigint] | undefined;
  return {
    'wasi:random/random': { getRandomBytes: bytes, getRandomU64: u64 },
    'wasi:random/insecure': { getInsecureRandomBytes: bytes, getInsecureRandomU64: u64 },
    'wasi:random/insecure-seed': {
      getInsecureSeed: (): [bigint, bigint] => {
        try {
          seed ??= kernel.random.seed();
          return [seed[0], seed[1]];
        } catch (e) {
          throw trap(e);
        }
      },
    },
  };
}
