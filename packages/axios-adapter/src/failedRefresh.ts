import { type AuthState, SessionExpiredError, TokenRefreshError } from '@authmachine/core';

/** The session ended: the error the machine recorded, so every request reports the same one. */
export function sessionExpiredErrorOf(state: AuthState): SessionExpiredError {
  return state.error instanceof SessionExpiredError ? state.error : new SessionExpiredError();
}

/** The refresh a request waited for failed transiently: the tokens were kept, the request was not sent. */
export function transientRefreshErrorOf(state: AuthState): TokenRefreshError | null {
  return state.status === 'authenticated' && state.error instanceof TokenRefreshError ? state.error : null;
}
