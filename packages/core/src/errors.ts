/**
 * Every error the library raises is an `AuthError` with a stable `code`, so apps can branch on
 * `error.code` instead of parsing messages. Messages never contain a token value: they end up in
 * logs and error trackers.
 */
export type AuthErrorCode =
  | 'SESSION_EXPIRED'
  | 'REFRESH_FAILED'
  | 'REFRESH_TIMEOUT'
  | 'INVALID_TOKEN_RESPONSE'
  | 'SESSION_STOPPED'
  | 'STORAGE_FAILED'
  | 'NOT_AUTHENTICATED'
  | 'LOGIN_CANCELLED'
  | 'LOGGED_OUT'
  | 'INVALID_OPTIONS'
  | 'QUEUE_TIMEOUT';

export class AuthError extends Error {
  override name = 'AuthError';
  readonly code: AuthErrorCode;

  constructor(code: AuthErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** The session ended: the refresh token is missing or the server rejected it. Log in again. */
export class SessionExpiredError extends AuthError {
  override name = 'SessionExpiredError';
  declare readonly code: 'SESSION_EXPIRED';

  constructor(message = 'The session has ended: log in again.', options?: { cause?: unknown }) {
    super('SESSION_EXPIRED', message, options);
  }
}

/** A refresh failed for a reason that may pass (network, 5xx, timeout); the tokens were kept. */
export class TokenRefreshError extends AuthError {
  override name = 'TokenRefreshError';
  declare readonly code: 'REFRESH_FAILED';

  constructor(cause: unknown) {
    super(
      'REFRESH_FAILED',
      `The token refresh failed (${describeCause(cause)}); the session is kept and the next request will try again.`,
      { cause },
    );
  }
}

/** A refresh or login result had no usable `accessToken`; nothing of it was stored. */
export class InvalidTokenResponseError extends AuthError {
  override name = 'InvalidTokenResponseError';
  declare readonly code: 'INVALID_TOKEN_RESPONSE';

  constructor(problem: string) {
    super(
      'INVALID_TOKEN_RESPONSE',
      `The token response is invalid: ${problem}. Return { accessToken, refreshToken?, expiresAt?, expiresIn? }, or the server's RFC 6749 body { access_token, refresh_token?, expires_in? }.`,
    );
  }
}

// Only the error's kind and code go into our message: the cause's own message may quote a response
// body, and response bodies of token endpoints hold tokens.
function describeCause(cause: unknown): string {
  if (cause instanceof AuthError) return cause.code;
  if (cause instanceof Error) return cause.name;
  return typeof cause;
}
