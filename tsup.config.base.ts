import type { Options } from 'tsup';

/** How every package builds: ESM + CJS + .d.ts/.d.cts from src/index.ts; peers stay external. */
export const libraryBuild: Options = {
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  // tsup sets `baseUrl` for the declaration build, which TypeScript 6 deprecates.
  dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
  clean: true,
  sourcemap: true,
  target: 'es2022',
};
