export interface AuthFetchOptions {
  /** The fetch to wrap. Default: `globalThis.fetch`, read at each call (so test doubles installed later count). */
  fetch?: typeof fetch | undefined;
  /**
   * Origins (`https://api.example.com`) that may receive the token. Default: the page's
   * `location.origin` in a browser; elsewhere createAuthFetch asks for this list. Relative URLs
   * resolve against the page.
   */
  allowedOrigins?: string[] | undefined;
  /**
   * Whether a response means the token was rejected: the call reports it, waits for one refresh and
   * is retried once. Only asked for calls that carried this library's token. Default: 401, unless
   * `WWW-Authenticate` names an error other than `invalid_token`; never 403.
   */
  shouldRefresh?: ((response: Response, request: Request) => boolean) | undefined;
  /** Default `'Authorization'`. */
  headerName?: string | undefined;
  /** Default `'Bearer'`; `''` sends the bare token. */
  scheme?: string | undefined;
  /** Ms a call may wait for a restore or refresh; then it rejects with `QUEUE_TIMEOUT`. Default none. */
  queueTimeout?: number | undefined;
}
