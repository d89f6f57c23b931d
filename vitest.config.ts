import { defineConfig } from 'vitest/config';
import { qualify } from './src/index.js';

export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/fixtures/**', 'test/e2e/.scratch/**', 'node_modules/**'],
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
