import { defineConfig } from 'vite';

// Workspace packages resolve to their TypeScript source (the `@authmachine/source` export
// condition), so the example builds and runs with nothing built first.
export default defineConfig({
  resolve: { conditions: ['@authmachine/source', 'module', 'browser', 'development|production'] },
  build: { outDir: 'dist', emptyOutDir: true },
});
