import { type AuthSession, decideAfterRejection, warnTokenWithheld } from '@authmachine/core';
import { type AxiosError, type AxiosInstance, type AxiosResponse, isAxiosError } from 'axios';
import type { OriginCheck } from './allowedOrigins.js';
import type { AuthHeader } from './authHeader.js';
import { isTokenRejected } from './isTokenRejected.js';
import { markAsRetry, requestAuthOf } from './requestAuth.js';
import type { RequestQueue } from './requestQueue.js';

export interface RetryContext {
  instance: AxiosInstance;
  session: AuthSession;
  queue: RequestQueue;
  header: AuthHeader;
  shouldRefresh: (error: AxiosError) => boolean;
  isAllowedOrigin: OriginCheck;
}

/**
 * The response interceptor's error path. A rejected token is reported to the machine, which
 * starts at most one refresh for it (none for an older token); the request waits for the machine
 * to settle, and core decides (`decideAfterRejection`) whether it is retried once, fails, or keeps
 * its 401. Not async: it throws the errors it passes on synchronously, which axios' promise chain
 * turns into the rejection, and returns the retry's own promise rather than one wrapping it.
 */
export function retryAfterRefresh(error: unknown, context: RetryContext): Promise<AxiosResponse> {
  if (!isAxiosError(error) || !error.config) throw error;
  const { config } = error;
  const auth = requestAuthOf(config);
  if (!auth && config.skipAuth !== true && context.session.getAccessToken() !== null && isTokenRejected(error)) {
    // Not ours to retry; but say why it carried no token, when that is the origin allow-list.
    if (!context.isAllowedOrigin(config))
      warnTokenWithheld('attachAuth', context.instance.getUri(config), context.isAllowedOrigin.policy);
  }
  // Only our own first attempts that carried our token: a retry's failure is final (no loop), and a
  // request that carried no token of ours says nothing about our token.
  if (!auth || auth.retried || auth.carriedToken === null || config.skipAuth === true) throw error;
  if (!asksForRefresh(error, context.shouldRefresh)) throw error;

  const { carriedToken } = auth;
  context.session.tokenRejected(carriedToken);
  return context.queue.afterSettled(config, (wait) => {
    const decision = decideAfterRejection(wait, carriedToken);
    if (decision.type === 'fail') throw decision.error;
    if (decision.type === 'keepResponse' || decision.token === null) throw error;
    // Over the rejected token, in place: the retry must not resend it, and deleting the header would
    // turn axios' headers object into a slow dictionary that every later step of the retry pays for.
    context.header.set(config, decision.token);
    return context.instance.request(markAsRetry(config));
  });
}

// An app predicate that throws must not turn one failed request into an unexplained one.
function asksForRefresh(error: AxiosError, shouldRefresh: (error: AxiosError) => boolean): boolean {
  try {
    return shouldRefresh(error) === true;
  } catch {
    return false;
  }
}
