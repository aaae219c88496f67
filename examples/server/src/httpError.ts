/**
 * An answer a route gives instead of its result: the status, an OAuth-style `error` code and a
 * message that says what to change. The app turns it into a JSON response; nothing else escapes.
 */
export class HttpError extends Error {
  override name = 'HttpError';
  readonly status: number;
  readonly error: string;
  readonly headers: Record<string, string>;

  constructor(status: number, error: string, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.error = error;
    this.headers = headers;
  }
}

export function badRequest(message: string): HttpError {
  return new HttpError(400, 'invalid_request', message);
}

/** RFC 6749 §5.2: the refresh token is unknown, expired, revoked or was already used. */
export function invalidGrant(message: string): HttpError {
  return new HttpError(400, 'invalid_grant', message);
}
