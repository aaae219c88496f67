import { defineConfig } from 'vitest/config';

// End-to-end tests run in real Chromium against real servers on loopback. One file at a time: each
// starts its own servers and browser, and CI machines have two cores.
const sourceConditions = ['@authmachine/source'];

export default defineConfig({
  resolve: { conditions: [...sourceConditions, 'module', 'node', 'development|production'] },
  ssr: { resolve: { conditions: [...sourceConditions, 'node', 'development|production'] } },
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    exclude: ['**/node_modules/**'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    passWithNoTests: true,
  },
});
