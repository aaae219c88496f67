import {
  type AuthSession,
  decideAfterRejection,
  decideBeforeSending,
  isTokenRejection,
  waitUntilSettled,
} from '@authmachine/core';

export interface Reply {
  status: number;
  wwwAuthenticate: string | null;
}

/**
 * The request policy around a client of your own: `send(token)` makes the call with that token
 * (with none for null). Waiting, the one refresh, the retry and every error are core's decisions,
 * so this call behaves as one through the axios or fetch adapter.
 */
export async function withSessionToken<R extends Reply>(
  session: AuthSession,
  send: (token: string | null) => Promise<R>,
  signal?: AbortSignal,
): Promise<R> {
  const before = decideBeforeSending(await waitUntilSettled(session, { signal }));
  if (before.type === 'fail') throw before.error;
  const token = before.type === 'send' ? before.token : null;
  const reply = await send(token);
  if (token === null || !isTokenRejection(reply.status, reply.wwwAuthenticate)) return reply;

  session.tokenRejected(token);
  const after = decideAfterRejection(await waitUntilSettled(session, { signal }), token);
  if (after.type === 'fail') throw after.error;
  // Sent again once, and its reply is final; otherwise the 401 is the answer.
  return after.type === 'send' && after.token !== null ? send(after.token) : reply;
}
