import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/helpers/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: forks keep heavy suites (jco transpile, big trees) from starving each other.
    pool: 'forks',
    // vitest's default is one worker per core but one, which is a single worker on two
    // cores; most of our test time is spent waiting on child processes (the CLI, node:wasi,
    // the conformance engines), so a second worker fills the idle core (measured on the
    // spawn-heavy files: 279 s -> 243 s wall on this loaded 2-core machine).
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
