/**
 * Tracing: one line per host call, `interface#function(arguments) -> result`, or the
 * error code with the kernel's reason (for a policy denial, the rule; heard from the
 * conversion that turned the kernel's failure into the guest's error). Only built when a
 * host traces: untraced import objects use the plain classes and functions, so tracing
 * costs nothing when it is off.
 */
import type { WasiError } from '../../virtual-fs/errors.js';
import { ExitSignal } from '../kernel/exit.js';
import type { Classes, Namespace } from './context.js';

export function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2').toLowerCase();
}

const MAX_ITEMS = 16;
const MAX_BYTES = 32;

function fmtBytes(b: Uint8Array): string {
  let s = '';
  for (const c of b.subarray(0, MAX_BYTES)) {
    s += c === 0x5c ? '\\\\' : c === 0x22 ? '\\"' : c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : c === 10 ? '\\n' : `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return `<${b.byteLength} bytes "${s}"${b.byteLength > MAX_BYTES ? '...' : ''}>`;
}

/** A value as a trace shows it: short, one line, resources by kind and label. */
export function fmt(v: unknown, depth = 0): string {
  switch (typeof v) {
    case 'string': return JSON.stringify(v.length > 200 ? `${v.slice(0, 200)}...` : v);
    case 'bigint': return `${v}`;
    case 'number': case 'boolean': return String(v);
    case 'undefined': return 'none';
    case 'function': return `${(v as { name?: string }).name ?? 'function'}`;
    case 'symbol': return v.toString();
  }
  if (v === null) return 'null';
  if (v instanceof Uint8Array) return fmtBytes(v);
  if (ArrayBuffer.isView(v)) return `[${Array.from(v as unknown as ArrayLike<number>).join(', ')}]`;
  if (depth > 3) return '...';
  if (Array.isArray(v)) {
    const items = v.slice(0, MAX_ITEMS).map((x) => fmt(x, depth + 1));
    return `[${items.join(', ')}${v.length > MAX_ITEMS ? ', ...' : ''}]`;
  }
  const o = v as Record<string, unknown>;
  const proto = Object.getPrototypeOf(o);
  if (proto !== Object.prototype && proto !== null) {
    const label = (o['label'] ?? (o['r'] as { label?: string } | undefined)?.label ?? (o['w'] as { label?: string } | undefined)?.label) as string | undefined;
    const name = kebab(o.constructor?.name ?? 'resource');
    return label !== undefined ? `${name}(${label})` : name;
  }
  if (typeof o['tag'] === 'string') return 'val' in o && o['val'] !== undefined ? `${o['tag']}(${fmt(o['val'], depth + 1)})` : o['tag'];
  const parts: string[] = [];
  for (const [k, x] of Object.entries(o)) {
    if (x === false || x === undefined) continue;
    parts.push(x === true ? kebab(k) : `${kebab(k)}: ${fmt(x, depth + 1)}`);
  }
  return `{${parts.join(', ')}}`;
}

function fmtThrown(e: unknown, reason: string | undefined): string {
  if (e instanceof ExitSignal) return `exit ${e.code}`;
  if (e instanceof Error) return `trap: ${e.message}`;
  return `error ${fmt(e)}${reason ? ` (${reason})` : ''}`;
}

/**
 * One import object's trace: where its lines go, and the last reason heard during each
 * call in progress (a call may make another, as splice reads its source, and fail with
 * what the inner one threw). A reason is heard through `Ctx.failed`, from the conversion
 * inside the call, and ends with the call's line.
 */
export class Tracer {
  private readonly reasons: (string | undefined)[] = [];
  constructor(private readonly emit: (line: string) => void) {}

  /** For `Ctx.failed`: a kernel failure became a guest error inside the calls in progress. */
  readonly failed = (failure: WasiError): void => {
    this.reasons.fill(failure.detail);
  };

  /** Run `f` and log one line for it. */
  run<T>(label: string, args: unknown[], self: unknown, f: () => T): T {
    const line = `${label}(${[...(self === undefined ? [] : [self]), ...args].map((a) => fmt(a)).join(', ')})`;
    const depth = this.reasons.push(undefined);
    let result: T;
    try {
      result = f();
    } catch (e) {
      this.emit(`${line} -> ${fmtThrown(e, this.reasons[depth - 1])}`);
      throw e;
    } finally {
      this.reasons.length = depth - 1;
    }
    this.emit(`${line} -> ${result === undefined ? 'ok' : fmt(result)}`);
    return result;
  }
}

type Fn = (...args: unknown[]) => unknown;
type Ctor = { prototype: Record<string | symbol, unknown>; name: string } & Record<string, unknown>;

function methodNames(proto: object): string[] {
  return Object.getOwnPropertyNames(proto).filter((m) => m !== 'constructor' && typeof Object.getOwnPropertyDescriptor(proto, m)?.value === 'function');
}

/** Wrap the methods (and statics) of a class of this import object in place. */
export function traceClassInPlace(tracer: Tracer, iface: string, C: Ctor): void {
  const res = kebab(C.name);
  for (const m of methodNames(C.prototype)) {
    const orig = C.prototype[m] as Fn;
    C.prototype[m] = function (this: unknown, ...args: unknown[]) {
      return tracer.run(`${iface}#${res}.${kebab(m)}`, args, this, () => orig.apply(this, args));
    };
  }
  for (const s of Object.getOwnPropertyNames(C)) {
    if (s === 'length' || s === 'name' || s === 'prototype' || typeof C[s] !== 'function') continue;
    const orig = C[s] as Fn;
    C[s] = (...args: unknown[]) => tracer.run(`${iface}#${res}.${kebab(s)}`, args, undefined, () => orig(...args));
  }
}

/** Which interface each shared resource class belongs to, for trace lines. */
const CLASS_IFACE: Record<keyof Classes, string> = {
  IoError: 'wasi:io/error',
  Pollable: 'wasi:io/poll',
  InputStream: 'wasi:io/streams',
  OutputStream: 'wasi:io/streams',
  Descriptor: 'wasi:filesystem/types',
  DirectoryEntryStream: 'wasi:filesystem/types',
  TerminalInput: 'wasi:cli/terminal-input',
  TerminalOutput: 'wasi:cli/terminal-output',
};

/**
 * Traced subclasses of the shared resource classes: the import object hands these to jco
 * and every module creates resources through them, so instanceof holds and the shared
 * classes stay untouched for untraced hosts.
 */
export function tracedClasses(tracer: Tracer, base: Classes): Classes {
  const out = {} as Record<keyof Classes, unknown>;
  for (const key of Object.keys(base) as (keyof Classes)[]) {
    const B = base[key] as unknown as new (...a: unknown[]) => object;
    const Sub = class extends B {};
    Object.defineProperty(Sub, 'name', { value: B.name });
    for (const m of methodNames(B.prototype)) {
      const orig = B.prototype[m as keyof object] as unknown as Fn;
      (Sub.prototype as Record<string, unknown>)[m] = function (this: unknown, ...args: unknown[]) {
        return tracer.run(`${CLASS_IFACE[key]}#${kebab(B.name)}.${kebab(m)}`, args, this, () => orig.apply(this, args));
      };
    }
    out[key] = Sub;
  }
  return out as unknown as Classes;
}

/**
 * Trace one namespace: its functions are replaced by tracing wrappers, and classes
 * made for this import object alone (passthrough twins, denied placeholders) are traced
 * in place. Shared classes (already traced subclasses) are left alone.
 */
export function traceNamespace(tracer: Tracer, iface: string, ns: Namespace, shared: Set<unknown>): Namespace {
  const out: Namespace = {};
  for (const [k, v] of Object.entries(ns)) {
    if (typeof v !== 'function') {
      out[k] = v;
    } else if (/^[A-Z]/.test(k) && (v as { prototype?: unknown }).prototype) {
      if (!shared.has(v)) traceClassInPlace(tracer, iface, v as unknown as Ctor);
      out[k] = v;
    } else {
      const f = v as Fn;
      const label = `${iface}#${kebab(k)}`;
      out[k] = (...args: unknown[]) => tracer.run(label, args, undefined, () => f(...args));
    }
  }
  return out;
}
