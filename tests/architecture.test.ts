/**
 * The layering of docs/architecture.md, checked on the real sources: a stray import fails
 * here instead of growing into a cycle. Type-only and dynamic imports count too (a type
 * import still ties one room to another). The neutral entry's own rule (no `node:*` in
 * its graph) is tests/entry-neutral.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/guests.js';
import { importsOf, sourceFiles } from './helpers/import-graph.js';

const SRC = sourceFiles('src');

/** `from → to` for every import from a file matching `from` into a file matching `to`. */
function crossings(from: (f: string) => boolean, to: (f: string) => boolean): string[] {
  const out: string[] = [];
  for (const f of SRC.filter(from)) {
    for (const i of importsOf(f)) if (i.file !== undefined && to(i.file)) out.push(`${f} → ${i.file}`);
  }
  return out;
}

const under = (dir: string) => (f: string): boolean => f.startsWith(`${dir}/`);
const not = (p: (f: string) => boolean) => (f: string): boolean => !p(f);

describe('architecture', () => {
  it('walks the real sources', () => {
    expect(SRC.length).toBeGreaterThan(80);
    expect(importsOf('src/cli/program.ts').some((i) => i.file === 'src/cli/run.ts')).toBe(true);
  });

  it('nothing outside src/cli imports src/cli', () => {
    expect(crossings(not(under('src/cli')), under('src/cli'))).toEqual([]);
  });

  it('the preview1 and preview2 faces never import each other', () => {
    expect(crossings(under('src/adapter/preview1'), under('src/adapter/preview2'))).toEqual([]);
    expect(crossings(under('src/adapter/preview2'), under('src/adapter/preview1'))).toEqual([]);
  });

  it('the kernel imports no face and no runner (faces sit on it, not the other way)', () => {
    expect(crossings(under('src/adapter/kernel'), (f) => f.startsWith('src/adapter/') && !under('src/adapter/kernel')(f))).toEqual([]);
  });

  it('virtual-fs never imports adapter (the kernel and faces sit above it)', () => {
    expect(crossings(under('src/virtual-fs'), under('src/adapter'))).toEqual([]);
  });

  it('util imports nothing else of wasi-virt (every room may use it)', () => {
    expect(crossings(under('src/util'), not(under('src/util')))).toEqual([]);
  });

  it('a dynamic import of anything but our own modules goes through util/import-module.ts', () => {
    // The one-script builds (scripts/build-one-script.mjs) hand that module the loader's
    // import(); any other import() of a package or a computed specifier fails at run time.
    const stray: string[] = [];
    // util/one-script.ts is the loader that hands over its import().
    for (const f of SRC.filter((x) => x !== 'src/util/import-module.ts' && x !== 'src/util/one-script.ts')) {
      const code = readFileSync(join(ROOT, f), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/^\s*\/\/.*$/gm, '')
        .replace(/typeof import\(/g, '');
      for (const m of code.matchAll(/\bimport\(\s*([^)]*)\)/g)) if (!/^['"]\.\.?\//.test(m[1]!)) stray.push(`${f}: import(${m[1]})`);
    }
    expect(stray).toEqual([]);
  });

  it('policy imports neither virtual-fs nor adapter (it is plain data and its checks)', () => {
    expect(crossings(under('src/policy'), (f) => under('src/adapter')(f) || under('src/virtual-fs')(f))).toEqual([]);
  });
});
