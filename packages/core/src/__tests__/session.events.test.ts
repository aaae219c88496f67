import { AuthError, createAuthSession, SessionExpiredError, TokenRefreshError, type TokenSet } from '@authmachine/core';
import { describe, expect, it, vi } from 'vitest';
import { captureRethrown, flush, HOUR, loggedInSession, startSession, T0, useFakeClock } from './support/testKit.js';

useFakeClock();

describe('session.on()', () => {
  it('loggedIn: { expiresAt }, for login(tokens) and for a login function', async () => {
    const session = await startSession({ refresh: vi.fn() });
    const loggedIn = vi.fn();
    session.on('loggedIn', loggedIn);
    await session.login({ accessToken: 'access-1', expiresIn: 60 });
    await session.login(async () => ({ accessToken: 'access-2' }));

    expect(loggedIn.mock.calls).toEqual([[{ expiresAt: T0 + 60_000 }], [{ expiresAt: null }]]);
  });

  it('refreshed: { expiresAt } of the new token, once per refresh', async () => {
    const { session, refresh } = await loggedInSession();
    const refreshed = vi.fn();
    session.on('refreshed', refreshed);
    session.tokenRejected('access-1');
    await flush();
    refresh.last().resolve({ accessToken: 'access-2', expiresIn: 7200 });
    await flush();

    expect(refreshed.mock.calls).toEqual([[{ expiresAt: T0 + 2 * HOUR }]]);
  });

  it('loggedOut: {}', async () => {
    const { session } = await loggedInSession();
    const loggedOut = vi.fn();
    session.on('loggedOut', loggedOut);
    await session.logout();
    expect(loggedOut.mock.calls).toEqual([[{}]]);
  });

  it('sessionExpired: { error: SessionExpiredError }, once however many callers waited', async () => {
    const { session, refresh } = await loggedInSession();
    const sessionExpired = vi.fn();
    session.on('sessionExpired', sessionExpired);
    const waits = Array.from({ length: 10 }, () => session.refresh().catch((error: unknown) => error));
    await flush();
    refresh.last().reject({ response: { status: 401 } });
    const errors = await Promise.all(waits);

    expect(sessionExpired).toHaveBeenCalledTimes(1);
    const [payload] = sessionExpired.mock.calls[0] ?? [];
    expect(payload).toEqual({ error: expect.any(SessionExpiredError) });
    expect(errors.every((error) => error === payload.error)).toBe(true);
  });

  it('refreshFailed: { error: TokenRefreshError }, once after the last retry', async () => {
    const { session, refresh } = await loggedInSession(undefined, { refreshRetries: 1 });
    const refreshFailed = vi.fn();
    session.on('refreshFailed', refreshFailed);
    session.tokenRejected('access-1');
    await flush();
    refresh.last().reject({ status: 503 });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(refreshFailed).not.toHaveBeenCalled();
    refresh.last().reject({ status: 503 });
    await flush();

    expect(refreshFailed.mock.calls).toEqual([[{ error: expect.any(TokenRefreshError) }]]);
    expect(refreshFailed.mock.calls[0]?.[0].error).toBe(session.getSnapshot().error);
  });

  it('storageFailed: { error: AuthError } with code STORAGE_FAILED', async () => {
    const session = createAuthSession({
      refresh: vi.fn(),
      storage: {
        get: () => Promise.reject(new Error('gone')),
        set: () => undefined,
        clear: () => undefined,
      },
    });
    const storageFailed = vi.fn();
    session.on('storageFailed', storageFailed);
    await flush();

    expect(storageFailed).toHaveBeenCalledTimes(1);
    const { error } = storageFailed.mock.calls[0]?.[0] ?? {};
    expect(error).toBeInstanceOf(AuthError);
    expect(error.code).toBe('STORAGE_FAILED');
  });

  it('delivers only the payload: no internal fields such as the event type', async () => {
    const session = await startSession({ refresh: vi.fn() });
    const handler = vi.fn();
    session.on('loggedIn', handler);
    await session.login({ accessToken: 'access-1' });
    expect(Object.keys(handler.mock.calls[0]?.[0] ?? {})).toEqual(['expiresAt']);
  });

  it('the function on() returns unsubscribes that handler only', async () => {
    const session = await startSession({ refresh: vi.fn() });
    const removed = vi.fn();
    const kept = vi.fn();
    const unsubscribe = session.on('loggedIn', removed);
    session.on('loggedIn', kept);
    const sameHandlerOtherEvent = session.on('loggedOut', removed);
    unsubscribe();
    unsubscribe();
    await session.login({ accessToken: 'access-1' });
    await session.logout();
    sameHandlerOtherEvent();
    await session.logout();

    expect(kept).toHaveBeenCalledTimes(1);
    expect(removed.mock.calls).toEqual([[{}]]);
  });

  it('a handler that unsubscribes while handling does not keep the next handler from running', async () => {
    const session = await startSession({ refresh: vi.fn() });
    const second = vi.fn();
    const unsubscribe = session.on('loggedIn', () => unsubscribe());
    session.on('loggedIn', second);
    await session.login({ accessToken: 'access-1' });
    await session.login({ accessToken: 'access-2' });
    expect(second).toHaveBeenCalledTimes(2);
  });

  it('a handler that throws breaks neither the session nor the other handlers; its error is rethrown apart', async () => {
    const rethrown = captureRethrown();
    const { session, refresh, storage } = await loggedInSession();
    const failure = new Error('handler bug');
    session.on('refreshed', () => {
      throw failure;
    });
    const after = vi.fn();
    session.on('refreshed', after);

    const token = session.refresh();
    await flush();
    refresh.last().resolve({ accessToken: 'access-2', refreshToken: 'refresh-2' } satisfies TokenSet);
    await expect(token).resolves.toBe('access-2');
    await flush();

    expect(after).toHaveBeenCalledTimes(1);
    expect(session.getSnapshot()).toMatchObject({ status: 'authenticated', accessToken: 'access-2' });
    expect(storage.set).toHaveBeenCalledTimes(1);
    expect(rethrown).toEqual([failure]);
    // And the session goes on working.
    await session.logout();
    expect(session.getSnapshot().status).toBe('anonymous');
  });

  it('a sessionExpired handler that throws does not keep the waiters from learning the session ended', async () => {
    captureRethrown();
    const { session, refresh } = await loggedInSession();
    session.on('sessionExpired', () => {
      throw new Error('handler bug');
    });
    const token = session.refresh();
    await flush();
    refresh.last().reject({ status: 401 });
    await expect(token).rejects.toBeInstanceOf(SessionExpiredError);
  });
});

describe('what an event handler reads of the session', () => {
  it('loggedIn and refreshed handlers see the tokens the event is about; listeners still hear each change once', async () => {
    const { session, refresh } = await loggedInSession();
    const seen: Array<[string, string | null, string]> = [];
    session.on('loggedIn', () => seen.push(['loggedIn', session.getAccessToken(), session.getSnapshot().status]));
    session.on('refreshed', () => seen.push(['refreshed', session.getAccessToken(), session.getSnapshot().status]));
    session.on('loggedOut', () => seen.push(['loggedOut', session.getAccessToken(), session.getSnapshot().status]));
    const heard: string[] = [];
    session.subscribe((state) => heard.push(`${state.status}:${state.accessToken}`));

    await session.login({ accessToken: 'access-login-2', refreshToken: 'refresh-login-2' });
    const refreshed = session.refresh();
    await flush();
    refresh.last().resolve({ accessToken: 'access-3' });
    await refreshed;
    await session.logout();

    expect(seen).toEqual([
      ['loggedIn', 'access-login-2', 'authenticated'],
      ['refreshed', 'access-3', 'authenticated'],
      ['loggedOut', null, 'anonymous'],
    ]);
    expect(heard).toEqual([
      'authenticated:access-login-2',
      'refreshing:access-login-2',
      'authenticated:access-3',
      'anonymous:null',
    ]);
  });
});
