/**
 * The bridge to preview2-shim for allowed sockets and http. jco checks every returned
 * resource against the classes of this import object, so the shim's objects never reach
 * the guest directly: its streams, pollables and errors become our wasi:io resources
 * with a delegate that forwards to the shim object, and each of its other classes
 * (TcpSocket, Fields, ...) gets a generated twin that forwards every method. Arguments
 * coming back from the guest are unwrapped to the shim objects before the call.
 */
import { PolicyTrap } from '../kernel/traps.js';
import type { Ctx, Namespace } from './context.js';
import type {
  InputStream, Pollable, PollSource, Reader, Writer,
} from './io.js';
import type { AnyClass, NetworkProvider } from './network-types.js';

const INNER = Symbol('shim object');
const dispose = Symbol.dispose;

type Obj = Record<string | symbol, unknown>;

/** A pollable of the shim. */
class ShimPoll implements PollSource {
  constructor(readonly shim: Obj) {}
  ready(): boolean { return (this.shim['ready'] as () => boolean).call(this.shim); }
  block(): void { (this.shim['block'] as () => void).call(this.shim); }
  dispose(): void { (this.shim[dispose] as (() => void) | undefined)?.call(this.shim); }
}

export class Bridge {
  private readonly wrap = new Map<unknown, (inner: Obj) => unknown>();

  constructor(readonly ctx: Ctx, readonly net: NetworkProvider) {
    const { cls } = ctx;
    const io = net.io;
    this.wrap.set(io.InputStream, (s) => new cls.InputStream(new ShimReader(this, s)));
    this.wrap.set(io.OutputStream, (s) => new cls.OutputStream(new ShimWriter(this, s)));
    this.wrap.set(io.Pollable, (p) => this.pollable(p));
    this.wrap.set(io.Error, (e) => new cls.IoError(undefined, e as unknown as { toDebugString(): string }));
  }

  pollable(p: Obj): Pollable {
    return new this.ctx.cls.Pollable(new ShimPoll(p));
  }

  /** A value from the shim, on its way to the guest. */
  out(v: unknown): unknown {
    if (v === null || typeof v !== 'object') return v;
    const make = this.wrap.get((v as object).constructor);
    if (make) return make(v as Obj);
    if (Array.isArray(v)) return v.map((x) => this.out(x));
    if (ArrayBuffer.isView(v)) return v;
    const o = v as Obj;
    if (typeof o['tag'] === 'string' && 'val' in o) return { tag: o['tag'], val: this.out(o['val']) };
    return v;
  }

  /** A value from the guest, on its way to the shim. */
  in(v: unknown): unknown {
    if (v === null || typeof v !== 'object') return v;
    const o = v as Obj;
    if (INNER in o) return o[INNER];
    const { cls } = this.ctx;
    if (v instanceof cls.InputStream && v.r instanceof ShimReader) return v.r.shim;
    if (v instanceof cls.OutputStream && v.w instanceof ShimWriter) return v.w.shim;
    if (v instanceof cls.Pollable && v.src instanceof ShimPoll) return v.src.shim;
    if (v instanceof cls.IoError && v.shim) return v.shim;
    if (Array.isArray(v)) return v.map((x) => this.in(x));
    return v;
  }

  /** Call into the shim: arguments unwrapped, result and thrown error values wrapped. */
  call(f: () => unknown): unknown {
    let r: unknown;
    try {
      r = f();
    } catch (e) {
      throw this.out(e);
    }
    return this.out(r);
  }

  /** A twin of a shim class: same methods and statics, each forwarding to the shim. */
  twin(Shim: AnyClass): AnyClass {
    const bridge = this;
    const S = Shim as unknown as (new (...a: unknown[]) => Obj) & Obj;
    const Twin = class {
      constructor(...args: unknown[]) {
        try {
          (this as unknown as Obj)[INNER] = new S(...args.map((a) => bridge.in(a)));
        } catch (e) {
          throw bridge.out(e);
        }
      }
    } as unknown as AnyClass & Obj;
    Object.defineProperty(Twin, 'name', { value: Shim.name });
    const proto = Twin.prototype as Obj;
    for (const m of Object.getOwnPropertyNames(Shim.prototype)) {
      const d = Object.getOwnPropertyDescriptor(Shim.prototype, m);
      if (m === 'constructor' || typeof d?.value !== 'function') continue;
      proto[m] = function (this: Obj, ...args: unknown[]) {
        const inner = this[INNER] as Obj;
        return bridge.call(() => (inner[m] as (...a: unknown[]) => unknown)(...args.map((a) => bridge.in(a))));
      };
    }
    proto[dispose] = function (this: Obj) {
      const inner = this[INNER] as Obj;
      (inner[dispose] as (() => void) | undefined)?.call(inner);
    };
    for (const s of Object.getOwnPropertyNames(Shim)) {
      if (s === 'length' || s === 'name' || s === 'prototype' || typeof S[s] !== 'function') continue;
      Twin[s] = (...args: unknown[]) => bridge.call(() => (S[s] as (...a: unknown[]) => unknown)(...args.map((a) => bridge.in(a))));
    }
    this.wrap.set(Shim, (inner) => {
      const o = Object.create(Twin.prototype) as Obj;
      o[INNER] = inner;
      return o;
    });
    return Twin;
  }

  /**
   * One shim namespace as ours: classes become twins, functions forward. `override`
   * replaces members that need more than forwarding (error-code functions).
   */
  namespace(ns: Record<string, unknown>, override: Namespace = {}): Namespace {
    const out: Namespace = {};
    for (const [k, v] of Object.entries(ns)) {
      if (k in override) continue;
      if (typeof v !== 'function') continue;
      if (/^[A-Z]/.test(k) && (v as AnyClass).prototype) out[k] = this.twin(v as AnyClass);
      else out[k] = (...args: unknown[]) => this.call(() => (v as (...a: unknown[]) => unknown)(...args.map((a) => this.in(a))));
    }
    return Object.assign(out, override);
  }
}

/** An input stream of the shim (a socket, an http body). */
class ShimReader implements Reader {
  constructor(private readonly bridge: Bridge, readonly shim: Obj) {}
  readonly label = 'network';
  private m(name: string, ...args: unknown[]): unknown {
    return this.bridge.call(() => (this.shim[name] as (...a: unknown[]) => unknown).apply(this.shim, args));
  }
  read(len: bigint): Uint8Array { return this.m('read', len) as Uint8Array; }
  blockingRead(len: bigint): Uint8Array { return this.m('blockingRead', len) as Uint8Array; }
  skip(len: bigint): bigint { return this.m('skip', len) as bigint; }
  blockingSkip(len: bigint): bigint { return this.m('blockingSkip', len) as bigint; }
  subscribe(): Pollable { return this.m('subscribe') as Pollable; }
  ready(): boolean { return withPoll(this.subscribe(), (p) => p.ready()); }
  block(): void { withPoll(this.subscribe(), (p) => p.block()); }
  dispose(): void { (this.shim[dispose] as (() => void) | undefined)?.call(this.shim); }
}

/** An output stream of the shim. */
class ShimWriter implements Writer {
  constructor(private readonly bridge: Bridge, readonly shim: Obj) {}
  readonly label = 'network';
  private m(name: string, ...args: unknown[]): unknown {
    return this.bridge.call(() => (this.shim[name] as (...a: unknown[]) => unknown).apply(this.shim, args));
  }
  checkWrite(): bigint { return this.m('checkWrite') as bigint; }
  write(bytes: Uint8Array): void { this.m('write', bytes); }
  blockingWriteAndFlush(bytes: Uint8Array): void { this.m('blockingWriteAndFlush', bytes); }
  flush(): void { this.m('flush'); }
  blockingFlush(): void { this.m('blockingFlush'); }
  writeZeroes(len: bigint): void { this.m('writeZeroes', len); }
  blockingWriteZeroesAndFlush(len: bigint): void { this.m('blockingWriteZeroesAndFlush', len); }
  splice(src: InputStream, len: bigint): bigint {
    if (src.r instanceof ShimReader) return this.m('splice', src.r.shim, len) as bigint;
    const bytes = src.read(len);
    this.write(bytes);
    return BigInt(bytes.byteLength);
  }
  blockingSplice(src: InputStream, len: bigint): bigint {
    if (src.r instanceof ShimReader) return this.m('blockingSplice', src.r.shim, len) as bigint;
    const bytes = src.blockingRead(len);
    this.blockingWriteAndFlush(bytes);
    return BigInt(bytes.byteLength);
  }
  subscribe(): Pollable { return this.m('subscribe') as Pollable; }
  ready(): boolean { return withPoll(this.subscribe(), (p) => p.ready()); }
  block(): void { withPoll(this.subscribe(), (p) => p.block()); }
  dispose(): void { (this.shim[dispose] as (() => void) | undefined)?.call(this.shim); }
}

function withPoll<T>(p: Pollable, f: (p: Pollable) => T): T {
  try {
    return f(p);
  } finally {
    p[Symbol.dispose]();
  }
}

/** A resource class the guest cannot obtain or construct while its subsystem is denied. */
export function deniedClass(name: string, rule: string): AnyClass {
  const C = class {
    constructor() {
      throw new PolicyTrap(`${rule} (the guest tried to construct ${name})`);
    }
  };
  Object.defineProperty(C, 'name', { value: name });
  return C;
}
