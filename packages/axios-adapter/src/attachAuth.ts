import { AuthError, type AuthSession, checkQueueTimeout, checkSession, warnUnknownOptions } from '@authmachine/core';
import type { AxiosInstance } from 'axios';
import { createOriginCheck } from './allowedOrigins.js';
import { createAuthHeader } from './authHeader.js';
import { authorizeRequest } from './authorizeRequest.js';
import { isTokenRejected } from './isTokenRejected.js';
import { createRequestQueue } from './requestQueue.js';
import { retryAfterRefresh } from './retryAfterRefresh.js';
import type { AttachAuthOptions, DetachAuth } from './types.js';

/**
 * Puts the session's token on the instance's requests to allowed origins, and turns their 401s into
 * one refresh and one retry each. Several instances may share one session: they share its refresh.
 */
const OPTIONS = [
  'shouldRefresh',
  'allowedOrigins',
  'headerName',
  'scheme',
  'queueTimeout',
] as const satisfies ReadonlyArray<keyof AttachAuthOptions>;

export function attachAuth(instance: AxiosInstance, session: AuthSession, options: AttachAuthOptions = {}): DetachAuth {
  if (typeof instance?.interceptors?.request?.use !== 'function') {
    throw new AuthError(
      'INVALID_OPTIONS',
      'attachAuth needs an axios instance (axios.create(...)) as its first argument.',
    );
  }
  checkSession(session, 'attachAuth');
  warnUnknownOptions(options, OPTIONS, 'attachAuth');
  const queueTimeout = checkQueueTimeout(options.queueTimeout);
  const isAllowedOrigin = createOriginCheck(instance, options.allowedOrigins);
  const header = createAuthHeader(options.headerName, options.scheme);
  const queue = createRequestQueue(session, { queueTimeout });
  const shouldRefresh = options.shouldRefresh ?? isTokenRejected;

  const requestInterceptor = instance.interceptors.request.use((config) =>
    authorizeRequest(config, { queue, isAllowedOrigin, header }),
  );
  const responseInterceptor = instance.interceptors.response.use(undefined, (error: unknown) =>
    retryAfterRefresh(error, { instance, session, queue, header, shouldRefresh, isAllowedOrigin }),
  );

  let detached = false;
  return () => {
    if (detached) return;
    detached = true;
    instance.interceptors.request.eject(requestInterceptor);
    instance.interceptors.response.eject(responseInterceptor);
    queue.close();
  };
}
