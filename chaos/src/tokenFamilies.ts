/**
 * Which server-side token family (one per login) a token belongs to. Access tokens say it
 * themselves (the reference server's JWT `sid` claim); refresh tokens are opaque, so each one is
 * noted when a login or refresh answer hands it out, next to the access token it came with.
 */
export interface FamilyRegistry {
  /** Notes a token response: its refresh token belongs to its access token's family. */
  issued(accessToken: string, refreshToken: string | null | undefined): void;
  ofAccessToken(accessToken: string | null): string | null;
  ofRefreshToken(refreshToken: string | null): string | null;
}

/** The family an access token of the reference server was issued in (its JWT `sid` claim). */
export function familyOfAccessToken(accessToken: string | null): string | null {
  if (accessToken === null) return null;
  try {
    const payload = JSON.parse(Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString('utf8'));
    return typeof payload?.sid === 'string' ? payload.sid : null;
  } catch {
    return null;
  }
}

export function createFamilyRegistry(): FamilyRegistry {
  const refreshFamilies = new Map<string, string>();
  const ofAccessToken = familyOfAccessToken;
  return {
    issued(accessToken, refreshToken) {
      const family = ofAccessToken(accessToken);
      if (family !== null && refreshToken) refreshFamilies.set(refreshToken, family);
    },
    ofAccessToken,
    ofRefreshToken: (refreshToken) => (refreshToken === null ? null : (refreshFamilies.get(refreshToken) ?? null)),
  };
}
