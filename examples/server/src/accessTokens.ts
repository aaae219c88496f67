import { randomBytes } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';

const ISSUER = 'authmachine-example-server';
const AUDIENCE = 'authmachine-example-api';
/** RFC 9068: marks an access token, so that no other JWT of this issuer passes for one. */
const TOKEN_TYPE = 'at+jwt';

export interface AccessClaims {
  username: string;
  scope: string[];
  /** The refresh-token family (the session) the token was issued in. */
  familyId: string;
  /** Epoch ms. */
  expiresAt: number;
}

/**
 * Why a presented access token was not accepted; the message goes into the 401. `expiredTokenId`
 * (the `jti`) is set when a genuine token was refused only because it expired.
 */
export type Verdict = { ok: true; claims: AccessClaims } | { ok: false; reason: string; expiredTokenId?: string };

export interface AccessTokens {
  sign(claims: Omit<AccessClaims, 'expiresAt'>): Promise<{ token: string; expiresAt: number }>;
  verify(token: string): Promise<Verdict>;
}

/**
 * HS256 JWT access tokens under a secret made at each start and never written anywhere: restarting
 * the server invalidates every token, as rotating a key would.
 */
export function createAccessTokens({ ttlSeconds, now }: { ttlSeconds: number; now: () => number }): AccessTokens {
  const secret = new Uint8Array(randomBytes(32));
  return {
    async sign({ username, scope, familyId }) {
      const issuedAt = now();
      const expiresAt = issuedAt + ttlSeconds * 1000;
      // NumericDate may be fractional (RFC 7519 §2): sub-second lifetimes stay exact for fast tests.
      const token = await new SignJWT({ scope: scope.join(' '), sid: familyId })
        .setProtectedHeader({ alg: 'HS256', typ: TOKEN_TYPE })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setSubject(username)
        .setJti(randomBytes(12).toString('base64url'))
        .setIssuedAt(issuedAt / 1000)
        .setExpirationTime(expiresAt / 1000)
        .sign(secret);
      return { token, expiresAt };
    },
    async verify(token) {
      const current = now();
      try {
        const { payload } = await jwtVerify(token, secret, {
          algorithms: ['HS256'],
          issuer: ISSUER,
          audience: AUDIENCE,
          typ: TOKEN_TYPE,
          requiredClaims: ['exp', 'sub', 'sid'],
          currentDate: new Date(current),
        });
        const { sub, sid, scope, exp, jti } = payload;
        if (typeof sub !== 'string' || typeof sid !== 'string' || typeof scope !== 'string' || exp === undefined) {
          return { ok: false, reason: 'The access token lacks a required claim.' };
        }
        // jose compares whole seconds; lifetimes here may be fractional, so the exact check is ours.
        const expiresAt = exp * 1000;
        if (expiresAt <= current) return expired(jti);
        return {
          ok: true,
          claims: { username: sub, scope: scope.split(' ').filter(Boolean), familyId: sid, expiresAt },
        };
      } catch (error) {
        // jose checks the signature before the claims: an expired verdict is for a genuine token.
        if (error instanceof errors.JWTExpired) return expired(error.payload.jti);
        return { ok: false, reason: describe(error) };
      }
    },
  };
}

function expired(tokenId: string | undefined): Verdict {
  const reason = 'The access token expired.';
  return tokenId === undefined ? { ok: false, reason } : { ok: false, reason, expiredTokenId: tokenId };
}

function describe(error: unknown): string {
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'The access token signature is not valid.';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'The access token is not signed with HS256.';
  if (error instanceof errors.JWTClaimValidationFailed)
    return `The access token has an unexpected "${error.claim}" claim.`;
  return 'The access token is malformed.';
}
