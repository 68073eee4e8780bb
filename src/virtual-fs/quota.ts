/**
 * A byte budget shared by every file that draws on it (the policy's `limits.write-bytes`
 * for host files, `stdout-bytes` / `stderr-bytes` for stdio). A write takes what it needs;
 * the last write before the budget runs out is cut short (as POSIX cuts a write at
 * RLIMIT_FSIZE), and a write with nothing left fails with `dquot` (EDQUOT; `quota` in
 * preview2), which the guest sees as an ordinary error.
 */
import { fail } from './errors.js';

export class ByteQuota {
  private used = 0;
  constructor(readonly limit: number, private readonly what: string) {}

  /** How many of `n` bytes may be written now (at least 1 when n > 0); throws when none may. */
  take(n: number): number {
    if (n === 0) return 0;
    const left = this.limit - this.used;
    if (left <= 0) fail('dquot', `${this.what} is used up (${this.limit} bytes)`);
    const granted = Math.min(n, left);
    this.used += granted;
    return granted;
  }

  /** Bytes a short write took but did not write go back. */
  refund(n: number): void {
    this.used -= n;
  }
}
