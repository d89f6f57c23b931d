import { defineConfig } from 'vitest/config';
import { qualify } from './src/index.js';

export default defineConfig({
  test: {
    projects: [
      // Split by cost: `unit` runs in-process, in seconds (`npm run test:unit`); the others spawn
      // processes (`npm run test:e2e`, `test:reliability`, `test:consumer`). `npm test` runs all four.
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          exclude: ['test/**/fixtures/**'],
          // One worker reused across files: Vitest still loads the repository's own modules afresh for
          // each file, but not node_modules (zod, yaml, the SDKs), which was two thirds of the time.
          isolate: false,
          // A worker per core, not Vitest's cores - 1: much of the time is awaited timers (retries, the
          // fake provider's delays), not CPU, so on two cores two workers finish in about three quarters.
          maxWorkers: '100%',
          // A project with its own maxWorkers needs its own group: `unit` runs first, then the three
          // subprocess projects side by side (group 1).
          sequence: { groupOrder: 0 },
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // Real Vitest, the CLI, the bench and npm pack in child processes, on scratch projects.
        extends: true,
        test: {
          name: 'e2e',
          sequence: { groupOrder: 1 },
          include: ['test/e2e/**/*.test.ts'],
          exclude: ['test/**/fixtures/**', 'test/e2e/.scratch/**'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // Bad input, faults, kills and hostile projects, each through a real run.
        extends: true,
        test: {
          name: 'reliability',
          sequence: { groupOrder: 1 },
          include: ['test/reliability/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // The packed tarball installed into scratch repositories, on Vitest 4 and 5.
        extends: true,
        test: {
          name: 'consumer',
          sequence: { groupOrder: 1 },
          include: ['test/consumer/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // The qualification of the example agent in agents/: `npm run eval`.
        plugins: [qualify()],
        test: { name: 'eval' },
      },
    ],
  },
});
