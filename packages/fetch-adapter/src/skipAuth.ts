import { copyHeaders } from './copyHeaders.js';

/**
 * A request carrying this header goes out without the session's token and never starts a refresh;
 * the header itself is removed before sending. A header, not an init field: ky and openapi-fetch
 * hand fetch a `Request` they built, which keeps headers and drops fields it does not know.
 */
export const SKIP_AUTH_HEADER = 'x-authmachine-skip-auth';

/** `headers` (any `HeadersInit`) with the skip-auth mark: `fetch(url, { headers: skipAuth() })`. */
export function skipAuth(headers?: HeadersInit): Headers {
  const marked = copyHeaders(headers);
  marked.set(SKIP_AUTH_HEADER, '1');
  return marked;
}
