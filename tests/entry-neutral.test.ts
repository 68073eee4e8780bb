/**
 * The package's neutral entry (src/index.ts, what a browser bundle takes) must not reach
 * any `node:*` module through its static import graph; Node-only pieces live behind
 * src/node.ts. Nor may a composed bundle's runtime (its entry and faces): it loads in a
 * page, and reaches the Node host only by a dynamic import behind a runtime check
 * (src/adapter/bundle/host.ts). This walks the real sources, so a stray import fails here,
 * not in a bundler or a browser.
 */
import { describe, expect, it } from 'vitest';
import { importsOf, staticGraph } from './helpers/import-graph.js';

describe('neutral entry', () => {
  it('imports nothing from node:* (directly or transitively)', () => {
    const { files, bare } = staticGraph('src/index.ts');
    expect(files.size).toBeGreaterThan(5);
    const nodeImports = [...bare].filter(([spec]) => spec.startsWith('node:') || ['fs', 'path', 'os', 'crypto', 'child_process'].includes(spec));
    expect(nodeImports).toEqual([]);
  });

  it('nor does a bundle\'s runtime, with either face; the Node host is reached only dynamically', () => {
    const bundle = 'src/adapter/bundle';
    const files = new Set<string>();
    const bare = new Map<string, string>();
    for (const entry of ['runtime.ts', 'preview1-face.ts', 'preview2-face.ts']) {
      const g = staticGraph(`${bundle}/${entry}`);
      for (const f of g.files) files.add(f);
      for (const [k, v] of g.bare) bare.set(k, v);
    }
    expect([...bare]).toEqual([]);
    expect(files).not.toContain(`${bundle}/node-host.ts`);
    expect(importsOf(`${bundle}/host.ts`)).toContainEqual({ spec: './node-host.js', file: `${bundle}/node-host.ts`, typeOnly: false });
  });
});
