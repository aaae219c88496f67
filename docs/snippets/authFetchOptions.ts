import { isTokenRejection } from '@authmachine/core';
import { createAuthFetch } from '@authmachine/fetch';
import { session } from './createSession.js';

export const authFetch = createAuthFetch(session, {
  // Both origins get the token; any other origin gets none.
  allowedOrigins: ['https://api.example.com', 'https://files.example.com'],
  // This API answers 401 for a wrong share link under /public/, which a new token would not fix:
  // the default rule, but never there.
  shouldRefresh: (response, request) =>
    isTokenRejection(response.status, response.headers.get('www-authenticate')) &&
    !new URL(request.url).pathname.startsWith('/public/'),
  // A call that waits longer than 15 s for a restore or refresh fails with QUEUE_TIMEOUT, unsent.
  queueTimeout: 15_000,
});
