import type { AuthSession } from '@authmachine/core';
import { type AxiosError, type AxiosInstance, type AxiosResponse, isAxiosError } from 'axios';
import type { AuthHeader } from './authHeader.js';
import { sessionExpiredErrorOf, transientRefreshErrorOf } from './failedRefresh.js';
import { requestAuthOf, retryConfigOf } from './requestAuth.js';
import type { RequestQueue } from './requestQueue.js';

export interface RetryContext {
  instance: AxiosInstance;
  session: AuthSession;
  queue: RequestQueue;
  header: AuthHeader;
  shouldRefresh: (error: AxiosError) => boolean;
}

/**
 * The response interceptor's error path. A rejected token is reported to the machine, which
 * starts at most one refresh for it (none for an older token); the request waits for the machine
 * to settle and is retried once with the token it settled on.
 */
export async function retryAfterRefresh(error: unknown, context: RetryContext): Promise<AxiosResponse> {
  if (!isAxiosError(error) || !error.config) throw error;
  const { config } = error;
  const auth = requestAuthOf(config);
  // Only our own first attempts that carried our token: a retry's failure is final (no loop), and a
  // request that carried no token of ours says nothing about our token.
  if (!auth || auth.retried || auth.carriedToken === null || config.skipAuth === true) throw error;
  if (!asksForRefresh(error, context.shouldRefresh)) throw error;

  const before = context.queue.current();
  // One cause, one error: the app already learned the session ended; this 401 is part of that.
  if (before.status === 'expired') throw sessionExpiredErrorOf(before);
  context.session.tokenRejected(auth.carriedToken);

  const { state, sawRefreshing } = await context.queue.whenSettled(config);
  if (state.status === 'expired') throw sessionExpiredErrorOf(state);
  if (state.status !== 'authenticated') throw error; // logged out meanwhile: the 401 stands
  const refreshError = sawRefreshing ? transientRefreshErrorOf(state) : null;
  if (refreshError) throw refreshError;
  // Same token as before means no new one came: retrying would only repeat the 401.
  if (state.accessToken === auth.carriedToken) throw error;
  return context.instance.request(retryConfigOf(config, context.header.headersWithout(config)));
}

// An app predicate that throws must not turn one failed request into an unexplained one.
function asksForRefresh(error: AxiosError, shouldRefresh: (error: AxiosError) => boolean): boolean {
  try {
    return shouldRefresh(error) === true;
  } catch {
    return false;
  }
}
