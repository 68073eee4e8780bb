/**
 * wasi:random (random, insecure, insecure-seed) over the kernel's source: the host's
 * CSPRNG, a seeded generator in deterministic mode, or denied (a trap: these functions
 * have no error channel).
 */
import { randomDraws } from '../kernel/random.js';
import { trap, type Ctx, type Namespace } from './context.js';

export function createRandom(ctx: Ctx): Record<string, Namespace> {
  const { kernel } = ctx;
  const { bytes, u64 } = randomDraws(kernel.random, (e) => trap(ctx, e));
  return {
    'wasi:random/random': { getRandomBytes: bytes, getRandomU64: u64 },
    'wasi:random/insecure': { getInsecureRandomBytes: bytes, getInsecureRandomU64: u64 },
    'wasi:random/insecure-seed': {
      insecureSeed: (): [bigint, bigint] => {
        try {
          return kernel.random.seed();
        } catch (e) {
          throw trap(ctx, e);
        }
      },
    },
  };
}
