/**
 * The component import/export reader against jco's own decoder (componentWit) on real
 * components, on hand-written components of every extern kind, and on broken input.
 */
import { describe, expect, test } from 'vitest';
import { component, wat } from '../helpers/guests.js';
import { ComponentFormatError, readComponent, splitVersion } from '../../src/inspect/component-binary.js';

async function jco() {
  return import('@bytecodealliance/jco');
}

/** The `import X;` / `export X;` lines of jco's WIT for a component. */
async function witItems(bytes: Uint8Array): Promise<{ imports: string[]; exports: string[] }> {
  const wit = await (await jco()).componentWit(bytes);
  const pick = (kw: string) => [...wit.matchAll(new RegExp(`^\\s*${kw} ([^;:\\s]+:[^;\\s]+);`, 'gm'))].map((m) => m[1]!);
  return { imports: pick('import'), exports: pick('export') };
}

describe('readComponent', () => {
  test.each(['hello', 'compose-cat', 'inspect-imports'])('matches jco on the %s guest wrapped as a component', async (name) => {
    const bytes = await component(await wat(name));
    const got = readComponent(bytes);
    const want = await witItems(bytes);
    expect(got.imports.map((i) => i.name)).toEqual(want.imports);
    expect(got.imports.every((i) => i.kind === 'instance')).toBe(true);
    expect(got.exports).toEqual([{ name: 'wasi:cli/run@0.2.12', kind: 'instance' }]);
  });

  test('every extern kind, in order; a nested component\'s imports are not the top level\'s', async () => {
    const bytes = await (await jco()).parse(`(component
      (import "wasi:sockets/tcp@0.2.3" (instance))
      (import "f" (func))
      (import "r" (type (sub resource)))
      (import "m" (core module))
      (import "c" (component))
      (type $t (instance))
      (import "my:pkg/thing" (instance (type $t)))
      (component $inner (import "nested:x/y" (instance)))
      (export "e" (func 0))
      (export "inner" (component $inner)))`);
    expect(readComponent(bytes)).toEqual({
      imports: [
        { name: 'wasi:sockets/tcp@0.2.3', kind: 'instance' },
        { name: 'f', kind: 'func' },
        { name: 'r', kind: 'type' },
        { name: 'm', kind: 'module' },
        { name: 'c', kind: 'component' },
        { name: 'my:pkg/thing', kind: 'instance' },
      ],
      exports: [{ name: 'e', kind: 'func' }, { name: 'inner', kind: 'component' }],
    });
  });

  test('names with the older 0x01 prefix read the same', () => {
    const name = new TextEncoder().encode('wasi:cli/stdout@0.2.0');
    const body = [1, 0x01, name.length, ...name, 0x05, 0x00];
    const bytes = new Uint8Array([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0, 10, body.length, ...body]);
    expect(readComponent(bytes).imports).toEqual([{ name: 'wasi:cli/stdout@0.2.0', kind: 'instance' }]);
  });

  test('broken input is one ComponentFormatError line', async () => {
    const good = await component(await wat('hello'));
    const cases: [Uint8Array, RegExp][] = [
      [good.subarray(0, 40), /^malformed component: (section \d+ runs past the end of the file|unexpected end) at byte \d+$/],
      [new Uint8Array([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0, 10, 0x03, 1, 0, 0x20]), /^malformed component: name runs past its section at byte 13$/],
      [new Uint8Array([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0, 10, 0x04, 1, 0, 0, 0x09]), /^malformed component: unknown extern kind 0x9 at byte 14$/],
      [new Uint8Array([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0, 10, 0x04, 1, 0, 0, 0x05]), /^malformed component: unexpected end at byte 14$/],
      [new Uint8Array([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0, 10, 0x06, 1, 0, 0, 0x05, 0, 7]), /^malformed component: section 10 has 1 bytes left over at byte 15$/],
      [await wat('hello'), /^a core module, not a component$/],
      [new TextEncoder().encode('(component)'), /^not a WebAssembly binary/],
    ];
    for (const [bytes, msg] of cases) {
      let err: unknown;
      try {
        readComponent(bytes);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ComponentFormatError);
      expect((err as Error).message).toMatch(msg);
    }
  });

  test('splitVersion keeps the version apart', () => {
    expect(splitVersion('wasi:cli/environment@0.2.12')).toEqual({ interface: 'wasi:cli/environment', version: '0.2.12' });
    expect(splitVersion('wasi:config/store@0.2.0-draft')).toEqual({ interface: 'wasi:config/store', version: '0.2.0-draft' });
    expect(splitVersion('my:pkg/thing')).toEqual({ interface: 'my:pkg/thing' });
  });
});
