import { AuthError, InvalidTokenResponseError, TokenRefreshError } from '@authmachine/core';
import { describe, expect, it, vi } from 'vitest';
import { flush, loggedInSession, recordEvents, rejectionOf, T0, track, useFakeClock } from './support/testKit.js';

useFakeClock();

const NEW_TOKENS = { accessToken: 'access-2', refreshToken: 'refresh-2', expiresIn: 3600 };

describe('one refresh for many callers', () => {
  it('50 concurrent refresh() and tokenRejected() calls make exactly one refresh call and all get its token', async () => {
    const { session, refresh, storage } = await loggedInSession();
    const events = recordEvents(session);

    const waiting = Array.from({ length: 50 }, (_, index) => {
      if (index % 2 === 0) return track(session.refresh());
      session.tokenRejected('access-1');
      return track(session.waitForAccessToken());
    });
    await flush();
    expect(refresh.fn).toHaveBeenCalledTimes(1);
    expect(session.getSnapshot()).toMatchObject({
      status: 'refreshing',
      isAuthenticated: true,
      accessToken: 'access-1',
    });

    refresh.last().resolve(NEW_TOKENS);
    await flush();

    expect(refresh.fn).toHaveBeenCalledTimes(1);
    expect(waiting.map((tracked) => tracked.current)).toEqual(
      Array.from({ length: 50 }, () => ({ status: 'resolved', value: 'access-2' })),
    );
    expect(storage.set).toHaveBeenCalledTimes(1);
    expect(events.map(({ name }) => name)).toEqual(['refreshed']);
    expect(session.getSnapshot()).toMatchObject({ status: 'authenticated', accessToken: 'access-2', error: null });
  });

  it('gives the refresh function the current refresh token and a live AbortSignal', async () => {
    const { session, refresh } = await loggedInSession();
    const refreshed = track(session.refresh());
    await flush();

    expect(refresh.fn).toHaveBeenCalledWith({ refreshToken: 'refresh-1', signal: expect.any(AbortSignal) });
    expect(refresh.last().ctx.signal.aborted).toBe(false);
    refresh.last().resolve(NEW_TOKENS);
    await flush();
    expect(refreshed.current).toEqual({ status: 'resolved', value: 'access-2' });
  });

  it('a refresh() after the previous refresh ended starts a new one, with the new refresh token', async () => {
    const { session, refresh } = await loggedInSession();
    const first = track(session.refresh());
    await flush();
    refresh.last().resolve(NEW_TOKENS);
    await flush();
    const second = track(session.refresh());
    await flush();
    refresh.last().resolve({ accessToken: 'access-3', refreshToken: 'refresh-3' });
    await flush();

    expect(refresh.fn).toHaveBeenCalledTimes(2);
    expect(refresh.calls[1]?.ctx.refreshToken).toBe('refresh-2');
    expect(first.current).toEqual({ status: 'resolved', value: 'access-2' });
    expect(second.current).toEqual({ status: 'resolved', value: 'access-3' });
  });

  it('a tokenRejected() for an older token starts no refresh', async () => {
    const { session, refresh } = await loggedInSession();
    session.tokenRejected('access-1');
    await flush();
    refresh.last().resolve(NEW_TOKENS);
    await flush();

    // A late 401 for the token the refresh replaced, and one for a token this session never had.
    session.tokenRejected('access-1');
    session.tokenRejected('access-from-elsewhere');
    await flush();

    expect(refresh.fn).toHaveBeenCalledTimes(1);
    expect(session.getSnapshot()).toMatchObject({ status: 'authenticated', accessToken: 'access-2' });
    expect(session.getAccessToken()).toBe('access-2');
  });

  it('a tokenRejected() for the current token starts a refresh', async () => {
    const { session, refresh } = await loggedInSession();
    session.tokenRejected('access-1');
    expect(session.getSnapshot().status).toBe('refreshing');
    await flush();
    expect(refresh.fn).toHaveBeenCalledTimes(1);
  });

  it('a tokenRejected() in a session that is not authenticated does nothing', async () => {
    const { session, refresh } = await loggedInSession();
    await session.logout();
    session.tokenRejected('access-1');
    await flush();

    expect(refresh.fn).not.toHaveBeenCalled();
    expect(session.getSnapshot().status).toBe('anonymous');
  });
});

describe('refresh token rotation', () => {
  it('writes the new access and refresh token in one storage.set call', async () => {
    const { session, refresh, storage } = await loggedInSession();
    session.tokenRejected('access-1');
    await flush();
    refresh.last().resolve(NEW_TOKENS);
    await flush();

    expect(storage.set).toHaveBeenCalledTimes(1);
    expect(storage.set).toHaveBeenCalledWith({
      accessToken: 'access-2',
      refreshToken: 'refresh-2',
      expiresAt: T0 + 3_600_000,
    });
    expect(storage.held()).toEqual({ accessToken: 'access-2', refreshToken: 'refresh-2', expiresAt: T0 + 3_600_000 });
  });

  it.each([
    ['without a refreshToken', { accessToken: 'access-2', expiresIn: 3600 }],
    ['with refreshToken null', { accessToken: 'access-2', refreshToken: null, expiresIn: 3600 }],
    ['with an empty refreshToken', { accessToken: 'access-2', refreshToken: '', expiresIn: 3600 }],
  ])('a refresh result %s keeps the old refresh token (RFC 6749 §6)', async (_, result) => {
    const { session, refresh, storage } = await loggedInSession();
    session.tokenRejected('access-1');
    await flush();
    refresh.last().resolve(result);
    await flush();

    expect(storage.set).toHaveBeenCalledTimes(1);
    expect(storage.set).toHaveBeenCalledWith({
      accessToken: 'access-2',
      refreshToken: 'refresh-1',
      expiresAt: T0 + 3_600_000,
    });

    session.tokenRejected('access-2');
    await flush();
    expect(refresh.fn).toHaveBeenCalledTimes(2);
    expect(refresh.last().ctx.refreshToken).toBe('refresh-1');
  });
});

describe('a malformed refresh result', () => {
  it.each([
    ['null', null],
    ['undefined', undefined],
    ['a string', 'access-2'],
    ['a number', 42],
    ['an array', ['access-2']],
    ['an empty object', {}],
    ['a token under another name', { id_token: 'access-2', refresh_token: 'refresh-2' }],
    ['expires_in not a number', { access_token: 'access-2', expires_in: 'soon' }],
    ['an empty accessToken', { accessToken: '', refreshToken: 'refresh-2' }],
    ['a numeric accessToken', { accessToken: 42, refreshToken: 'refresh-2' }],
    ['a null accessToken', { accessToken: null, refreshToken: 'refresh-2' }],
    ['an object as accessToken', { accessToken: { value: 'access-2' } }],
    ['a numeric refreshToken', { accessToken: 'access-2', refreshToken: 42 }],
    ['expiresIn NaN', { accessToken: 'access-2', refreshToken: 'refresh-2', expiresIn: Number.NaN }],
    ['expiresIn Infinity', { accessToken: 'access-2', expiresIn: Number.POSITIVE_INFINITY }],
    ['expiresIn as a string', { accessToken: 'access-2', expiresIn: '3600' }],
    ['expiresAt as a date string', { accessToken: 'access-2', expiresAt: '2030-01-01T01:00:00Z' }],
  ])('(%s) is a transient failure: not retried, nothing stored, the tokens kept', async (_, result) => {
    const { session, refresh, storage } = await loggedInSession(undefined, { refreshRetries: 2 });
    const events = recordEvents(session);
    const viaRefresh = track(session.refresh());
    await flush();
    expect(session.getSnapshot().status).toBe('refreshing');
    const viaWait = track(session.waitForAccessToken());
    refresh.last().resolve(result);
    await vi.advanceTimersByTimeAsync(120_000);

    expect(refresh.fn).toHaveBeenCalledTimes(1);
    for (const waited of [viaRefresh, viaWait]) {
      const error = rejectionOf(waited);
      expect(error).toBeInstanceOf(TokenRefreshError);
      expect((error as TokenRefreshError).cause).toBeInstanceOf(InvalidTokenResponseError);
      expect(((error as TokenRefreshError).cause as AuthError).code).toBe('INVALID_TOKEN_RESPONSE');
    }
    expect(storage.set).not.toHaveBeenCalled();
    expect(storage.clear).not.toHaveBeenCalled();
    const snapshot = session.getSnapshot();
    expect(snapshot).toMatchObject({ status: 'authenticated', isAuthenticated: true, accessToken: 'access-1' });
    expect(snapshot.error).toBe(rejectionOf(viaRefresh));
    expect(events).toEqual([{ name: 'refreshFailed', payload: { error: snapshot.error } }]);

    // The old refresh token was kept: the next 401 tries again with it.
    session.tokenRejected('access-1');
    await flush();
    expect(refresh.fn).toHaveBeenCalledTimes(2);
    expect(refresh.last().ctx.refreshToken).toBe('refresh-1');
    refresh.last().resolve(NEW_TOKENS);
    await flush();
    expect(session.getSnapshot()).toMatchObject({ status: 'authenticated', accessToken: 'access-2', error: null });
  });

  it('stays a transient failure even when a custom isSessionEnded says yes to every error', async () => {
    const isSessionEnded = vi.fn(() => true);
    const { session, refresh, storage } = await loggedInSession(undefined, { isSessionEnded });
    const refreshed = track(session.refresh());
    await flush();
    refresh.last().resolve({ accessToken: '' });
    await flush();

    expect(rejectionOf(refreshed)).toBeInstanceOf(TokenRefreshError);
    expect(session.getSnapshot()).toMatchObject({ status: 'authenticated', accessToken: 'access-1' });
    expect(storage.clear).not.toHaveBeenCalled();
    expect(storage.set).not.toHaveBeenCalled();
  });
});

describe('refresh() without a session to refresh', () => {
  it('rejects with NOT_AUTHENTICATED when anonymous, and calls nothing', async () => {
    const { session, refresh } = await loggedInSession();
    await session.logout();
    const refreshed = track(session.refresh());
    await flush();

    const error = rejectionOf(refreshed);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).code).toBe('NOT_AUTHENTICATED');
    expect(refresh.fn).not.toHaveBeenCalled();
  });

  it('ends the session when there is no refresh token', async () => {
    const { session, refresh, storage } = await loggedInSession({ accessToken: 'access-only' });
    const events = recordEvents(session);
    const refreshed = track(session.refresh());
    await flush();

    const error = rejectionOf(refreshed);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).code).toBe('SESSION_EXPIRED');
    expect(refresh.fn).not.toHaveBeenCalled();
    expect(session.getSnapshot()).toMatchObject({ status: 'expired', isAuthenticated: false, accessToken: null });
    expect(storage.clear).toHaveBeenCalledTimes(1);
    expect(events).toEqual([{ name: 'sessionExpired', payload: { error } }]);
  });

  it('a 401 for the current token ends a session that has no refresh token', async () => {
    const { session, refresh } = await loggedInSession({ accessToken: 'access-only' });
    const events = recordEvents(session);
    session.tokenRejected('access-only');
    await flush();

    expect(refresh.fn).not.toHaveBeenCalled();
    expect(session.getSnapshot()).toMatchObject({ status: 'expired', accessToken: null });
    expect(events.map(({ name }) => name)).toEqual(['sessionExpired']);
    expect(session.getAccessToken()).toBeNull();
  });
});
