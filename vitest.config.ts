import { defineConfig } from 'vitest/config';

// Tests import packages by name, as users do; the `@authmachine/source` export condition points
// those imports at each package's TypeScript source, so no build is needed first.
const sourceConditions = ['@authmachine/source'];

export default defineConfig({
  resolve: { conditions: [...sourceConditions, 'module', 'node', 'development|production'] },
  ssr: { resolve: { conditions: [...sourceConditions, 'node', 'development|production'] } },
  test: {
    include: ['packages/*/src/**/*.test.{ts,tsx}', '*.test.ts'],
    typecheck: { enabled: true, include: ['packages/*/src/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
    restoreMocks: true,
  },
});
