import Module, { createRequire } from 'node:module';

/**
 * Setup file of the `react-18` Vitest project. Vite's aliases reach only the code Vite transforms;
 * react-dom and @testing-library/react are CommonJS that Node loads itself, and pnpm links react-dom
 * 18 to the workspace's React 19 (its peer). So every `require('react…')` and
 * `require('react-dom…')` Node resolves is sent to the React 18 packages (npm aliases `react-18`,
 * `react-dom-18` in this package's devDependencies), or hooks would meet two Reacts.
 */
const fromAdapter = createRequire(import.meta.url);
const aliases: Record<string, string> = { react: 'react-18', 'react-dom': 'react-dom-18' };
const reactRequest = /^(react|react-dom)(\/.*)?$/;

type ResolveFilename = (this: unknown, request: string, ...rest: unknown[]) => string;
const loader = Module as unknown as { _resolveFilename: ResolveFilename; __react18?: true };

if (!loader.__react18) {
  const resolveFilename = loader._resolveFilename;
  loader._resolveFilename = function (request, ...rest) {
    const match = reactRequest.exec(request);
    const alias = match?.[1] === undefined ? undefined : aliases[match[1]];
    if (alias === undefined) return resolveFilename.call(this, request, ...rest);
    return fromAdapter.resolve(`${alias}${match?.[2] ?? ''}`);
  };
  loader.__react18 = true;
}
