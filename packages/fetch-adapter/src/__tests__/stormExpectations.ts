import { expect } from 'vitest';
import type { TokenServer } from './tokenServer.js';

/**
 * What the server saw of N concurrent calls that all met a 401 for the old token: one refresh
 * call, and each path twice, first with the old token, then (the retry) with the new one.
 */
export function expectOneRefreshAndEachRetriedOnce(server: TokenServer, paths: string[]): void {
  expect(server.refreshCalls).toBe(1);
  expect(server.calls).toHaveLength(2 * paths.length);
  const byPath = server.authorizationsByPath();
  const notRetriedOnce = paths.filter((path) => {
    const seen = byPath.get(path);
    return seen?.length !== 2 || seen[0] !== 'Bearer access-1' || seen[1] !== 'Bearer access-2';
  });
  expect(notRetriedOnce).toEqual([]);
}
