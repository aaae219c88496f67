import type { SessionTokens } from './types.js';

/** setTimeout fires at once for delays above 2^31-1 ms (~24.8 days); longer waits are split. */
export const MAX_TIMER_DELAY = 2 ** 31 - 1;

const BACKOFF_BASE_MS = 1_000;
const BACKOFF_CAP_MS = 30_000;

/**
 * When the proactive timer should fire for these tokens: `refreshLeeway` before expiry, or halfway
 * through the token's life when that comes later, so that a token living shorter than the leeway
 * is not refreshed in a loop. Null means no timer: no leeway, no known expiry, no refresh token, or
 * a token that was already expired on arrival (a skewed clock would otherwise refresh in a loop;
 * the next 401 starts the refresh instead).
 */
export function computeRefreshDueAt(tokens: SessionTokens, refreshLeeway: number | false): number | null {
  const { expiresAt, receivedAt, refreshToken } = tokens;
  if (refreshLeeway === false || expiresAt === null || refreshToken === null) return null;
  if (expiresAt <= receivedAt) return null;
  const halfway = receivedAt + (expiresAt - receivedAt) / 2;
  return Math.max(expiresAt - refreshLeeway, halfway);
}

/** The delay until `dueAt`, within what setTimeout can wait. */
export function timerDelayUntil(dueAt: number | null, now: number): number {
  if (dueAt === null) return MAX_TIMER_DELAY;
  return Math.min(MAX_TIMER_DELAY, Math.max(0, dueAt - now));
}

/**
 * Exponential backoff with jitter before retry number `attempt` (1-based): 0.5–1 × 1 s, 2 s, 4 s…
 * capped at 30 s. The jitter keeps many clients whose refresh failed at once from retrying at once.
 */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const exponential = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential * (0.5 + random() / 2));
}
