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

// `error="..."` as a whole parameter: `\b...=` keeps `error_description=` from matching.
const BEARER_ERROR = /\berror\s*=\s*(?:"([^"]*)"|([^\s,]+))/i;

function bearerErrorOf(challenge: string | null): string | null {
  if (challenge === null) return null;
  const match = BEARER_ERROR.exec(challenge);
  return match ? (match[1] ?? match[2] ?? null) : null;
}

// Real responses carry `AxiosHeaders` (case-insensitive `get`); custom adapters may return a plain object.
function headerOf(headers: unknown, name: string): string | null {
  if (headers === null || typeof headers !== 'object') return null;
  const getter = (headers as { get?: unknown }).get;
  const value =
    typeof getter === 'function'
      ? (getter as (key: string) => unknown).call(headers, name)
      : (headers as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : null;
}
