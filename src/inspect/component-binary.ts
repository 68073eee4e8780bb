/**
 * The top-level imports and exports of a component, read straight from the binary
 * (component-model Binary.md: sections 10 and 11). Only those two sections are decoded;
 * every other section, nested components and core modules included, is skipped by its
 * size, so this costs microseconds where transpiling to read `imports` costs ~0.5 s.
 *
 * Names keep their version (`wasi:cli/environment@0.2.12`): the version is part of the
 * name string in the binary.
 */

export type ExternKind = 'module' | 'func' | 'value' | 'type' | 'component' | 'instance';

export interface ComponentItem {
  name: string;
  kind: ExternKind;
}

export interface ComponentSummary {
  imports: ComponentItem[];
  exports: ComponentItem[];
}

/** Bytes that are not a well-formed component: one line saying where. */
export class ComponentFormatError extends Error {
  readonly userFacing = true;
  constructor(message: string) {
    super(message);
    this.name = 'ComponentFormatError';
  }
}

const SECTION_IMPORT = 10;
const SECTION_EXPORT = 11;
const SORTS: Record<number, ExternKind> = { 0x01: 'func', 0x02: 'value', 0x03: 'type', 0x04: 'component', 0x05: 'instance' };

class Reader {
  constructor(readonly bytes: Uint8Array, public at: number, readonly end: number) {}

  fail(what: string): never {
    throw new ComponentFormatError(`malformed component: ${what} at byte ${this.at}`);
  }

  byte(): number {
    if (this.at >= this.end) this.fail('unexpected end');
    return this.bytes[this.at++]!;
  }

  u32(): number {
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) {
        if (result > 0xffffffff) this.fail('integer too large');
        return result;
      }
    }
    return this.fail('integer too long');
  }

  /** A signed LEB128 of up to 33 bits (a valtype: a primitive code or a type index). */
  s33(): void {
    for (let i = 0; i < 5; i++) if ((this.byte() & 0x80) === 0) return;
    this.fail('integer too long');
  }

  string(): string {
    const len = this.u32();
    if (len > this.end - this.at) this.fail('name runs past its section');
    const s = this.bytes.subarray(this.at, this.at + len);
    this.at += len;
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(s);
    } catch {
      return this.fail('name is not UTF-8');
    }
  }

  /**
   * importname' / exportname': 0x00 or 0x01 (older binaries used 0x01 for interface
   * names; the string says it all now) then the name; 0x02 adds name options
   * (`implements`, version suffix), skipped.
   */
  externName(): string {
    const tag = this.byte();
    if (tag > 0x02) this.fail(`unknown name prefix 0x${tag.toString(16)}`);
    const name = this.string();
    if (tag === 0x02) {
      const n = this.u32();
      for (let i = 0; i < n; i++) {
        this.byte();
        this.string();
      }
    }
    return name;
  }

  externDesc(): ExternKind {
    const tag = this.byte();
    switch (tag) {
      case 0x00:
        if (this.byte() !== 0x11) this.fail('core extern other than a module');
        this.u32();
        return 'module';
      case 0x01: case 0x04: case 0x05:
        this.u32();
        return SORTS[tag]!;
      case 0x02:
        this.s33();
        return 'value';
      case 0x03: {
        const bound = this.byte();
        if (bound === 0x00) this.u32();
        else if (bound !== 0x01) this.fail(`unknown type bound 0x${bound.toString(16)}`);
        return 'type';
      }
      default:
        return this.fail(`unknown extern kind 0x${tag.toString(16)}`);
    }
  }

  /** sortidx: a sort (0x00 + core sort, or a component sort) and an index. */
  sortIdx(): ExternKind {
    const sort = this.byte();
    let kind: ExternKind | undefined;
    if (sort === 0x00) {
      kind = this.byte() === 0x11 ? 'module' : undefined;
    } else kind = SORTS[sort];
    if (!kind) this.fail(`unknown sort 0x${sort.toString(16)}`);
    this.u32();
    return kind;
  }
}

/** Top-level imports and exports of a component, in binary order. */
export function readComponent(bytes: Uint8Array): ComponentSummary {
  if (bytes.byteLength < 8 || bytes[0] !== 0x00 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    throw new ComponentFormatError('not a WebAssembly binary (bad magic)');
  }
  if (bytes[6] !== 0x01 || bytes[7] !== 0x00) throw new ComponentFormatError('a core module, not a component');
  const imports: ComponentItem[] = [];
  const exports: ComponentItem[] = [];
  const top = new Reader(bytes, 8, bytes.byteLength);
  while (top.at < top.end) {
    const id = top.byte();
    const size = top.u32();
    if (size > top.end - top.at) top.fail(`section ${id} runs past the end of the file`);
    const body = new Reader(bytes, top.at, top.at + size);
    top.at += size;
    if (id === SECTION_IMPORT) {
      const n = body.u32();
      for (let i = 0; i < n; i++) {
        const name = body.externName();
        imports.push({ name, kind: body.externDesc() });
      }
    } else if (id === SECTION_EXPORT) {
      const n = body.u32();
      for (let i = 0; i < n; i++) {
        const name = body.externName();
        const kind = body.sortIdx();
        if (body.byte() === 0x01) body.externDesc();
        exports.push({ name, kind });
      }
    } else continue;
    if (body.at !== body.end) body.fail(`section ${id} has ${body.end - body.at} bytes left over`);
  }
  return { imports, exports };
}

export interface InterfaceName {
  /** `wasi:cli/environment` */
  interface: string;
  /** `0.2.12`, when the name carries one. */
  version?: string;
}

/** Split `ns:pkg/iface@ver` into the unversioned interface and the version. */
export function splitVersion(name: string): InterfaceName {
  const at = name.indexOf('@');
  return at < 0 ? { interface: name } : { interface: name.slice(0, at), version: name.slice(at + 1) };
}
