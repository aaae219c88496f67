/**
 * When each burst fires, relative to the access token in use at that moment:
 * - `fresh`: at once, right after the login;
 * - `mid-life`: halfway through the token's life, so it is accepted;
 * - `at expiry`: at the very instant the token expires by the client's clock (`expiresIn` counted
 *   from when the response arrived). The client never sends a token it knows is dead: the burst
 *   waits for one refresh and goes out with the new token;
 * - `after expiry`: a quarter of a lifetime past expiry.
 * The last two cross an expiry, and each must cost exactly one refresh call.
 */
export type BurstKind = 'fresh' | 'mid-life' | 'at expiry' | 'after expiry';

export function burstKinds(count: number): BurstKind[] {
  return Array.from({ length: count }, (_, index): BurstKind => {
    if (index === 0) return 'fresh';
    if (index % 2 === 0) return 'mid-life';
    return index % 4 === 1 ? 'at expiry' : 'after expiry';
  });
}

export function crossesExpiry(kind: BurstKind): boolean {
  return kind === 'at expiry' || kind === 'after expiry';
}

/** Epoch ms at which a burst of this kind fires, for a token expiring at `expiresAt`. */
export function burstTime(kind: BurstKind, expiresAt: number, ttlMs: number, now: number): number {
  switch (kind) {
    case 'fresh':
      return now;
    case 'mid-life':
      return Math.max(now, expiresAt - ttlMs / 2);
    case 'at expiry':
      return expiresAt;
    case 'after expiry':
      return expiresAt + ttlMs / 4;
  }
}
