import type { AuthState } from '@authmachine/core';
import type { InternalAxiosRequestConfig } from 'axios';
import type { OriginCheck } from './allowedOrigins.js';
import type { AuthHeader } from './authHeader.js';
import { sessionExpiredErrorOf, transientRefreshErrorOf } from './failedRefresh.js';
import { requestAuthOf, setRequestAuth } from './requestAuth.js';
import { isHeld, type RequestQueue } from './requestQueue.js';

export interface AuthorizeContext {
  queue: RequestQueue;
  isAllowedOrigin: OriginCheck;
  header: AuthHeader;
}

/**
 * The request interceptor. Returns the config itself when nothing needs waiting for, so that the
 * common case costs no extra promise; a request made while the session restores or refreshes waits
 * and then goes out with the token that came out of it, never with the old one.
 */
export function authorizeRequest(
  config: InternalAxiosRequestConfig,
  context: AuthorizeContext,
): InternalAxiosRequestConfig | Promise<InternalAxiosRequestConfig> {
  if (config.skipAuth === true || !context.isAllowedOrigin(config)) return config;
  const state = context.queue.current();
  if (!isHeld(state)) return withToken(config, state, context.header);
  return context.queue.whenSettled(config).then(({ state: settled, sawRefreshing }) => {
    if (sawRefreshing) {
      // The refresh this request waited for failed: sending it with no token or the old one would
      // only earn another 401, so it gets the refresh's error instead.
      if (settled.status === 'expired') throw sessionExpiredErrorOf(settled);
      const refreshError = transientRefreshErrorOf(settled);
      if (refreshError) throw refreshError;
    }
    return withToken(config, settled, context.header);
  });
}

function withToken(
  config: InternalAxiosRequestConfig,
  state: AuthState,
  header: AuthHeader,
): InternalAxiosRequestConfig {
  const token = state.status === 'authenticated' ? state.accessToken : null;
  if (token !== null) header.set(config, token);
  setRequestAuth(config, { carriedToken: token, retried: requestAuthOf(config)?.retried ?? false });
  return config;
}
