import { type ExoticComponent, Fragment, type ReactNode, StrictMode } from 'react';

/** Every React test runs in both; StrictMode renders twice and mounts effects twice. */
export const reactModes: [string, ExoticComponent<{ children?: ReactNode }>][] = [
  ['StrictMode', StrictMode],
  ['no StrictMode', Fragment],
];
