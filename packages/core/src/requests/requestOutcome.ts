import { AuthError, SessionExpiredError, TokenRefreshError } from '../errors.js';
import type { AuthState } from '../types.js';

/**
 * What a request gets from the session, for every HTTP client: the one table behind the axios and
 * fetch adapters and `waitForAccessToken()` (ARCHITECTURE.md, "What a request gets"). Adapters only
 * translate a decision into their client's terms (a header, a retry, a rejected promise).
 */

/** A request's wait so far: the state it has seen last, and whether a refresh ran meanwhile. */
export interface RequestWait {
  state: AuthState;
  sawRefreshing: boolean;
}

export type RequestDecision =
  /** Go out (again) with this token; null: with none of ours. */
  | { type: 'send'; token: string | null }
  /** The request's own 401 response is its answer. */
  | { type: 'keepResponse' }
  /** The request is not sent (again): it fails with this error. */
  | { type: 'fail'; error: unknown };

/** Requests wait while the session restores its tokens or gets new ones. */
export function isHeld(state: AuthState): boolean {
  return state.status === 'restoring' || state.status === 'refreshing';
}

export function beginWait(state: AuthState): RequestWait {
  return { state, sawRefreshing: state.status === 'refreshing' };
}

export function advanceWait(wait: RequestWait, state: AuthState): RequestWait {
  return { state, sawRefreshing: wait.sawRefreshing || state.status === 'refreshing' };
}

/**
 * A request about to go out, once the session is not restoring or refreshing.
 * - `expired`: the session ended and the app has not logged in or out since; every request that
 *   would carry the token fails with the session's `SessionExpiredError` (one cause, one error;
 *   send no token per request, or `logout()`, to reach public endpoints meanwhile).
 * - the refresh it waited for failed transiently: `TokenRefreshError`; sending it with the old token
 *   would only earn another 401.
 * - `authenticated`: the token; `anonymous` / `authenticating`: no token.
 */
export function decideBeforeSending(wait: RequestWait): RequestDecision {
  const { state } = wait;
  if (state.status === 'expired') return { type: 'fail', error: sessionExpiredErrorOf(state) };
  const refreshError = wait.sawRefreshing ? transientRefreshErrorOf(state) : null;
  if (refreshError) return { type: 'fail', error: refreshError };
  return { type: 'send', token: state.status === 'authenticated' ? state.accessToken : null };
}

/**
 * A request whose token (`carriedToken`) the server rejected, after `tokenRejected(carriedToken)`
 * and a wait until the session is not restoring or refreshing. It is retried at most once.
 * - `expired`: `SessionExpiredError`, also when the session had already ended before the 401.
 * - logged out (or a login under way): its own 401 stands.
 * - the refresh it waited for failed transiently: `TokenRefreshError`.
 * - the same token as before: no new one came, a retry would repeat the 401, so the 401 stands.
 * - else: retried once with the current token (a late 401 for an old token, at once).
 */
export function decideAfterRejection(wait: RequestWait, carriedToken: string): RequestDecision {
  const { state } = wait;
  if (state.status === 'expired') return { type: 'fail', error: sessionExpiredErrorOf(state) };
  if (state.status !== 'authenticated') return KEEP_RESPONSE;
  const refreshError = wait.sawRefreshing ? transientRefreshErrorOf(state) : null;
  if (refreshError) return { type: 'fail', error: refreshError };
  if (state.accessToken === carriedToken || state.accessToken === null) return KEEP_RESPONSE;
  return { type: 'send', token: state.accessToken };
}

const KEEP_RESPONSE: RequestDecision = { type: 'keepResponse' };

/** A wait longer than the adapter's `queueTimeout`: the request was not sent. */
export function queueTimeoutError(ms: number): AuthError {
  return new AuthError(
    'QUEUE_TIMEOUT',
    `The request waited more than ${ms} ms for the session to restore or refresh its token; it was not sent.`,
  );
}

export function sessionStoppedError(): AuthError {
  return new AuthError('SESSION_STOPPED', 'The session was stopped: create a new one with createAuthSession().');
}

/** The session ended: the error the machine recorded, so every request reports the same one. */
function sessionExpiredErrorOf(state: AuthState): SessionExpiredError {
  return state.error instanceof SessionExpiredError ? state.error : new SessionExpiredError();
}

/** The refresh failed for a reason that may pass: the tokens were kept, the request was not sent. */
function transientRefreshErrorOf(state: AuthState): TokenRefreshError | null {
  return state.status === 'authenticated' && state.error instanceof TokenRefreshError ? state.error : null;
}
