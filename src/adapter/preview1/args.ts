/**
 * args_* and environ_*: the guest's argv and environment exactly as the kernel resolved
 * them (`host.args`, `host.env`); nothing else reaches the guest. Both lists are fixed for
 * the instance's life, so they are encoded once, on first use.
 */
import { fail } from '../../virtual-fs/errors.js';
import { syscall, type Imports, type Preview1Context } from './context.js';
import { GuestMemory } from './memory.js';

/** NUL-terminated UTF-8 strings laid out back to back, as args_get / environ_get write them. */
interface StringList {
  count: number;
  buf: Uint8Array;
  /** Offset of each string inside `buf`. */
  offsets: number[];
}

function encodeList(items: readonly string[], what: string): StringList {
  const parts = items.map((s) => {
    // A NUL inside a string would split it in the guest's eyes.
    if (s.includes('\0')) fail('inval', `${what} "${s.replace(/\0/g, '\\0')}" contains a NUL byte`);
    return GuestMemory.encode(s);
  });
  const buf = new Uint8Array(parts.reduce((n, p) => n + p.byteLength + 1, 0));
  const offsets: number[] = [];
  let at = 0;
  for (const p of parts) {
    offsets.push(at);
    buf.set(p, at);
    at += p.byteLength + 1;
  }
  return { count: parts.length, buf, offsets };
}

export default function argsImports(ctx: Preview1Context): Imports {
  const { mem, kernel } = ctx;
  let args: StringList | undefined;
  let env: StringList | undefined;
  const argList = (): StringList => (args ??= encodeList(kernel.args, 'argument'));
  const envList = (): StringList => (env ??= encodeList(kernel.env.map(([k, v]) => `${k}=${v}`), 'environment entry'));

  const sizes = (list: () => StringList) => syscall(ctx, (countPtr: number, sizePtr: number) => {
    const l = list();
    mem.check(countPtr, 4);
    mem.check(sizePtr, 4);
    mem.setU32(countPtr, l.count);
    mem.setU32(sizePtr, l.buf.byteLength);
  });

  const get = (list: () => StringList) => syscall(ctx, (ptrsPtr: number, bufPtr: number) => {
    const l = list();
    // Check both ranges before writing anything, so a bad pointer leaves memory untouched.
    const ptrs = mem.check(ptrsPtr, l.count * 4);
    const base = mem.check(bufPtr, l.buf.byteLength);
    mem.write(base, l.buf);
    for (let i = 0; i < l.count; i++) mem.setU32(ptrs + i * 4, base + l.offsets[i]!);
  });

  return {
    args_sizes_get: sizes(argList),
    args_get: get(argList),
    environ_sizes_get: sizes(envList),
    environ_get: get(envList),
  };
}
