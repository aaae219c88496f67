import { InvalidTokenResponseError } from './errors.js';
import { decodeJwtTimes } from './jwt.js';
import type { SessionTokens, TokenSet } from './types.js';

/**
 * Validates what a login, refresh or storage returned and resolves its expiry, once, on arrival.
 * Takes our shape (`accessToken`, `refreshToken`, `expiresAt`, `expiresIn`) and the standard token
 * response of RFC 6749 §5.1 (`access_token`, `refresh_token`, `expires_in`), which Keycloak, Auth0,
 * Cognito, Okta and oidc-provider send, so that their body can be returned as it is. Throws
 * `InvalidTokenResponseError` naming the field at fault and the keys it got (never a value).
 */
export function toSessionTokens(
  result: unknown,
  receivedAt: number,
  previousRefreshToken: string | null = null,
): SessionTokens {
  if (typeof result !== 'object' || result === null || Array.isArray(result)) {
    const kind = result === null ? 'null' : Array.isArray(result) ? 'an array' : typeof result;
    throw new InvalidTokenResponseError(`expected an object, got ${kind}`);
  }
  const fields = result as Record<string, unknown>;
  const accessToken = fields.accessToken ?? fields.access_token;
  const refreshToken = fields.refreshToken ?? fields.refresh_token;
  const { expiresAt } = fields;
  const expiresIn = fields.expiresIn ?? secondsOf(fields.expires_in);
  if (typeof accessToken !== 'string' || accessToken.length === 0) {
    throw new InvalidTokenResponseError(
      `expected a non-empty string in accessToken (or access_token, RFC 6749 §5.1), got ${keysOf(fields)}`,
    );
  }
  if (refreshToken !== undefined && refreshToken !== null && typeof refreshToken !== 'string') {
    throw new InvalidTokenResponseError('refreshToken (refresh_token) must be a string when present');
  }
  if (expiresAt !== undefined && expiresAt !== null && !isFiniteNumber(expiresAt)) {
    throw new InvalidTokenResponseError('expiresAt must be a finite number of epoch ms when present');
  }
  if (isFiniteNumber(expiresAt) && expiresAt < EARLIEST_EPOCH_MS) {
    throw new InvalidTokenResponseError(
      'expiresAt looks like seconds since the epoch: give epoch milliseconds (seconds × 1000), or expiresIn in seconds',
    );
  }
  if (expiresIn !== undefined && expiresIn !== null && !isFiniteNumber(expiresIn)) {
    throw new InvalidTokenResponseError('expiresIn (expires_in) must be a finite number of seconds when present');
  }
  return {
    accessToken,
    // A refresh result without a refresh token keeps the old one (RFC 6749 §6).
    refreshToken: typeof refreshToken === 'string' && refreshToken.length > 0 ? refreshToken : previousRefreshToken,
    expiresAt: resolveExpiry(accessToken, expiresAt, expiresIn, receivedAt),
    receivedAt,
  };
}

/**
 * 1973-03-03 in epoch ms, and the year 5138 in epoch seconds: an expiry below it was given in seconds
 * (JWT's `exp` is in seconds), and read as ms it would have expired in 1970.
 */
const EARLIEST_EPOCH_MS = 100_000_000_000;

/** Some servers (Azure AD v1) send `expires_in` as a string of digits. */
function secondsOf(value: unknown): unknown {
  return typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
}

/** The keys a result had, for the error message: names only, a value may be a token. */
function keysOf(fields: Record<string, unknown>): string {
  const keys = Object.keys(fields);
  if (keys.length === 0) return 'an empty object';
  const shown = keys.slice(0, 10).map((key) => JSON.stringify(key.slice(0, 40)));
  return `the keys ${shown.join(', ')}${keys.length > 10 ? `, and ${keys.length - 10} more` : ''}`;
}

/** The shape handed to `storage.set`: access and refresh token together, in one call. */
export function toTokenSet(tokens: Omit<SessionTokens, 'receivedAt'>): TokenSet {
  const set: TokenSet = { accessToken: tokens.accessToken };
  if (tokens.refreshToken !== null) set.refreshToken = tokens.refreshToken;
  if (tokens.expiresAt !== null) set.expiresAt = tokens.expiresAt;
  return set;
}

/**
 * The expiry on this device's clock. `expiresIn` counts from the token's arrival, so it holds
 * whatever the clock says. A JWT's `exp` is a date on the server's clock: with an `iat`, the token's
 * lifetime (`exp - iat`) is counted from its arrival instead, so that a clock minutes ahead or
 * behind the server's neither refreshes at once in a loop nor sends a token the server has
 * expired; with `exp` alone, it is taken as it is (and a 401 still refreshes).
 */
function resolveExpiry(accessToken: string, expiresAt: unknown, expiresIn: unknown, receivedAt: number): number | null {
  if (isFiniteNumber(expiresAt)) return expiresAt;
  if (isFiniteNumber(expiresIn)) return receivedAt + expiresIn * 1000;
  const jwt = decodeJwtTimes(accessToken);
  if (jwt === null) return null;
  const { expiresAt: exp, issuedAt } = jwt;
  return issuedAt !== null && exp > issuedAt ? receivedAt + (exp - issuedAt) : exp;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
