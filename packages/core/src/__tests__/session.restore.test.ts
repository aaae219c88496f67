import { createAuthSession, SessionExpiredError, type TokenSet } from '@authmachine/core';
import { describe, expect, it, vi } from 'vitest';
import {
  controllableRefresh,
  createDeferred,
  flush,
  HOUR,
  makeJwt,
  recordEvents,
  rejectionOf,
  spyStorage,
  T0,
  track,
  useFakeClock,
} from './support/testKit.js';

useFakeClock();

const NEW_TOKENS = { accessToken: 'access-2', refreshToken: 'refresh-2', expiresIn: 3600 };

function sessionOn(stored: unknown) {
  const storage = spyStorage(stored);
  const refresh = controllableRefresh();
  const session = createAuthSession({ refresh: refresh.fn, storage });
  const events = recordEvents(session);
  return { session, storage, refresh, events };
}

describe('restoring the stored session', () => {
  it('starts in restoring and reads storage once', async () => {
    const { session, storage } = sessionOn(null);
    expect(session.getSnapshot()).toEqual({
      status: 'restoring',
      isAuthenticated: false,
      accessToken: null,
      expiresAt: null,
      error: null,
    });
    await flush();
    expect(storage.get).toHaveBeenCalledTimes(1);
  });

  it('nothing stored → anonymous, without error or event', async () => {
    const { session, events } = sessionOn(null);
    const waited = track(session.waitForAccessToken());
    await flush();

    expect(session.getSnapshot()).toEqual({
      status: 'anonymous',
      isAuthenticated: false,
      accessToken: null,
      expiresAt: null,
      error: null,
    });
    expect(waited.current).toEqual({ status: 'resolved', value: null });
    expect(events).toEqual([]);
  });

  it.each<[string, TokenSet, number | null]>([
    [
      'with expiresAt',
      { accessToken: 'access-stored', refreshToken: 'refresh-stored', expiresAt: T0 + HOUR },
      T0 + HOUR,
    ],
    ['with an unknown expiry', { accessToken: 'access-stored', refreshToken: 'refresh-stored' }, null],
    ['with a JWT exp', { accessToken: makeJwt({ exp: T0 / 1000 + 600 }) }, T0 + 600_000],
  ])('a stored token still valid (%s) → authenticated, no refresh', async (_, stored, expiresAt) => {
    const { session, refresh, storage } = sessionOn(stored);
    const waited = track(session.waitForAccessToken());
    await flush();

    expect(session.getSnapshot()).toEqual({
      status: 'authenticated',
      isAuthenticated: true,
      accessToken: stored.accessToken,
      expiresAt,
      error: null,
    });
    expect(waited.current).toEqual({ status: 'resolved', value: stored.accessToken });
    expect(refresh.fn).not.toHaveBeenCalled();
    expect(storage.clear).not.toHaveBeenCalled();
  });

  it('a stored expired token with a refresh token → refreshing, then authenticated with the new token', async () => {
    const { session, refresh, storage, events } = sessionOn({
      accessToken: 'access-old',
      refreshToken: 'refresh-stored',
      expiresAt: T0 - 1,
    });
    const waited = track(session.waitForAccessToken());
    await flush();

    expect(session.getSnapshot()).toMatchObject({ status: 'refreshing' });
    expect(refresh.fn).toHaveBeenCalledTimes(1);
    expect(refresh.last().ctx.refreshToken).toBe('refresh-stored');
    // Requests wait: nobody gets the expired token.
    expect(waited.current.status).toBe('pending');

    refresh.last().resolve(NEW_TOKENS);
    await flush();
    expect(session.getSnapshot()).toMatchObject({ status: 'authenticated', accessToken: 'access-2' });
    expect(waited.current).toEqual({ status: 'resolved', value: 'access-2' });
    expect(storage.set.mock.calls).toEqual([
      [{ accessToken: 'access-2', refreshToken: 'refresh-2', expiresAt: T0 + HOUR }],
    ]);
    expect(events.map(({ name }) => name)).toEqual(['refreshed']);
  });

  it('a stored expired token whose refresh is rejected → expired, and the waiters learn why', async () => {
    const { session, refresh, storage, events } = sessionOn({
      accessToken: 'access-old',
      refreshToken: 'refresh-revoked',
      expiresAt: T0 - HOUR,
    });
    const waited = track(session.waitForAccessToken());
    await flush();
    refresh.last().reject({ response: { status: 400, data: { error: 'invalid_grant' } } });
    await flush();

    expect(session.getSnapshot()).toMatchObject({ status: 'expired', accessToken: null });
    expect(rejectionOf(waited)).toBeInstanceOf(SessionExpiredError);
    expect(storage.clear).toHaveBeenCalledTimes(1);
    expect(events.map(({ name }) => name)).toEqual(['sessionExpired']);
  });

  it('a stored expired token without a refresh token → expired, storage cleared, sessionExpired', async () => {
    const { session, refresh, storage, events } = sessionOn({ accessToken: 'access-old', expiresAt: T0 - 1 });
    const waited = track(session.waitForAccessToken());
    await flush();

    const snapshot = session.getSnapshot();
    expect(snapshot).toMatchObject({ status: 'expired', isAuthenticated: false, accessToken: null, expiresAt: null });
    expect(snapshot.error).toBeInstanceOf(SessionExpiredError);
    // The session it waited for ended: the waiter learns it as the session's own error, not as `null`.
    expect(waited.current).toEqual({ status: 'rejected', error: snapshot.error });
    expect(refresh.fn).not.toHaveBeenCalled();
    expect(storage.clear).toHaveBeenCalledTimes(1);
    expect(storage.held()).toBeNull();
    expect(events).toEqual([{ name: 'sessionExpired', payload: { error: snapshot.error } }]);
  });
});

describe('an async storage', () => {
  function asyncStorage() {
    const read = createDeferred<TokenSet | null>();
    const storage = { get: vi.fn(() => read.promise), set: vi.fn(), clear: vi.fn() };
    return { read, storage };
  }

  it('keeps the session restoring until get() resolves, however long it takes', async () => {
    const { read, storage } = asyncStorage();
    const session = createAuthSession({ refresh: vi.fn(), storage });
    const waited = track(session.waitForAccessToken());
    await vi.advanceTimersByTimeAsync(HOUR);

    expect(session.getSnapshot().status).toBe('restoring');
    expect(session.getAccessToken()).toBeNull();
    expect(waited.current.status).toBe('pending');

    read.resolve({ accessToken: 'access-stored', refreshToken: 'refresh-stored', expiresAt: T0 + 2 * HOUR });
    await flush();
    expect(session.getSnapshot()).toMatchObject({ status: 'authenticated', accessToken: 'access-stored' });
    expect(waited.current).toEqual({ status: 'resolved', value: 'access-stored' });
  });

  it('login() during the restore waits for it, then wins over the stored session', async () => {
    const { read, storage } = asyncStorage();
    const session = createAuthSession({ refresh: vi.fn(), storage });
    const loggedIn = track(session.login({ accessToken: 'access-login', refreshToken: 'refresh-login' }));
    await flush();

    expect(session.getSnapshot().status).toBe('restoring');
    expect(loggedIn.current.status).toBe('pending');
    expect(storage.set).not.toHaveBeenCalled();

    read.resolve({ accessToken: 'access-stored', refreshToken: 'refresh-stored' });
    await flush();
    expect(loggedIn.current).toEqual({ status: 'resolved', value: undefined });
    expect(session.getSnapshot()).toMatchObject({ status: 'authenticated', accessToken: 'access-login' });
    expect(storage.set.mock.calls).toEqual([[{ accessToken: 'access-login', refreshToken: 'refresh-login' }]]);
  });

  it('login() with a function during the restore waits for it too', async () => {
    const { read, storage } = asyncStorage();
    const session = createAuthSession({ refresh: vi.fn(), storage });
    const loginFn = vi.fn(async () => ({ accessToken: 'access-login' }));
    const loggedIn = track(session.login(loginFn));
    await flush();
    expect(loginFn).not.toHaveBeenCalled();

    read.resolve(null);
    await flush();
    expect(loginFn).toHaveBeenCalledTimes(1);
    expect(loggedIn.current.status).toBe('resolved');
    expect(session.getAccessToken()).toBe('access-login');
  });

  it('refresh() during the restore waits for it, then refreshes the restored session', async () => {
    const { read, storage } = asyncStorage();
    const refresh = controllableRefresh();
    const session = createAuthSession({ refresh: refresh.fn, storage });
    const refreshed = track(session.refresh());
    await flush();
    expect(refresh.fn).not.toHaveBeenCalled();

    read.resolve({ accessToken: 'access-stored', refreshToken: 'refresh-stored' });
    await flush();
    expect(refresh.fn).toHaveBeenCalledTimes(1);
    expect(refresh.last().ctx.refreshToken).toBe('refresh-stored');
    refresh.last().resolve(NEW_TOKENS);
    await flush();
    expect(refreshed.current).toEqual({ status: 'resolved', value: 'access-2' });
  });

  it('a logout during the restore wins: the late stored session is ignored', async () => {
    const { read, storage } = asyncStorage();
    const session = createAuthSession({ refresh: vi.fn(), storage });
    await session.logout();
    read.resolve({ accessToken: 'access-stored', refreshToken: 'refresh-stored' });
    await flush();

    expect(session.getSnapshot()).toMatchObject({ status: 'anonymous', accessToken: null });
    expect(storage.clear).toHaveBeenCalledTimes(1);
  });
});
