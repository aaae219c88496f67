import { type AuthState, beginWait, decideBeforeSending, isHeld, type RequestWait } from '@authmachine/core';
import type { InternalAxiosRequestConfig } from 'axios';
import type { OriginCheck } from './allowedOrigins.js';
import type { AuthHeader } from './authHeader.js';
import { RequestAuth, requestAuthOf, setRequestAuth } from './requestAuth.js';
import type { RequestQueue } from './requestQueue.js';

export interface AuthorizeContext {
  queue: RequestQueue;
  isAllowedOrigin: OriginCheck;
  header: AuthHeader;
}

/**
 * The request interceptor. Returns the config itself when nothing needs waiting for, so that the
 * common case costs no extra promise; a request made while the session restores or refreshes waits
 * and then goes out as core decides (`decideBeforeSending`): with the token that came out of it,
 * never the old one, or not at all.
 */
export function authorizeRequest(
  config: InternalAxiosRequestConfig,
  context: AuthorizeContext,
): InternalAxiosRequestConfig | Promise<InternalAxiosRequestConfig> {
  if (config.skipAuth === true || !context.isAllowedOrigin(config)) {
    // A retry left with the token its 401 was answered with; an app interceptor that has since
    // sent it elsewhere, or marked it skipAuth, sends it without.
    if (requestAuthOf(config)?.retried === true) context.header.remove(config);
    return config;
  }
  const state: AuthState = context.queue.current();
  if (!isHeld(state)) return withDecision(config, beginWait(state), context.header);
  return context.queue.afterSettled(config, (wait) => withDecision(config, wait, context.header));
}

function withDecision(
  config: InternalAxiosRequestConfig,
  wait: RequestWait,
  header: AuthHeader,
): InternalAxiosRequestConfig {
  const decision = decideBeforeSending(wait);
  if (decision.type === 'fail') throw decision.error;
  const token = decision.type === 'send' ? decision.token : null;
  const retried = requestAuthOf(config)?.retried === true;
  // A retry already carries a token (the one core retried it with): replaced here by today's, or
  // taken off when there is none any more (a logout while it was on its way).
  if (token !== null) header.set(config, token);
  else if (retried) header.remove(config);
  setRequestAuth(config, new RequestAuth(token, retried));
  return config;
}
