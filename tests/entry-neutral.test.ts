/**
 * The package's neutral entry (src/index.ts, what a browser bundle takes) must not reach
 * any `node:*` module through its static import graph; Node-only pieces live behind
 * src/node.ts. This walks the real sources, so a stray import fails here, not in a bundler.
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
});
