import {
  type AuthSession,
  createAuthSession,
  decideAfterRejection,
  decideBeforeSending,
  type RequestDecision,
  SessionExpiredError,
  TokenRefreshError,
  waitUntilSettled,
} from '@authmachine/core';
import { afterEach, describe, expect, it } from 'vitest';

/*
 * The table every adapter follows, asked through a real session in each situation: the session is
 * driven into it by its public commands and a refresh function the test answers, then a request's
 * wait (waitUntilSettled) and core's decision are read as an adapter reads them.
 */

interface Refresh {
  answer(result: { accessToken: string; refreshToken?: string } | { error: unknown }): void;
  calls: number;
}

const sessions: AuthSession[] = [];
afterEach(() => {
  for (const session of sessions.splice(0)) session.stop();
});

function controlledSession(): { session: AuthSession; refresh: Refresh } {
  const pending: Array<(outcome: { value?: unknown; error?: unknown }) => void> = [];
  const refresh: Refresh = {
    calls: 0,
    answer(result) {
      const settle = pending.shift();
      if (!settle) throw new Error('no refresh call is waiting');
      settle('error' in result ? { error: result.error } : { value: result });
    },
  };
  const session = createAuthSession({
    refresh: () => {
      refresh.calls += 1;
      return new Promise((resolve, reject) => {
        pending.push((outcome) => ('error' in outcome ? reject(outcome.error) : resolve(outcome.value as never)));
      });
    },
    refreshLeeway: false,
    refreshRetries: 0,
  });
  sessions.push(session);
  return { session, refresh };
}

async function loggedIn(tokens = { accessToken: 'access-1', refreshToken: 'refresh-1' }) {
  const controlled = controlledSession();
  await controlled.session.login(tokens);
  return controlled;
}

const send = (token: string | null): RequestDecision => ({ type: 'send', token });
const keepResponse: RequestDecision = { type: 'keepResponse' };

describe('a request about to go out (decideBeforeSending)', () => {
  it('authenticated: the token, at once', async () => {
    const { session } = await loggedIn();
    expect(decideBeforeSending(await waitUntilSettled(session))).toEqual(send('access-1'));
  });

  it('queued during a refresh that succeeds: the new token, never the old one', async () => {
    const { session, refresh } = await loggedIn();
    session.tokenRejected('access-1');
    const waited = waitUntilSettled(session);
    refresh.answer({ accessToken: 'access-2' });
    const wait = await waited;
    expect(wait.sawRefreshing).toBe(true);
    expect(decideBeforeSending(wait)).toEqual(send('access-2'));
  });

  it('queued during a refresh that fails transiently: its TokenRefreshError (the old token would only earn a 401)', async () => {
    const { session, refresh } = await loggedIn();
    session.tokenRejected('access-1');
    const waited = waitUntilSettled(session);
    refresh.answer({ error: Object.assign(new Error('bad gateway'), { status: 502 }) });
    const decision = decideBeforeSending(await waited);
    expect(decision).toEqual({ type: 'fail', error: expect.any(TokenRefreshError) });
    expect(session.getSnapshot()).toMatchObject({ status: 'authenticated', accessToken: 'access-1' });
    // A request made after that failure did not wait for it: it goes out with the kept token.
    expect(decideBeforeSending(await waitUntilSettled(session))).toEqual(send('access-1'));
  });

  it('queued during a refresh the server refuses, and every request while expired: the session’s SessionExpiredError', async () => {
    const { session, refresh } = await loggedIn();
    session.tokenRejected('access-1');
    const waited = waitUntilSettled(session);
    refresh.answer({ error: Object.assign(new Error('refused'), { status: 401 }) });
    const decision = decideBeforeSending(await waited);
    const ended = session.getSnapshot().error;
    expect(ended).toBeInstanceOf(SessionExpiredError);
    expect(decision).toEqual({ type: 'fail', error: ended });
    expect(decideBeforeSending(await waitUntilSettled(session))).toEqual({ type: 'fail', error: ended });
    await expect(session.waitForAccessToken()).rejects.toBe(ended);
  });

  it('anonymous (never logged in, or after logout): no token', async () => {
    const { session } = controlledSession();
    expect(decideBeforeSending(await waitUntilSettled(session))).toEqual(send(null));
    const other = await loggedIn();
    await other.session.logout();
    expect(decideBeforeSending(await waitUntilSettled(other.session))).toEqual(send(null));
  });

  it('queued during a refresh that a logout cuts short: no token', async () => {
    const { session } = await loggedIn();
    session.tokenRejected('access-1');
    const waited = waitUntilSettled(session);
    await session.logout();
    expect(decideBeforeSending(await waited)).toEqual(send(null));
  });
});

describe('a request after its own 401 (decideAfterRejection)', () => {
  it('the refresh its 401 started succeeds: retried with the new token', async () => {
    const { session, refresh } = await loggedIn();
    session.tokenRejected('access-1');
    const waited = waitUntilSettled(session);
    refresh.answer({ accessToken: 'access-2', refreshToken: 'refresh-2' });
    expect(decideAfterRejection(await waited, 'access-1')).toEqual(send('access-2'));
  });

  it('a late 401 for an older token: retried at once with the current one, no refresh', async () => {
    const { session, refresh } = await loggedIn();
    session.tokenRejected('access-from-before');
    expect(decideAfterRejection(await waitUntilSettled(session), 'access-from-before')).toEqual(send('access-1'));
    expect(refresh.calls).toBe(0);
  });

  it('no refresh token: the 401 ends the session and the request gets SessionExpiredError, as waitForAccessToken does', async () => {
    const { session, refresh } = await loggedIn({ accessToken: 'access-only' } as never);
    session.tokenRejected('access-only');
    const decision = decideAfterRejection(await waitUntilSettled(session), 'access-only');
    const ended = session.getSnapshot().error;
    expect(ended).toBeInstanceOf(SessionExpiredError);
    expect(decision).toEqual({ type: 'fail', error: ended });
    await expect(session.waitForAccessToken()).rejects.toBe(ended);
    expect(refresh.calls).toBe(0);
  });

  it('a 401 that arrives after the session ended: the same SessionExpiredError (one cause, one error)', async () => {
    const { session, refresh } = await loggedIn();
    session.tokenRejected('access-1');
    refresh.answer({ error: Object.assign(new Error('refused'), { status: 400 }) });
    await waitUntilSettled(session);
    const ended = session.getSnapshot().error;
    session.tokenRejected('access-1');
    expect(decideAfterRejection(await waitUntilSettled(session), 'access-1')).toEqual({ type: 'fail', error: ended });
  });

  it('logged out while it waited: its own 401 stands', async () => {
    const { session } = await loggedIn();
    session.tokenRejected('access-1');
    const waited = waitUntilSettled(session);
    await session.logout();
    expect(decideAfterRejection(await waited, 'access-1')).toEqual(keepResponse);
  });

  it('the refresh fails transiently: TokenRefreshError; the same token again: its 401 stands', async () => {
    const { session, refresh } = await loggedIn();
    session.tokenRejected('access-1');
    const waited = waitUntilSettled(session);
    refresh.answer({ error: new TypeError('fetch failed') });
    expect(decideAfterRejection(await waited, 'access-1')).toEqual({
      type: 'fail',
      error: expect.any(TokenRefreshError),
    });
    // Without a refresh in between (nothing new to retry with), a retry would repeat the 401.
    expect(decideAfterRejection({ state: session.getSnapshot(), sawRefreshing: false }, 'access-1')).toEqual(
      keepResponse,
    );
  });
});
