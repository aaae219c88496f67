import { isSessionEndedByDefault, SessionExpiredError, TokenRefreshError } from '@authmachine/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flush, loggedInSession, recordEvents, rejectionOf, type Settled, T0, track } from './support/testKit.js';

const ENDING: Array<[string, unknown]> = [
  ['an axios error with status 401', { isAxiosError: true, response: { status: 401, data: {} } }],
  ['an axios error with status 400', { response: { status: 400 } }],
  ['an axios error with status 403', { response: { status: 403 } }],
  ['a fetch wrapper error { status: 401 }', { status: 401 }],
  ['a fetch wrapper error { status: 400 }', Object.assign(new Error('Bad Request'), { status: 400 })],
  ['a got-like error { statusCode: 401 }', { statusCode: 401 }],
  ['a ky-like error with a real Response (400)', { name: 'HTTPError', response: new Response(null, { status: 400 }) }],
  ['an OAuth invalid_grant body (axios)', { response: { data: { error: 'invalid_grant' } } }],
  ['an OAuth invalid_grant body on a 200-less error', { data: { error: 'invalid_grant' } }],
  ['an OAuth invalid_grant body (fetch wrapper)', { body: { error: 'invalid_grant' } }],
  [
    'invalid_client (RFC 6749 §5.2: this client may not refresh)',
    { response: { status: 401, data: { error: 'invalid_client' } } },
  ],
  ['unauthorized_client', { status: 400, body: { error: 'unauthorized_client' } }],
  ['unsupported_grant_type', { status: 400, data: { error: 'unsupported_grant_type' } }],
  ['invalid_scope', { response: { status: 400, data: { error: 'invalid_scope' } } }],
  ['a bare 400 with a body that names no OAuth error', { response: { status: 400, data: 'Bad Request' } }],
  ['a 400 with an error code of its own', { response: { status: 400, data: { error: 'token expired' } } }],
];

const TRANSIENT: Array<[string, unknown]> = [
  ['an HTTP 500', { response: { status: 500 } }],
  ['an HTTP 502 from a fetch wrapper', { status: 502 }],
  ['an HTTP 429', { response: { status: 429 } }],
  ['a network error', new TypeError('fetch failed')],
  ['an axios network error (no response)', { isAxiosError: true, code: 'ERR_NETWORK', response: undefined }],
  ['an abort', new DOMException('The operation was aborted.', 'AbortError')],
  ['another OAuth error', { response: { status: 503, data: { error: 'temporarily_unavailable' } } }],
  [
    'invalid_request: the call was malformed, the token not consumed',
    { response: { status: 400, data: { error: 'invalid_request', error_description: 'refreshToken missing' } } },
  ],
  ['temporarily_unavailable, even on a 400', { status: 400, body: { error: 'temporarily_unavailable' } }],
  ['a status given as a string', { status: '401' }],
  ['null', null],
  ['undefined', undefined],
  ['a string', '401'],
  ['a number', 401],
];

describe('isSessionEndedByDefault', () => {
  it.each(ENDING)('%s ends the session', (_, error) => {
    expect(isSessionEndedByDefault(error)).toBe(true);
  });

  it.each(TRANSIENT)('%s does not end the session', (_, error) => {
    expect(isSessionEndedByDefault(error)).toBe(false);
  });

  it('does not throw on an error whose getters throw (a revoked Proxy, a consumed Response)', () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const hostile = {
      get response(): never {
        throw new Error('getter');
      },
    };
    expect(isSessionEndedByDefault(proxy)).toBe(false);
    expect(isSessionEndedByDefault(hostile)).toBe(false);
  });
});

describe('the session when the refresh is rejected', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: T0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it.each(ENDING)(
    '%s ends it: expired, SessionExpiredError to every waiter, one event, storage cleared',
    async (_, failure) => {
      const { session, refresh, storage } = await loggedInSession(undefined, { refreshRetries: 2 });
      const events = recordEvents(session);
      const viaRefresh = track(session.refresh());
      const waiters: Array<{ readonly current: Settled<string | null> }> = [viaRefresh, track(session.refresh())];
      await flush();
      session.tokenRejected('access-1');
      waiters.push(track(session.waitForAccessToken()), track(session.waitForAccessToken()));
      refresh.last().reject(failure);
      await vi.advanceTimersByTimeAsync(120_000);

      expect(refresh.fn).toHaveBeenCalledTimes(1);
      const error = rejectionOf(viaRefresh);
      expect(error).toBeInstanceOf(SessionExpiredError);
      expect((error as SessionExpiredError).code).toBe('SESSION_EXPIRED');
      expect((error as SessionExpiredError).cause).toBe(failure);
      for (const waiter of waiters) expect(rejectionOf(waiter)).toBe(error);
      expect(session.getSnapshot()).toEqual({
        status: 'expired',
        isAuthenticated: false,
        accessToken: null,
        expiresAt: null,
        error,
      });
      expect(session.getAccessToken()).toBeNull();
      expect(events).toEqual([{ name: 'sessionExpired', payload: { error } }]);
      expect(storage.clear).toHaveBeenCalledTimes(1);
      expect(storage.set).not.toHaveBeenCalled();
      expect(storage.held()).toBeNull();

      // Nothing can revive it but a login: a late 401 does nothing, refresh() rejects at once.
      session.tokenRejected('access-1');
      const again = track(session.refresh());
      await flush();
      expect(refresh.fn).toHaveBeenCalledTimes(1);
      expect(rejectionOf(again)).toBeInstanceOf(SessionExpiredError);
      await expect(session.waitForAccessToken()).rejects.toBeInstanceOf(SessionExpiredError);
      await session.login({ accessToken: 'access-new', refreshToken: 'refresh-new' });
      expect(session.getSnapshot()).toMatchObject({ status: 'authenticated', accessToken: 'access-new', error: null });
    },
  );

  it.each(TRANSIENT)('%s keeps it: retried, then TokenRefreshError, tokens kept', async (_, failure) => {
    const { session, refresh, storage } = await loggedInSession(undefined, { refreshRetries: 1 });
    const events = recordEvents(session);
    const refreshed = track(session.refresh());
    await flush();
    refresh.last().reject(failure);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(refresh.fn).toHaveBeenCalledTimes(2);
    refresh.last().reject(failure);
    await flush();

    const error = rejectionOf(refreshed);
    expect(error).toBeInstanceOf(TokenRefreshError);
    expect((error as TokenRefreshError).cause).toBe(failure);
    expect(session.getSnapshot()).toMatchObject({ status: 'authenticated', accessToken: 'access-1', error });
    expect(events.map(({ name }) => name)).toEqual(['refreshFailed']);
    expect(storage.clear).not.toHaveBeenCalled();
  });

  it('honours a custom isSessionEnded, which replaces the default', async () => {
    const isSessionEnded = vi.fn((error: unknown) => error === 'revoked');
    const { session, refresh } = await loggedInSession(undefined, { isSessionEnded, refreshRetries: 0 });

    // The default would end the session on a 401; this predicate does not.
    const first = track(session.refresh());
    await flush();
    refresh.last().reject({ response: { status: 401 } });
    await flush();
    expect(rejectionOf(first)).toBeInstanceOf(TokenRefreshError);
    expect(session.getSnapshot().status).toBe('authenticated');

    const second = track(session.refresh());
    await flush();
    refresh.last().reject('revoked');
    await flush();
    expect(rejectionOf(second)).toBeInstanceOf(SessionExpiredError);
    expect(session.getSnapshot().status).toBe('expired');
    expect(isSessionEnded.mock.calls).toEqual([[{ response: { status: 401 } }], ['revoked']]);
  });

  it('a custom isSessionEnded that throws counts as "not ended": the failure is transient', async () => {
    const isSessionEnded = vi.fn((): boolean => {
      throw new Error('bug in the predicate');
    });
    const { session, refresh, storage } = await loggedInSession(undefined, { isSessionEnded, refreshRetries: 1 });
    const refreshed = track(session.refresh());
    await flush();
    refresh.last().reject({ response: { status: 401 } });
    await vi.advanceTimersByTimeAsync(1_000);
    refresh.last().reject({ response: { status: 401 } });
    await flush();

    expect(refresh.fn).toHaveBeenCalledTimes(2);
    expect(rejectionOf(refreshed)).toBeInstanceOf(TokenRefreshError);
    expect(session.getSnapshot()).toMatchObject({ status: 'authenticated', accessToken: 'access-1' });
    expect(storage.clear).not.toHaveBeenCalled();
  });

  it('a custom isSessionEnded answering something other than true counts as "not ended"', async () => {
    const isSessionEnded = vi.fn(() => 'yes' as unknown as boolean);
    const { session, refresh } = await loggedInSession(undefined, { isSessionEnded, refreshRetries: 0 });
    const refreshed = track(session.refresh());
    await flush();
    refresh.last().reject({ response: { status: 401 } });
    await flush();

    expect(rejectionOf(refreshed)).toBeInstanceOf(TokenRefreshError);
    expect(session.getSnapshot().status).toBe('authenticated');
  });
});
