/**
 * Whether a response means the token was not accepted: a 401, unless the server names a different
 * problem in `WWW-Authenticate` (RFC 6750 §3.1: `invalid_request`, `insufficient_scope`), which a new
 * token would not fix. 403 is a permission answer, never a token problem. Every adapter's default
 * `shouldRefresh` is this rule over its client's response.
 */
export function isTokenRejection(status: number | undefined, wwwAuthenticate: string | null | undefined): boolean {
  if (status !== 401) return false;
  const challengeError = bearerErrorOf(wwwAuthenticate ?? null);
  return challengeError === null || challengeError === 'invalid_token';
}

// One auth-param at a time, a quoted value consumed whole: `error=` quoted inside an
// `error_description` is text, not the parameter, and `error_description=` is a name of its own.
const AUTH_PARAM = /([\w!#$%&'*+.^`|~-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g;

function bearerErrorOf(challenge: string | null): string | null {
  if (typeof challenge !== 'string') return null;
  for (const [, name, quoted, bare] of challenge.matchAll(AUTH_PARAM)) {
    if (name?.toLowerCase() === 'error') return quoted ?? bare ?? null;
  }
  return null;
}
