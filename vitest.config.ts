import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { defineConfig } from 'vitest/config';

// Tests import packages by name, as users do; the `@authmachine/source` export condition points
// those imports at each package's TypeScript source, so no build is needed first.
const sourceConditions = ['@authmachine/source'];

// The React adapter's tests run twice: against React 19 (its devDependencies `react`, `react-dom`)
// and against React 18 (the npm aliases `react-18`, `react-dom-18` beside them).
const reactAdapterTests = 'packages/react-adapter/src/**/*.test.{ts,tsx}';
const fromReactAdapter = createRequire(new URL('./packages/react-adapter/package.json', import.meta.url));
const packageDir = (name: string): string => dirname(fromReactAdapter.resolve(`${name}/package.json`));

export default defineConfig({
  resolve: { conditions: [...sourceConditions, 'module', 'node', 'development|production'] },
  ssr: { resolve: { conditions: [...sourceConditions, 'node', 'development|production'] } },
  test: {
    restoreMocks: true,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            'packages/*/src/**/*.test.{ts,tsx}',
            'examples/*/src/**/*.test.ts',
            'docs/scripts/**/*.test.ts',
            'docs/snippets/**/*.test.ts',
            'bench/src/**/*.test.ts',
            'integration/src/**/*.test.ts',
            'chaos/src/**/*.test.ts',
            '*.test.ts',
          ],
          exclude: [reactAdapterTests, '**/node_modules/**'],
          typecheck: { enabled: true, include: ['packages/*/src/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
        },
      },
      {
        extends: true,
        test: {
          name: 'react-19',
          include: [reactAdapterTests],
          environment: 'jsdom',
          provide: { reactMajor: '19' },
        },
      },
      {
        extends: true,
        // Imports that Vite transforms (sources, tests) are aliased here; the CommonJS `require`s
        // inside react-dom and @testing-library/react are redirected by the setup file.
        resolve: {
          alias: [
            { find: /^react(\/.*)?$/, replacement: `${packageDir('react-18')}$1` },
            { find: /^react-dom(\/.*)?$/, replacement: `${packageDir('react-dom-18')}$1` },
          ],
        },
        test: {
          name: 'react-18',
          include: [reactAdapterTests],
          environment: 'jsdom',
          provide: { reactMajor: '18' },
          setupFiles: ['packages/react-adapter/src/__tests__/support/useReact18.ts'],
          // ESM that Node would load itself, importing React 19: transformed instead, so the aliases apply.
          server: { deps: { inline: ['@tanstack/react-query'] } },
        },
      },
    ],
  },
});
