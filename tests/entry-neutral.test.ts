/**
 * The package's neutral entry (src/index.ts, what a browser bundle takes) must not reach
 * any `node:*` module through its static import graph; Node-only pieces live behind
 * src/node.ts. This walks the real sources, so a stray import fails here, not in a bundler.
 */
import { describe, expect, it } from 'vitest';
import { staticGraph } from './helpers/import-graph.js';

describe('neutral entry', () => {
  it('imports nothing from node:* (directly or transitively)', () => {
    const { files, bare } = staticGraph('src/index.ts');
    expect(files.size).toBeGreaterThan(5);
    const nodeImports = [...bare].filter(([spec]) => spec.startsWith('node:') || ['fs', 'path', 'os', 'crypto', 'child_process'].includes(spec));
    expect(nodeImports).toEqual([]);
  });
});
