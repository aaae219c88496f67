/**
 * Reads the `exp` claim of a JWT without verifying it (only the server can), as epoch milliseconds.
 * Returns null for anything that is not a JWT with a numeric `exp`: opaque tokens are valid tokens
 * whose expiry we simply do not know.
 */
export function decodeJwtExpiry(token: unknown): number | null {
  return decodeJwtTimes(token)?.expiresAt ?? null;
}

/** A JWT's `exp` and `iat` claims in epoch ms; `issuedAt` null when absent. Never verified. */
export interface JwtTimes {
  expiresAt: number;
  issuedAt: number | null;
}

export function decodeJwtTimes(token: unknown): JwtTimes | null {
  const { exp, iat } = decodeJwtClaims(token) ?? {};
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return null;
  return { expiresAt: exp * 1000, issuedAt: typeof iat === 'number' && Number.isFinite(iat) ? iat * 1000 : null };
}

/**
 * The claims of a JWT (its payload), never verified: for display and bookkeeping (who is signed in:
 * `sub`), never for a decision only the server can make. Null for anything that is not a JWT.
 */
export function decodeJwtClaims(token: unknown): Record<string, unknown> | null {
  if (typeof token !== 'string') return null;
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return null;
  try {
    const claims: unknown = JSON.parse(decodeBase64Url(parts[1]));
    return typeof claims === 'object' && claims !== null && !Array.isArray(claims)
      ? (claims as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

function decodeBase64Url(segment: string): string {
  const base64 = segment.replace(/-/g, '+').replace(/_/g, '/');
  const padded = base64.padEnd(base64.length + ((4 - (base64.length % 4)) % 4), '=');
  const binary = atob(padded);
  const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}
