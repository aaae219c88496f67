import { createAuthSession, SessionExpiredError, TokenRefreshError, type TokenSet } from '@authmachine/core';
import { describe, expect, it, vi } from 'vitest';
import {
  createDeferred,
  flush,
  loggedInSession,
  rejectionOf,
  spyStorage,
  startSession,
  track,
  useFakeClock,
} from './support/testKit.js';

useFakeClock();

const NEW_TOKENS = { accessToken: 'access-2', refreshToken: 'refresh-2', expiresIn: 3600 };

/** Counts the abort listeners the session adds to and removes from `signal`. */
function countListeners(signal: AbortSignal): { readonly live: number } {
  let live = 0;
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  vi.spyOn(signal, 'addEventListener').mockImplementation((type, listener, options) => {
    if (type === 'abort') live += 1;
    add(type, listener, options);
  });
  vi.spyOn(signal, 'removeEventListener').mockImplementation((type, listener, options) => {
    if (type === 'abort') live -= 1;
    remove(type, listener, options);
  });
  return {
    get live() {
      return live;
    },
  };
}

async function refreshingSession() {
  const context = await loggedInSession();
  context.session.tokenRejected('access-1');
  await flush();
  return context;
}

describe('waitForAccessToken() settles at once when nothing is under way', () => {
  it('authenticated → the access token', async () => {
    const { session } = await loggedInSession();
    await expect(session.waitForAccessToken()).resolves.toBe('access-1');
  });

  it('anonymous → null', async () => {
    const session = await startSession({ refresh: vi.fn() });
    await expect(session.waitForAccessToken()).resolves.toBeNull();
  });

  it('expired → the session’s SessionExpiredError, as an adapter’s request gets: a 401 with no refresh token ends the session', async () => {
    const { session } = await loggedInSession({ accessToken: 'access-only' });
    session.tokenRejected('access-only');
    expect(session.getSnapshot().status).toBe('expired');
    const ended = session.getSnapshot().error;
    expect(ended).toBeInstanceOf(SessionExpiredError);
    await expect(session.waitForAccessToken()).rejects.toBe(ended);
  });

  it('authenticating → null: it does not wait for a login in flight', async () => {
    const session = await startSession({ refresh: vi.fn() });
    const login = createDeferred<TokenSet>();
    track(session.login(() => login.promise));
    await flush();
    expect(session.getSnapshot().status).toBe('authenticating');
    await expect(session.waitForAccessToken()).resolves.toBeNull();
  });

  it('authenticated after an earlier failed refresh → the kept token (an old error is not this wait’s failure)', async () => {
    const { session, refresh } = await loggedInSession(undefined, { refreshRetries: 0 });
    track(session.refresh());
    await flush();
    refresh.last().reject(new TypeError('fetch failed'));
    await flush();
    expect(session.getSnapshot().error).toBeInstanceOf(TokenRefreshError);

    await expect(session.waitForAccessToken()).resolves.toBe('access-1');
  });
});

describe('waitForAccessToken() waits through restoring and refreshing', () => {
  it('waits for an async restore', async () => {
    const read = createDeferred<TokenSet | null>();
    const session = createAuthSession({
      refresh: vi.fn(),
      storage: { get: () => read.promise, set: vi.fn(), clear: vi.fn() },
    });
    const waited = track(session.waitForAccessToken());
    await flush();
    expect(waited.current.status).toBe('pending');
    read.resolve({ accessToken: 'access-stored' });
    await flush();
    expect(waited.current).toEqual({ status: 'resolved', value: 'access-stored' });
  });

  it('waits for a refresh and gets the new token, never the old one', async () => {
    const { session, refresh } = await refreshingSession();
    const waited = track(session.waitForAccessToken());
    await flush();
    expect(waited.current.status).toBe('pending');
    refresh.last().resolve(NEW_TOKENS);
    await flush();
    expect(waited.current).toEqual({ status: 'resolved', value: 'access-2' });
  });

  it('rejects with SessionExpiredError when the refresh it waited for ended the session', async () => {
    const { session, refresh } = await refreshingSession();
    const waited = track(session.waitForAccessToken());
    refresh.last().reject({ response: { status: 401 } });
    await flush();
    expect(rejectionOf(waited)).toBeInstanceOf(SessionExpiredError);
  });

  it('rejects with TokenRefreshError when the refresh it waited for failed transiently', async () => {
    const { session, refresh } = await loggedInSession(undefined, { refreshRetries: 0 });
    session.tokenRejected('access-1');
    await flush();
    const waited = track(session.waitForAccessToken());
    refresh.last().reject({ response: { status: 502 } });
    await flush();
    expect(rejectionOf(waited)).toBeInstanceOf(TokenRefreshError);
  });

  it('resolves null when a logout ends the refresh it waited for', async () => {
    const { session } = await refreshingSession();
    const waited = track(session.waitForAccessToken());
    await session.logout();
    expect(waited.current).toEqual({ status: 'resolved', value: null });
  });
});

describe('waitForAccessToken({ signal })', () => {
  it('rejects at once with the reason of a signal that is already aborted', async () => {
    const { session } = await loggedInSession();
    const reason = new Error('the component unmounted');
    await expect(session.waitForAccessToken({ signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
  });

  it('rejects with the signal’s reason when it aborts during the wait, and leaves no listener behind', async () => {
    const { session, refresh } = await refreshingSession();
    const controller = new AbortController();
    const listeners = countListeners(controller.signal);
    const aborted = track(session.waitForAccessToken({ signal: controller.signal }));
    const other = track(session.waitForAccessToken());
    await flush();
    expect(listeners.live).toBe(1);

    controller.abort(new Error('user navigated away'));
    await flush();
    expect((rejectionOf(aborted) as Error).message).toBe('user navigated away');
    expect(listeners.live).toBe(0);

    // The refresh and the other callers go on.
    expect(session.getSnapshot().status).toBe('refreshing');
    refresh.last().resolve(NEW_TOKENS);
    await flush();
    expect(other.current).toEqual({ status: 'resolved', value: 'access-2' });
    expect(refresh.fn).toHaveBeenCalledTimes(1);
  });

  it('rejects with a DOMException AbortError by default (abort() without a reason)', async () => {
    const { session } = await refreshingSession();
    const controller = new AbortController();
    const waited = track(session.waitForAccessToken({ signal: controller.signal }));
    controller.abort();
    await flush();
    const error = rejectionOf(waited);
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe('AbortError');
  });

  it('removes its listener when the wait settles normally; a later abort changes nothing', async () => {
    const { session, refresh } = await refreshingSession();
    const controller = new AbortController();
    const listeners = countListeners(controller.signal);
    const waited = track(session.waitForAccessToken({ signal: controller.signal }));
    refresh.last().resolve(NEW_TOKENS);
    await flush();
    expect(listeners.live).toBe(0);
    controller.abort();
    await flush();
    expect(waited.current).toEqual({ status: 'resolved', value: 'access-2' });
  });

  it('leaves no listener when it settles at once', async () => {
    const { session } = await loggedInSession();
    const controller = new AbortController();
    const listeners = countListeners(controller.signal);
    await session.waitForAccessToken({ signal: controller.signal });
    expect(listeners.live).toBe(0);
  });
});

describe('waitForAccessToken({ timeout })', () => {
  it('rejects with a DOMException named TimeoutError after timeout ms, and leaves no timer', async () => {
    const { session } = await refreshingSession();
    const timersBefore = vi.getTimerCount();
    const waited = track(session.waitForAccessToken({ timeout: 5_000 }));
    await flush();
    expect(vi.getTimerCount()).toBe(timersBefore + 1);

    await vi.advanceTimersByTimeAsync(4_999);
    expect(waited.current.status).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    const error = rejectionOf(waited);
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe('TimeoutError');
    expect(vi.getTimerCount()).toBe(timersBefore);
    // Only the wait gave up: the refresh is still under way.
    expect(session.getSnapshot().status).toBe('refreshing');
  });

  it('clears its timer when the wait settles first', async () => {
    const { session, refresh } = await refreshingSession();
    const timersBefore = vi.getTimerCount();
    const waited = track(session.waitForAccessToken({ timeout: 5_000 }));
    refresh.last().resolve(NEW_TOKENS);
    await flush();
    expect(waited.current).toEqual({ status: 'resolved', value: 'access-2' });
    // The refresh timeout timer is gone too; the new token's proactive timer is the only one.
    expect(vi.getTimerCount()).toBe(timersBefore);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(waited.current).toEqual({ status: 'resolved', value: 'access-2' });
  });

  it('sets no timer when it settles at once', async () => {
    const storage = spyStorage();
    const session = await startSession({ refresh: vi.fn(), storage, refreshLeeway: false });
    expect(vi.getTimerCount()).toBe(0);
    await expect(session.waitForAccessToken({ timeout: 1_000 })).resolves.toBeNull();
    expect(vi.getTimerCount()).toBe(0);
  });
});
