/**
 * The import graph of the real sources, read as text: what structure tests walk to check
 * the layering (tests/architecture.test.ts, tests/entry-neutral.test.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ROOT } from './guests.js';

/** One import of a source file: static, re-export or dynamic `import()`, type-only or not. */
export interface Import {
  /** As written. */
  spec: string;
  /** For a relative spec, the imported file relative to the repository root, as `src/...ts`. */
  file?: string;
  typeOnly: boolean;
}

const STATIC = /^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Every import of one file (path relative to the repository root). */
export function importsOf(file: string): Import[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const out: Import[] = [];
  const add = (spec: string, typeOnly: boolean): void => {
    const target = spec.startsWith('.') ? relative(ROOT, resolve(ROOT, dirname(file), spec.replace(/\.js$/, '.ts'))) : undefined;
    out.push({ spec, file: target?.split('\\').join('/'), typeOnly });
  };
  for (const m of text.matchAll(STATIC)) add(m[3]!, m[2] !== undefined);
  for (const m of text.matchAll(DYNAMIC)) add(m[1]!, false);
  return out;
}

/** Every .ts file under `dir` (relative to the repository root). */
export function sourceFiles(dir = 'src'): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: false })
    .map((f) => `${dir}/${String(f).split('\\').join('/')}`)
    .filter((f) => f.endsWith('.ts'))
    .sort();
}

/**
 * The files a module reaches by static, non-type imports (what loading it evaluates), and
 * the bare specifiers (packages, `node:*`) among them with the file that names each.
 */
export function staticGraph(entry: string): { files: Set<string>; bare: Map<string, string> } {
  const files = new Set<string>();
  const bare = new Map<string, string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    const text = readFileSync(join(ROOT, file), 'utf8');
    for (const m of text.matchAll(STATIC)) {
      if (m[2] !== undefined) continue;
      const spec = m[3]!;
      if (spec.startsWith('.')) visit(relative(ROOT, resolve(ROOT, dirname(file), spec.replace(/\.js$/, '.ts'))).split('\\').join('/'));
      else bare.set(spec, file);
    }
  };
  visit(entry);
  return { files, bare };
}
