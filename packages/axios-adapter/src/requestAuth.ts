import type { InternalAxiosRequestConfig } from 'axios';

/**
 * What this library did to one request: the token it attached, and whether this is our retry.
 * A class, not a plain object: axios' mergeConfig deep-copies every plain object in a config (and
 * a retry's config is merged again), but passes other values through as they are.
 */
export class RequestAuth {
  /** The token sent, or null when the request went out without one of ours. */
  declare readonly carriedToken: string | null;
  /** True on the one retry after a refresh: its failure is final. */
  declare readonly retried: boolean;

  constructor(carriedToken: string | null, retried: boolean) {
    this.carriedToken = carriedToken;
    this.retried = retried;
  }
}

// A string key, not a symbol or a WeakMap: axios' mergeConfig copies only string keys into the
// config of a retry, and another interceptor may return a spread copy of the config.
const REQUEST_AUTH = '__authmachine';

type TrackedConfig = InternalAxiosRequestConfig & { [REQUEST_AUTH]?: RequestAuth };

export function requestAuthOf(config: InternalAxiosRequestConfig): RequestAuth | undefined {
  return (config as TrackedConfig)[REQUEST_AUTH];
}

export function setRequestAuth(config: InternalAxiosRequestConfig, auth: RequestAuth): void {
  (config as TrackedConfig)[REQUEST_AUTH] = auth;
}

/**
 * Turns the failed request's config into the one retry's: the same request (method, URL, body, other
 * headers) marked so that its own failure is final. In place, as axios-auth-refresh does: axios
 * merges it into a new config before anything reads it, and nobody else holds this internal config
 * (the error it came with is not passed on once the retry is sent); a copy per retry cost a storm of
 * N 401s N copies of axios' whole config.
 */
export function markAsRetry(config: InternalAxiosRequestConfig): InternalAxiosRequestConfig {
  (config as TrackedConfig)[REQUEST_AUTH] = RETRY_AUTH;
  return config;
}

const RETRY_AUTH = new RequestAuth(null, true);
