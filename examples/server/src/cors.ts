import type { IncomingMessage, ServerResponse } from 'node:http';

const ALLOWED_METHODS = 'GET, POST, OPTIONS';
const ALLOWED_HEADERS = 'Authorization, Content-Type';

/**
 * Adds the CORS headers for an allowed `Origin` to any response. `WWW-Authenticate` is exposed so
 * that browser code can read which error a 401 names (invalid_token or not).
 * Returns whether the request came from an allowed origin (or from no browser origin at all).
 */
export function applyCors(request: IncomingMessage, response: ServerResponse, allowed: ReadonlySet<string>): boolean {
  response.setHeader('Vary', 'Origin');
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  if (!allowed.has(origin)) return false;
  response.setHeader('Access-Control-Allow-Origin', origin);
  response.setHeader('Access-Control-Expose-Headers', 'WWW-Authenticate');
  return true;
}

export function isPreflight(request: IncomingMessage): boolean {
  return (
    request.method === 'OPTIONS' &&
    request.headers.origin !== undefined &&
    request.headers['access-control-request-method'] !== undefined
  );
}

/** Added to the 204 that answers a preflight whose origin `applyCors` allowed. */
export const PREFLIGHT_HEADERS: Readonly<Record<string, string>> = {
  'Access-Control-Allow-Methods': ALLOWED_METHODS,
  'Access-Control-Allow-Headers': ALLOWED_HEADERS,
  'Access-Control-Max-Age': '600',
};
