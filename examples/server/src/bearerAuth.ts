import type { IncomingMessage } from 'node:http';
import type { AccessClaims, AccessTokens } from './accessTokens.js';
import { HttpError } from './httpError.js';
import type { TokenFamilies } from './tokenFamilies.js';

const REALM = 'realm="authmachine-example"';

/**
 * The verified claims of the request's bearer token, or a 401 with an RFC 6750 challenge:
 * `error="invalid_token"` for an expired, forged, malformed or revoked token; no error code when
 * the request carried no bearer token at all (RFC 6750 §3.1).
 */
export async function authenticate(
  request: IncomingMessage,
  tokens: AccessTokens,
  families: TokenFamilies,
): Promise<AccessClaims> {
  const token = bearerTokenOf(request);
  if (token === null) {
    throw new HttpError(401, 'unauthorized', 'Send an access token: Authorization: Bearer <token>.', {
      'WWW-Authenticate': `Bearer ${REALM}`,
    });
  }
  const verdict = await tokens.verify(token);
  if (!verdict.ok) throw invalidToken(verdict.reason);
  if (!families.isActive(verdict.claims.familyId)) throw invalidToken('The access token was revoked.');
  return verdict.claims;
}

/** A 403 with an RFC 6750 `insufficient_scope` challenge when the token lacks `scope`. */
export function requireScope(claims: AccessClaims, scope: string): void {
  if (claims.scope.includes(scope)) return;
  const message = `This route needs the "${scope}" scope.`;
  throw new HttpError(403, 'insufficient_scope', message, {
    'WWW-Authenticate': `Bearer ${REALM}, error="insufficient_scope", scope="${scope}", error_description="${message.replaceAll('"', "'")}"`,
  });
}

/** The token of `Authorization: Bearer <token>` (scheme case-insensitive), or null. */
export function bearerTokenOf(request: IncomingMessage): string | null {
  const match = /^Bearer +(\S+) *$/i.exec(request.headers.authorization ?? '');
  return match?.[1] ?? null;
}

function invalidToken(reason: string): HttpError {
  return new HttpError(401, 'invalid_token', reason, {
    'WWW-Authenticate': `Bearer ${REALM}, error="invalid_token", error_description="${reason.replaceAll('"', "'")}"`,
  });
}
