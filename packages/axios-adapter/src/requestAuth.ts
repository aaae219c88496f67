import type { AxiosHeaders, InternalAxiosRequestConfig } from 'axios';

/** What this library did to one request: the token it attached, and whether this is our retry. */
export interface RequestAuth {
  /** The token sent, or null when the request went out without one of ours. */
  carriedToken: string | null;
  /** True on the one retry after a refresh: its failure is final. */
  retried: boolean;
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
 * The config of the one retry: the same request (method, URL, body, other headers) without our old
 * token, marked so that its own failure is final.
 */
export function retryConfigOf(config: InternalAxiosRequestConfig, headers: AxiosHeaders): InternalAxiosRequestConfig {
  const retry: TrackedConfig = { ...config, headers, [REQUEST_AUTH]: { carriedToken: null, retried: true } };
  return retry;
}
