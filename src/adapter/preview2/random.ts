/**
 * wasi:random (random, insecure, insecure-seed) over the kernel's source: the host's
 * CSPRNG, a seeded generator in deterministic mode, or denied (a trap: these functions
 * have no error channel).
 */
import { trap, type Ctx, type Namespace } from './context.js';

const MAX_BYTES = 0x7fff_ffffn;

export function createRandom(ctx: Ctx): Record<string, Namespace> {
  const { host } = ctx;
  const bytes = (len: bigint): Uint8Array => {
    try {
      if (len > MAX_BYTES) throw new Error(`wasi:random: ${len} bytes asked for at once`);
      const out = new Uint8Array(Number(len));
      host.random.fill(out);
      return out;
    } catch (e) {
      throw trap(ctx, e);
    }
  };
  const u64 = (): bigint => {
    const b = bytes(8n);
    return new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true);
  };
  return {
    'wasi:random/random': { getRandomBytes: bytes, getRandomU64: u64 },
    'wasi:random/insecure': { getInsecureRandomBytes: bytes, getInsecureRandomU64: u64 },
    'wasi:random/insecure-seed': {
      insecureSeed: (): [bigint, bigint] => {
        try {
          return host.random.seed();
        } catch (e) {
          throw trap(ctx, e);
        }
      },
    },
  };
}
