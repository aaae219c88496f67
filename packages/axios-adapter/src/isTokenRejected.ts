import type { AxiosError } from 'axios';

/**
 * The default `shouldRefresh`: a 401 means the token was not accepted, unless the server names a
 * different problem in `WWW-Authenticate` (RFC 6750 §3.1: `invalid_request`, `insufficient_scope`),
 * which a new token would not fix. 403 is a permission answer, never a token problem.
 */
export function isTokenRejected(error: AxiosError): boolean {
  if (error.response?.status !== 401) return false;
  const challengeError = bearerErrorOf(headerOf(error.response.headers, 'www-authenticate'));
  return challengeError === null || challengeError === 'invalid_token';
}

// One auth-param at a time, a quoted value consumed whole: `error=` quoted inside an
// `error_description` is text, not the parameter, and `error_description=` is a name of its own.
const AUTH_PARAM = /([\w!#$%&'*+.^`|~-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g;

function bearerErrorOf(challenge: string | null): string | null {
  if (challenge === null) return null;
  for (const [, name, quoted, bare] of challenge.matchAll(AUTH_PARAM)) {
    if (name?.toLowerCase() === 'error') return quoted ?? bare ?? null;
  }
  return null;
}

// Real responses carry `AxiosHeaders` (case-insensitive `get`); custom adapters may return a plain object.
function headerOf(headers: unknown, name: string): string | null {
  if (headers === null || typeof headers !== 'object') return null;
  const getter = (headers as { get?: unknown }).get;
  if (typeof getter === 'function') return stringOrNull((getter as (key: string) => unknown).call(headers, name));
  // Header names are case-insensitive, and a plain object keeps whatever case the adapter wrote.
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
  return key === undefined ? null : stringOrNull((headers as Record<string, unknown>)[key]);
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
