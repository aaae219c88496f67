import { describeServerAnswer, readServerAnswer } from './serverAnswer.js';

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

/**
 * Marks every error of ours with the names of its classes, so that `instanceof` recognises it across
 * two copies of this package in one app (a `require` and an `import` of it load two). `Symbol.for`
 * is shared by every copy.
 */
const KINDS = Symbol.for('authmachine.errorKinds');

export class AuthError extends Error {
  /** The name `instanceof` looks for in the mark; one per class, safe from minifiers. */
  static readonly kind: string = 'AuthError';
  override name = 'AuthError';
  readonly code: AuthErrorCode;

  // `this` is the class `instanceof` asks about: this method is inherited by every subclass.
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: the subclass asked about, not AuthError.
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    const kinds = typeof value === 'object' && value !== null ? (value as { [KINDS]?: unknown })[KINDS] : undefined;
    // biome-ignore lint/complexity/noThisInStatic: the subclass asked about, not AuthError.
    return Array.isArray(kinds) && kinds.includes((this as typeof AuthError).kind);
  }

  constructor(code: AuthErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    Object.defineProperty(this, KINDS, { value: kindsOf(new.target) });
  }
}

function kindsOf(errorClass: unknown): string[] {
  const kinds: string[] = [];
  for (let current = errorClass; typeof current === 'function'; current = Object.getPrototypeOf(current)) {
    if (Object.hasOwn(current, 'kind')) kinds.push((current as typeof AuthError).kind);
  }
  return kinds;
}

/** The session ended: the refresh token is missing or the server rejected it. Log in again. */
export class SessionExpiredError extends AuthError {
  static override readonly kind: string = 'SessionExpiredError';
  override name = 'SessionExpiredError';
  declare readonly code: 'SESSION_EXPIRED';

  /** The message ends with what the server answered, when the cause tells (status, OAuth error). */
  constructor(message = 'The session has ended: log in again.', options?: { cause?: unknown }) {
    const answer = options === undefined ? null : describeServerAnswer(readServerAnswer(options.cause));
    super('SESSION_EXPIRED', answer === null ? message : `${message} (The server answered ${answer}.)`, options);
  }
}

/** A refresh failed for a reason that may pass (network, 5xx, timeout); the tokens were kept. */
export class TokenRefreshError extends AuthError {
  static override readonly kind: string = 'TokenRefreshError';
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
  static override readonly kind: string = 'InvalidTokenResponseError';
  override name = 'InvalidTokenResponseError';
  declare readonly code: 'INVALID_TOKEN_RESPONSE';

  constructor(problem: string) {
    super(
      'INVALID_TOKEN_RESPONSE',
      `The token response is invalid: ${problem}. Return { accessToken, refreshToken?, expiresAt?, expiresIn? }, or the server's RFC 6749 body { access_token, refresh_token?, expires_in? }.`,
    );
  }
}

// The error's kind and code, and what the server answered (status, OAuth error code and description,
// masked), go into our message; never the cause's own message: it may quote a whole response body,
// and response bodies of token endpoints hold tokens.
function describeCause(cause: unknown): string {
  const kind = cause instanceof AuthError ? cause.code : cause instanceof Error ? cause.name : typeof cause;
  const answer = describeServerAnswer(readServerAnswer(cause));
  return answer === null ? kind : `${kind}, ${answer}`;
}
