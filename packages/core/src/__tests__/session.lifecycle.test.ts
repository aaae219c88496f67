import { AuthError, type AuthState, createAuthSession, type TokenSet } from '@authmachine/core';
import { describe, expect, it, vi } from 'vitest';
import {
  captureRethrown,
  createDeferred,
  flush,
  loggedInSession,
  recordEvents,
  rejectionOf,
  spyStorage,
  startSession,
  track,
  useFakeClock,
} from './support/testKit.js';

useFakeClock();

function codeOf(error: unknown): unknown {
  return error instanceof AuthError ? error.code : error;
}

describe('logout()', () => {
  it('forgets the session, clears storage, cancels the timer and emits loggedOut', async () => {
    const { session, storage } = await loggedInSession();
    const events = recordEvents(session);
    await session.logout();

    expect(session.getSnapshot()).toEqual({
      status: 'anonymous',
      isAuthenticated: false,
      accessToken: null,
      expiresAt: null,
      error: null,
    });
    expect(session.getAccessToken()).toBeNull();
    expect(storage.clear).toHaveBeenCalledTimes(1);
    expect(storage.held()).toBeNull();
    expect(events).toEqual([{ name: 'loggedOut', payload: {} }]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('resolves only once an async storage is cleared', async () => {
    const cleared = createDeferred<void>();
    const storage = { get: () => null, set: vi.fn(), clear: vi.fn(() => cleared.promise) };
    const session = await startSession({ refresh: vi.fn(), storage });
    await session.login({ accessToken: 'access-1' });
    const loggedOut = track(session.logout());
    await flush();

    expect(session.getSnapshot().status).toBe('anonymous');
    expect(loggedOut.current.status).toBe('pending');
    cleared.resolve();
    await flush();
    expect(loggedOut.current.status).toBe('resolved');
  });

  it('during a refresh: aborts the refresh signal and never stores its late result', async () => {
    const { session, refresh, storage } = await loggedInSession();
    const refreshed = track(session.refresh());
    await flush();
    const waited = track(session.waitForAccessToken());
    const { signal } = refresh.last().ctx;
    await session.logout();

    expect(signal.aborted).toBe(true);
    refresh.last().resolve({ accessToken: 'access-late', refreshToken: 'refresh-late', expiresIn: 3600 });
    await vi.advanceTimersByTimeAsync(60_000);

    expect(storage.set).not.toHaveBeenCalled();
    expect(storage.held()).toBeNull();
    expect(session.getSnapshot()).toMatchObject({ status: 'anonymous', accessToken: null });
    expect(session.getAccessToken()).toBeNull();
    expect(refresh.fn).toHaveBeenCalledTimes(1);
    // Callers that waited learn there is no token: refresh() rejects as logged out, the wait resolves null.
    expect(codeOf(rejectionOf(refreshed))).toBe('LOGGED_OUT');
    expect(waited.current).toEqual({ status: 'resolved', value: null });
  });

  it('during the backoff between retries: no retry happens', async () => {
    const { session, refresh } = await loggedInSession();
    track(session.refresh());
    await flush();
    refresh.last().reject({ status: 500 });
    await flush();
    expect(session.getSnapshot().status).toBe('refreshing');
    await session.logout();
    await vi.advanceTimersByTimeAsync(60_000);

    expect(refresh.fn).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a refresh failing after the logout changes nothing either', async () => {
    const { session, refresh } = await loggedInSession();
    track(session.refresh());
    await flush();
    await session.logout();
    const events = recordEvents(session);
    refresh.last().reject({ response: { status: 401 } });
    await flush();

    expect(session.getSnapshot()).toMatchObject({ status: 'anonymous', error: null });
    expect(events).toEqual([]);
  });
});

describe('getSnapshot() and subscribe()', () => {
  it('getSnapshot() returns the same object until the state changes', async () => {
    const { session, refresh } = await loggedInSession();
    const first = session.getSnapshot();
    // Things that change nothing a user sees: a 401 for another token, time passing.
    session.tokenRejected('not-the-current-token');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(session.getSnapshot()).toBe(first);

    session.tokenRejected('access-1');
    const refreshing = session.getSnapshot();
    expect(refreshing).not.toBe(first);
    expect(refreshing).toMatchObject({ status: 'refreshing', accessToken: 'access-1' });
    await flush();
    expect(session.getSnapshot()).toBe(refreshing);
    refresh.last().resolve({ accessToken: 'access-2', expiresIn: 3600 });
    await flush();
    expect(session.getSnapshot()).toMatchObject({ status: 'authenticated', accessToken: 'access-2' });
  });

  it('subscribe() calls the listener with every new state, the same object getSnapshot() returns', async () => {
    const session = await startSession({ refresh: vi.fn(), storage: spyStorage() });
    const seen: AuthState[] = [];
    session.subscribe((state) => {
      seen.push(state);
      expect(state).toBe(session.getSnapshot());
    });
    const call = createDeferred<TokenSet>();
    const loggedIn = session.login(() => call.promise);
    await flush();
    call.resolve({ accessToken: 'access-1' });
    await loggedIn;
    await session.logout();

    expect(seen.map(({ status, accessToken }) => [status, accessToken])).toEqual([
      ['authenticating', null],
      ['authenticated', 'access-1'],
      ['anonymous', null],
    ]);
  });

  it('the unsubscribe function stops the calls, and leaves other listeners alone', async () => {
    const session = await startSession({ refresh: vi.fn() });
    const removed = vi.fn();
    const kept = vi.fn();
    const unsubscribe = session.subscribe(removed);
    session.subscribe(kept);
    unsubscribe();
    unsubscribe();
    await session.login({ accessToken: 'access-1' });

    expect(removed).not.toHaveBeenCalled();
    expect(kept).toHaveBeenCalledTimes(1);
  });

  it('a listener that throws does not break the session or the other listeners; its error is rethrown', async () => {
    const rethrown = captureRethrown();
    const session = await startSession({ refresh: vi.fn() });
    const failure = new Error('listener bug');
    session.subscribe(() => {
      throw failure;
    });
    const other = vi.fn();
    session.subscribe(other);
    await session.login({ accessToken: 'access-1' });
    await flush();

    expect(other).toHaveBeenCalledTimes(1);
    expect(session.getSnapshot()).toMatchObject({ status: 'authenticated', accessToken: 'access-1' });
    expect(rethrown).toEqual([failure]);
  });

  it('exposes the running XState actor, observable like any actor', async () => {
    const { session } = await loggedInSession();
    const observable =
      (typeof Symbol === 'function' && (Symbol as { observable?: symbol }).observable) || '@@observable';
    const actor = session.actor as unknown as Record<string | symbol, () => { subscribe: unknown }>;

    expect(session.actor.getSnapshot().status).toBe('active');
    expect(session.actor.getSnapshot().matches('authenticated')).toBe(true);
    expect(typeof actor[observable]?.().subscribe).toBe('function');
    const values: unknown[] = [];
    const subscription = session.actor.subscribe((snapshot) => values.push(snapshot.value));
    await session.logout();
    subscription.unsubscribe();
    expect(values).toContain('anonymous');
  });
});

describe('stop()', () => {
  it('leaves no timer, rejects pending callers with SESSION_STOPPED and aborts the refresh', async () => {
    const { session, refresh } = await loggedInSession();
    const pendingRefresh = track(session.refresh());
    await flush();
    const pendingWait = track(session.waitForAccessToken({ timeout: 60_000 }));
    const pendingWithSignal = track(session.waitForAccessToken({ signal: new AbortController().signal }));
    expect(vi.getTimerCount()).toBeGreaterThan(0);
    const { signal } = refresh.last().ctx;
    const lastState = session.getSnapshot();

    session.stop();
    await flush();

    expect(vi.getTimerCount()).toBe(0);
    expect(signal.aborted).toBe(true);
    for (const pending of [pendingRefresh, pendingWait, pendingWithSignal]) {
      const error = rejectionOf(pending);
      expect(error).toBeInstanceOf(AuthError);
      expect(codeOf(error)).toBe('SESSION_STOPPED');
    }
    expect(session.getSnapshot()).toBe(lastState);
    expect(session.actor.getSnapshot().status).toBe('stopped');
  });

  it('afterwards commands reject with SESSION_STOPPED and reads return the last state', async () => {
    const { session, refresh, storage } = await loggedInSession();
    const lastState = session.getSnapshot();
    session.stop();

    const commands = [
      session.login({ accessToken: 'access-2' }),
      session.login(async () => ({ accessToken: 'access-2' })),
      session.logout(),
      session.refresh(),
      session.waitForAccessToken(),
    ];
    const outcomes = await Promise.allSettled(commands);
    expect(
      outcomes.map((outcome) => (outcome.status === 'rejected' ? codeOf(outcome.reason) : outcome.status)),
    ).toEqual(Array(commands.length).fill('SESSION_STOPPED'));

    session.tokenRejected('access-1');
    await vi.advanceTimersByTimeAsync(2 * 3_600_000);
    expect(refresh.fn).not.toHaveBeenCalled();
    expect(storage.set).not.toHaveBeenCalled();
    expect(storage.clear).not.toHaveBeenCalled();
    expect(session.getSnapshot()).toBe(lastState);
    expect(session.getAccessToken()).toBe('access-1');
    // Subscribing to a stopped session is harmless and never calls back.
    const listener = vi.fn();
    session.subscribe(listener)();
    session.on('loggedIn', listener)();
    expect(listener).not.toHaveBeenCalled();
    // Stopping twice is fine.
    expect(() => session.stop()).not.toThrow();
  });

  it('a pending login() rejects with SESSION_STOPPED', async () => {
    const session = await startSession({ refresh: vi.fn() });
    const loggedIn = track(session.login(() => new Promise<TokenSet>(() => undefined)));
    await flush();
    session.stop();
    await flush();
    expect(codeOf(rejectionOf(loggedIn))).toBe('SESSION_STOPPED');
  });

  it('no listener or handler hears of a refresh that lands after stop()', async () => {
    const { session, refresh, storage } = await loggedInSession();
    const listener = vi.fn();
    session.subscribe(listener);
    const events = recordEvents(session);
    track(session.refresh());
    await flush();
    listener.mockClear();
    session.stop();
    refresh.last().resolve({ accessToken: 'access-late' });
    await flush();

    expect(listener).not.toHaveBeenCalled();
    expect(events).toEqual([]);
    expect(storage.set).not.toHaveBeenCalled();
  });

  it('during an async restore: the late stored tokens are ignored', async () => {
    const read = createDeferred<TokenSet | null>();
    const storage = { get: () => read.promise, set: vi.fn(), clear: vi.fn() };
    const session = createAuthSession({ refresh: vi.fn(), storage });
    const loggedIn = track(session.login({ accessToken: 'access-1' }));
    session.stop();
    read.resolve({ accessToken: 'access-stored' });
    await flush();

    expect(session.getSnapshot().status).toBe('restoring');
    expect(codeOf(rejectionOf(loggedIn))).toBe('SESSION_STOPPED');
    expect(vi.getTimerCount()).toBe(0);
  });
});
