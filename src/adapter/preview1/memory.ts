/**
 * Guest memory access for preview1 calls. Every pointer and length the guest passes is
 * checked against the memory's current size before use (out of range: `fault`, which
 * the call returns as EFAULT, never a host exception). Views are refreshed when the
 * memory grows (growth detaches the old ArrayBuffer), so a call that grows memory
 * mid-way (through a guest callback it cannot make, or a host allocation) stays safe.
 *
 * Reading `memory.buffer` costs more than the rest of a small call, so the views are
 * refreshed only when a check fails against them: growth of an ordinary memory detaches
 * the old buffer (its views' length drops to 0) and growth of a shared one only adds
 * bytes past the old end, so a range that fits the current view is always valid.
 */
import { fail } from '../../virtual-fs/errors.js';

const decoder = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();
/** Up to this many bytes a string is decoded by a loop (see GuestMemory.string). */
const SHORT_STRING = 16;

export class GuestMemory {
  private memory: WebAssembly.Memory | undefined;
  private buffer: ArrayBuffer | SharedArrayBuffer | undefined;
  private dv = new DataView(new ArrayBuffer(0));
  private u8 = new Uint8Array(0);
  /**
   * The last view `bytes` made, for the guest passing the same buffer again (a read loop
   * does, every call): a view is an allocation, and a 4 KiB host read costs ~1 µs in all.
   * Valid while `lastOf` is still the current view (growth replaces it).
   */
  private last = new Uint8Array(0);
  private lastOf = this.u8;
  private lastPtr = -1;

  bind(memory: WebAssembly.Memory): void {
    this.memory = memory;
    this.buffer = undefined;
    this.dv = new DataView(new ArrayBuffer(0));
    this.u8 = new Uint8Array(0);
  }

  private refresh(): void {
    const m = this.memory;
    if (!m) fail('fault', 'guest memory is not bound (start() or initialize() not called)');
    if (m.buffer !== this.buffer) {
      this.buffer = m.buffer;
      this.dv = new DataView(m.buffer);
      this.u8 = new Uint8Array(m.buffer);
    }
  }

  /** Throw `fault` unless [ptr, ptr+len) lies inside memory. Pointers arrive as signed i32. */
  check(ptr: number, len: number): number {
    const p = ptr >>> 0;
    const end = p + (len >>> 0);
    // A detached view has length 0, so `end > length` catches growth too (except for an
    // empty range at 0, hence the second test). `length`, not `byteLength`: the same
    // number for bytes, but V8 answers `byteLength` of a view on wasm memory far slower.
    if (end > this.u8.length || this.u8.length === 0) {
      this.refresh();
      if (end > this.u8.length) fail('fault', `guest range ${p}+${len >>> 0} is outside memory (${this.u8.length} bytes)`);
    }
    return p;
  }

  /**
   * Throw `fault` unless `count` elements of `size` bytes fit at ptr. Done before anything
   * is allocated for a guest-supplied count, so a huge count costs nothing (the product
   * may exceed 2^32, which `check` would wrap).
   */
  checkArray(ptr: number, count: number, size: number): number {
    const p = ptr >>> 0;
    const end = p + (count >>> 0) * size;
    if (end > this.u8.length || this.u8.length === 0) {
      this.refresh();
      if (end > this.u8.length) fail('fault', `guest array ${p}+${count >>> 0}x${size} is outside memory (${this.u8.length} bytes)`);
    }
    return p;
  }

  /** A live view of guest bytes (no copy). Re-fetch after anything that may grow memory. */
  bytes(ptr: number, len: number): Uint8Array {
    const p = this.check(ptr, len);
    const n = len >>> 0;
    // `length`, not `byteLength`: see check().
    if (p === this.lastPtr && this.lastOf === this.u8 && this.last.length === n) return this.last;
    const view = this.u8.subarray(p, p + n);
    this.last = view;
    this.lastOf = this.u8;
    this.lastPtr = p;
    return view;
  }

  /**
   * The DataView over all of memory once [ptr, ptr+len) is checked, for a run of stores
   * at fixed offsets from `ptr >>> 0` (a struct) without one check per field.
   */
  viewAt(ptr: number, len: number): DataView {
    this.check(ptr, len);
    return this.dv;
  }

  /** The Uint8Array over all of memory once [ptr, ptr+len) is checked (see viewAt). */
  bytesAt(ptr: number, len: number): Uint8Array {
    this.check(ptr, len);
    return this.u8;
  }

  // check() runs first in each accessor: it may swap in fresh views after memory growth,
  // and `this.dv.getX(this.check(...))` would read the old (detached) view.
  u8At(ptr: number): number { const p = this.check(ptr, 1); return this.u8[p]!; }
  u16(ptr: number): number { const p = this.check(ptr, 2); return this.dv.getUint16(p, true); }
  u32(ptr: number): number { const p = this.check(ptr, 4); return this.dv.getUint32(p, true); }
  u64(ptr: number): bigint { const p = this.check(ptr, 8); return this.dv.getBigUint64(p, true); }
  i64(ptr: number): bigint { const p = this.check(ptr, 8); return this.dv.getBigInt64(p, true); }

  setU8(ptr: number, v: number): void { const p = this.check(ptr, 1); this.u8[p] = v; }
  setU16(ptr: number, v: number): void { const p = this.check(ptr, 2); this.dv.setUint16(p, v, true); }
  setU32(ptr: number, v: number): void { const p = this.check(ptr, 4); this.dv.setUint32(p, v >>> 0, true); }
  // setBigUint64 itself takes a value modulo 2^64 (ToBigUint64), negative ones included.
  setU64(ptr: number, v: bigint): void { const p = this.check(ptr, 8); this.dv.setBigUint64(p, v, true); }

  /** A UTF-8 string the guest passed (a path): invalid UTF-8 is `ilseq`. */
  string(ptr: number, len: number): string {
    // A short ASCII name (most paths a guest passes) is built directly: TextDecoder's call
    // and the view it needs cost ~3x a loop of this length. Longer ones decode faster.
    const n = len >>> 0;
    if (n <= SHORT_STRING) {
      const p = this.check(ptr, n);
      const u8 = this.u8;
      let s = '';
      for (let i = 0; i < n; i++) {
        const b = u8[p + i]!;
        if (b >= 0x80) return this.decode(p, n);
        s += String.fromCharCode(b);
      }
      return s;
    }
    return this.decode(ptr, n);
  }

  private decode(ptr: number, len: number): string {
    const p = this.check(ptr, len);
    let bytes = this.u8.subarray(p, p + len);
    // TextDecoder refuses views of shared memory (a threaded guest's): decode a copy.
    if (!(bytes.buffer instanceof ArrayBuffer)) bytes = bytes.slice();
    try {
      return decoder.decode(bytes);
    } catch {
      return fail('ilseq', 'string is not valid UTF-8');
    }
  }

  /** Copy `src` into guest memory at ptr (checked). */
  write(ptr: number, src: Uint8Array): void {
    const p = this.check(ptr, src.byteLength);
    this.u8.set(src, p);
  }

  /** UTF-8 bytes of `s` (for sizing before writing). */
  static encode(s: string): Uint8Array {
    return encoder.encode(s);
  }
}
