'use client';

import { AuthError } from '@authmachine/core';

const MAX_RETRIES = 3;
/** What a retry cannot change: the session is over, or there was none. */
const FINAL_CODES = new Set([
  'SESSION_EXPIRED',
  'LOGGED_OUT',
  'NOT_AUTHENTICATED',
  'SESSION_STOPPED',
  'INVALID_OPTIONS',
]);

/**
 * A `retry` for TanStack Query that does not retry what no retry can fix: the session ended
 * (`SessionExpiredError`), a logout or no session (`AuthError`), or an answer of 401 or 403 that the
 * adapter already retried once with a fresh token. Anything else (a network error, a 5xx, a
 * transient `TokenRefreshError`) is retried up to 3 times, as TanStack Query does by default.
 */
export function shouldRetryQuery(failureCount: number, error: unknown): boolean {
  if (failureCount >= MAX_RETRIES) return false;
  if (error instanceof AuthError && FINAL_CODES.has(error.code)) return false;
  const { status, response } = (error ?? {}) as { status?: unknown; response?: { status?: unknown } };
  const httpStatus = response?.status ?? status;
  return httpStatus !== 401 && httpStatus !== 403;
}
