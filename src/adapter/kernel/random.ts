/**
 * Random bytes for random_get and wasi:random: the host's CSPRNG, a seeded generator
 * (deterministic mode: the same seed gives the same bytes on every host), or denied.
 */
import type { RandomPolicy } from '../../policy/types.js';
import { fail } from '../../virtual-fs/errors.js';

/** The seed of `random = { deterministic = {} }`. */
export const DEFAULT_SEED = 0;

export interface RandomSource {
  fill(dst: Uint8Array): void;
  /** Two u64 values for wasi:random/insecure-seed. */
  seed(): [bigint, bigint];
}

/** xoshiro128** seeded through splitmix32: small, fast, and well distributed. */
export class SeededRandom implements RandomSource {
  private s = new Uint32Array(4);
  constructor(seed: number) {
    let x = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      this.s[i] = (z ^ (z >>> 16)) >>> 0;
    }
  }
  next(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5), 7), 9) >>> 0;
    const t = s[1]! << 9;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  }
  fill(dst: Uint8Array): void {
    let i = 0;
    for (; i + 4 <= dst.length; i += 4) {
      const v = this.next();
      dst[i] = v; dst[i + 1] = v >>> 8; dst[i + 2] = v >>> 16; dst[i + 3] = v >>> 24;
    }
    if (i < dst.length) {
      let v = this.next();
      for (; i < dst.length; i++, v >>>= 8) dst[i] = v;
    }
  }
  seed(): [bigint, bigint] {
    const b = new Uint8Array(16);
    this.fill(b);
    const dv = new DataView(b.buffer);
    return [dv.getBigUint64(0, true), dv.getBigUint64(8, true)];
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

export class CryptoRandom implements RandomSource {
  fill(dst: Uint8Array): void {
    // getRandomValues takes at most 65,536 bytes a call, and no shared memory (a
    // threaded guest's): fill a private chunk then.
    const shared = !(dst.buffer instanceof ArrayBuffer);
    for (let i = 0; i < dst.length; i += 65536) {
      const end = Math.min(dst.length, i + 65536);
      const chunk = (shared ? new Uint8Array(end - i) : dst.subarray(i, end)) as Uint8Array<ArrayBuffer>;
      globalThis.crypto.getRandomValues(chunk);
      if (shared) dst.set(chunk, i);
    }
  }
  seed(): [bigint, bigint] {
    const b = new BigUint64Array(2);
    globalThis.crypto.getRandomValues(b);
    return [b[0]!, b[1]!];
  }
}

class DeniedRandom implements RandomSource {
  fill(): void { fail('notcapable', 'denied by policy: random = "deny"'); }
  seed(): [bigint, bigint] { return fail('notcapable', 'denied by policy: random = "deny"'); }
}

export function randomFor(policy: RandomPolicy | undefined): RandomSource {
  if (policy === 'deny') return new DeniedRandom();
  if (policy && typeof policy === 'object') return new SeededRandom(policy.deterministic.seed ?? DEFAULT_SEED);
  return new CryptoRandom();
}

/** The largest single draw either WASI random face hands out. */
const MAX_DRAW = 0x7fff_ffffn;

/**
 * The byte and u64 draws both component faces (wasi:random 0.2 and 0.3) serve. They have no
 * error channel: `trap` turns a denial (or an oversized draw) into the face's trap.
 */
export function randomDraws(source: RandomSource, trap: (e: unknown) => unknown) {
  const bytes = (len: bigint): Uint8Array => {
    try {
      if (len > MAX_DRAW) throw new Error(`wasi:random: ${len} bytes asked for at once`);
      const out = new Uint8Array(Number(len));
      source.fill(out);
      return out;
    } catch (e) {
      throw trap(e);
    }
  };
  const u64 = (): bigint => {
    const b = bytes(8n);
    return new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true);
  };
  return { bytes, u64 };
}
