import type { RefreshContext, TokenSet } from '@authmachine/core';
import { vi } from 'vitest';

/**
 * A fake token endpoint with rotating refresh tokens and reuse detection, as the reference server
 * has: the first refresh token is `refresh-1`; each refresh answers after `delayMs`.
 */
export function rotatingServer(delayMs = 20) {
  let current = 'refresh-1';
  let generation = 1;
  const calls: string[] = [];
  let reuseDetections = 0;
  const refresh = vi.fn(async ({ refreshToken }: RefreshContext): Promise<TokenSet> => {
    calls.push(refreshToken);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (refreshToken !== current) {
      reuseDetections += 1;
      throw Object.assign(new Error('invalid_grant'), { status: 400 });
    }
    generation += 1;
    current = `refresh-${generation}`;
    return { accessToken: `access-${generation}`, refreshToken: current, expiresIn: 3600 };
  });
  return {
    refresh,
    calls,
    reuseDetections: () => reuseDetections,
    /** The user's sessions are revoked (an admin, a password change): every refresh token is refused. */
    revoke: () => {
      current = 'revoked';
    },
  };
}
