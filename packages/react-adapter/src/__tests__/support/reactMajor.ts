import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The React major a Vitest project runs the adapter's tests with (see the root vitest.config.ts). */
    reactMajor: string;
  }
}

/** '18' or '19': the React this run is meant to use, set per Vitest project. */
export function expectedReactMajor(): string {
  const major = inject('reactMajor');
  if (major !== '18' && major !== '19') throw new Error(`No React major provided for this project: ${major}`);
  return major;
}

export function majorOf(version: string): string | undefined {
  return version.split('.')[0];
}
