/**
 * The package's neutral entry (src/index.ts, what a browser bundle takes) must not reach
 * any `node:*` module through its static import graph; Node-only pieces live behind
 * src/node.ts. Nor may a composed bundle's runtime (its entry and faces): it loads in a
 * page, and reaches the Node host only by a dynamic import behind a runtime check
 * (src/adapter/bundle/host.ts). This walks the real sources, so a stray import fails here,
 * not in a bundler or a browser.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/guests.js';

const IMPORT = /^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;

function graph(entry: string): { files: Set<string>; bare: Map<string, string> } {
  const files = new Set<string>();
  const bare = new Map<string, string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(IMPORT)) {
      const spec = m[1]!;
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      else bare.set(spec, file);
    }
  };
  visit(entry);
  return { files, bare };
}

describe('neutral entry', () => {
  it('imports nothing from node:* (directly or transitively)', () => {
    const { files, bare } = graph(join(ROOT, 'src', 'index.ts'));
    expect(files.size).toBeGreaterThan(5);
    const nodeImports = [...bare].filter(([spec]) => spec.startsWith('node:') || ['fs', 'path', 'os', 'crypto', 'child_process'].includes(spec));
    expect(nodeImports).toEqual([]);
  });

  it('nor does a bundle\'s runtime, with either face; the Node host is reached only dynamically', () => {
    const bundle = join(ROOT, 'src', 'adapter', 'bundle');
    const { files, bare } = graph(join(bundle, 'runtime.ts'));
    for (const face of ['preview1-face.ts', 'preview2-face.ts']) {
      const g = graph(join(bundle, face));
      for (const f of g.files) files.add(f);
      for (const [k, v] of g.bare) bare.set(k, v);
    }
    expect([...bare]).toEqual([]);
    expect(files).not.toContain(join(bundle, 'node-host.ts'));
    expect(readFileSync(join(bundle, 'host.ts'), 'utf8')).toMatch(/await import\('\.\/node-host\.js'\)/);
  });
});
