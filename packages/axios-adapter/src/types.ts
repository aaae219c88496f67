import type { AxiosError } from 'axios';

export interface AttachAuthOptions {
  /**
   * Whether a failed request should refresh the token and be retried once. Only asked for requests
   * that carried this library's token. Default: `isTokenRejected` (401, unless `WWW-Authenticate`
   * names an error other than `invalid_token`; never 403).
   */
  shouldRefresh?: ((error: AxiosError) => boolean) | undefined;
  /**
   * Origins (`https://api.example.com`) that may receive the token. Default: the origin of the
   * instance's `baseURL`; without one, the page's `location.origin` in a browser.
   */
  allowedOrigins?: string[] | undefined;
  /** Default `'Authorization'`. */
  headerName?: string | undefined;
  /** Default `'Bearer'`; `''` sends the bare token. */
  scheme?: string | undefined;
  /** Ms a request may wait for a restore or refresh; then it rejects with `QUEUE_TIMEOUT`. Default none. */
  queueTimeout?: number | undefined;
}

/** Returned by `attachAuth`: ejects both interceptors and releases every subscription. */
export type DetachAuth = () => void;
