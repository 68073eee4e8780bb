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
    // the conformance engines, Node 26 / Deno / Bun / Chromium), so more workers than cores
    // fill the waits (measured on this idle 2-core machine, 1,204 tests: 2 workers 184 s,
    // 3 workers 173 s; earlier, loaded: 1 worker 279 s, 2 workers 243 s).
    maxWorkers: availableParallelism() + 1,
  },
});
