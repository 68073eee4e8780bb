import { buildDist, distIsStale } from './build.js';

/** Runs once per vitest run, before the workers: build dist/ if a source is newer. */
export default function setup(): void {
  if (distIsStale()) buildDist();
}
