/**
 * The part of wasi-virt a bundle carries: the bundle runtime and every module it imports,
 * found by following the import statements of the compiled files in dist/ (so the list
 * can never go stale), plus their .d.ts files for TypeScript users. The CLI, the
 * snapshot builder, yargs and jco are never reached from the runtime; a package import
 * other than `node:*` and preview2-shim's (loaded lazily for sockets/http) is a bug and
 * fails compose.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The runtime's entry, relative to the dist root. */
export const RUNTIME_ENTRY = 'adapter/bundle/runtime.js';

export type Face = 'preview1' | 'preview2' | 'preview3';

/** The face modules a bundle's entry imports besides the runtime. */
export const FACE_ENTRIES: Record<Face, string> = {
  preview1: 'adapter/bundle/preview1-face.js',
  preview2: 'adapter/bundle/preview2-face.js',
  preview3: 'adapter/bundle/preview3-face.js',
};

/** Packages the runtime may import, and only lazily (the shims, for sockets/http). */
const LAZY_PACKAGES = ['@bytecodealliance/preview2-shim', '@bytecodealliance/preview3-shim'];

const SPECIFIERS = [
  /\b(?:import|export)\s+(?:type\s+)?[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g,
  /\bimport\s*['"]([^'"]+)['"]/g,
  /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  // util/import-module.ts: the dynamic imports of packages
  /\bimportModule\(\s*['"]([^'"]+)['"]\s*\)/g,
];

/**
 * The compiled wasi-virt (dist/) this module belongs to. Run from dist/, that is its
 * parent; run from the TypeScript sources (tests), the build beside them.
 */
export function distRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const parent = resolve(here, '..');
  if (existsSync(join(parent, RUNTIME_ENTRY))) return parent;
  const built = resolve(here, '..', '..', 'dist');
  if (existsSync(join(built, RUNTIME_ENTRY))) return built;
  throw new Error(`the compiled bundle runtime (${RUNTIME_ENTRY}) is missing; build wasi-virt first (npm run build)`);
}

export interface RuntimeFiles {
  /** Paths relative to the dist root: the .js files, then their .d.ts files. */
  files: string[];
  /** Packages imported lazily. */
  lazyPackages: string[];
}

function scan(text: string): string[] {
  // Comments can quote import statements; drop them before matching.
  const code = text.replace(/^\s*\/\*[\s\S]*?\*\//gm, '').replace(/^\s*\/\/.*$/gm, '');
  const out: string[] = [];
  for (const re of SPECIFIERS) for (const m of code.matchAll(re)) out.push(m[1]!);
  return out;
}

function walk(root: string, entries: string[], ext: '.js' | '.d.ts', lazy: Set<string>): string[] {
  const seen = new Set<string>();
  const queue = [...entries];
  while (queue.length > 0) {
    const rel = queue.shift()!;
    if (seen.has(rel)) continue;
    seen.add(rel);
    const file = join(root, rel);
    for (const spec of scan(readFileSync(file, 'utf8'))) {
      if (spec.startsWith('./') || spec.startsWith('../')) {
        const target = resolve(dirname(file), ext === '.js' ? spec : spec.replace(/\.js$/, '.d.ts'));
        const r = relative(root, target);
        if (r.startsWith('..') || r.includes(`..${sep}`)) throw new Error(`${rel} imports ${spec}, outside the compiled wasi-virt`);
        if (!existsSync(target)) throw new Error(`${rel} imports ${spec}, which is not in ${root}`);
        queue.push(r.split(sep).join('/'));
      } else if (!spec.startsWith('node:')) {
        const pkg = LAZY_PACKAGES.find((p) => spec === p || spec.startsWith(`${p}/`));
        if (!pkg) throw new Error(`the bundle runtime imports "${spec}" (in ${rel}); a bundle can only carry wasi-virt's own modules`);
        lazy.add(pkg);
      }
    }
  }
  return [...seen].sort();
}

/** The runtime with the given faces: every file their imports reach. */
export function runtimeFiles(faces: Face[], root: string = distRoot()): RuntimeFiles {
  const lazy = new Set<string>();
  const entries = [RUNTIME_ENTRY, ...faces.map((f) => FACE_ENTRIES[f])];
  const js = walk(root, entries, '.js', lazy);
  const dtsEntries = entries.map((e) => e.replace(/\.js$/, '.d.ts'));
  const dts = dtsEntries.every((e) => existsSync(join(root, e))) ? walk(root, dtsEntries, '.d.ts', new Set()) : [];
  return { files: [...js, ...dts], lazyPackages: [...lazy] };
}
