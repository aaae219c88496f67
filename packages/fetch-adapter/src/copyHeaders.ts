/**
 * A new `Headers` with the entries of `init`. A `Headers` source is copied entry by entry: msw's
 * Node interceptor (what apps test this library with) replaces the global `Headers` with one that
 * copies another `Headers` from its own record of `set`/`append` calls, which misses the headers a
 * `Request` was built with; an app's headers would vanish from calls made by ky or openapi-fetch.
 */
export function copyHeaders(init: HeadersInit | undefined): Headers {
  return new Headers(init instanceof Headers ? [...init] : init);
}
