import { InvalidTokenResponseError } from './errors.js';
import { decodeJwtExpiry } from './jwt.js';
import type { SessionTokens, TokenSet } from './types.js';

/**
 * Validates what a login, refresh or storage returned and resolves its expiry, once, on arrival.
 * Throws `InvalidTokenResponseError` naming the field at fault (never its value).
 */
export function toSessionTokens(
  result: unknown,
  receivedAt: number,
  previousRefreshToken: string | null = null,
): SessionTokens {
  if (typeof result !== 'object' || result === null) {
    throw new InvalidTokenResponseError(`expected an object, got ${result === null ? 'null' : typeof result}`);
  }
  const { accessToken, refreshToken, expiresAt, expiresIn } = result as Record<string, unknown>;
  if (typeof accessToken !== 'string' || accessToken.length === 0) {
    throw new InvalidTokenResponseError('accessToken must be a non-empty string');
  }
  if (refreshToken !== undefined && refreshToken !== null && typeof refreshToken !== 'string') {
    throw new InvalidTokenResponseError('refreshToken must be a string when present');
  }
  if (expiresAt !== undefined && !isFiniteNumber(expiresAt)) {
    throw new InvalidTokenResponseError('expiresAt must be a finite number of epoch ms when present');
  }
  if (expiresIn !== undefined && !isFiniteNumber(expiresIn)) {
    throw new InvalidTokenResponseError('expiresIn must be a finite number of seconds when present');
  }
  return {
    accessToken,
    // A refresh result without a refresh token keeps the old one (RFC 6749 §6).
    refreshToken: typeof refreshToken === 'string' && refreshToken.length > 0 ? refreshToken : previousRefreshToken,
    expiresAt: resolveExpiry(accessToken, expiresAt, expiresIn, receivedAt),
    receivedAt,
  };
}

/** The shape handed to `storage.set`: access and refresh token together, in one call. */
export function toTokenSet(tokens: Omit<SessionTokens, 'receivedAt'>): TokenSet {
  const set: TokenSet = { accessToken: tokens.accessToken };
  if (tokens.refreshToken !== null) set.refreshToken = tokens.refreshToken;
  if (tokens.expiresAt !== null) set.expiresAt = tokens.expiresAt;
  return set;
}

function resolveExpiry(
  accessToken: string,
  expiresAt: number | undefined,
  expiresIn: number | undefined,
  receivedAt: number,
): number | null {
  if (expiresAt !== undefined) return expiresAt;
  if (expiresIn !== undefined) return receivedAt + expiresIn * 1000;
  return decodeJwtExpiry(accessToken);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
