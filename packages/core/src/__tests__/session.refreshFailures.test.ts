import { AuthError, createAuthSession, TokenRefreshError } from '@authmachine/core';
import { describe, expect, it, vi } from 'vitest';
import { flush, loggedInSession, recordEvents, rejectionOf, track, useFakeClock } from './support/testKit.js';

useFakeClock();

const NEW_TOKENS = { accessToken: 'access-2', refreshToken: 'refresh-2', expiresIn: 3600 };
const SERVER_ERROR = { response: { status: 500 } };

describe('a refresh call that never answers', () => {
  it('times out after 10 s; its two retries wait for the same call instead of sending the refresh token again, then it fails transiently, aborts the call and keeps the tokens', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5); // backoff jitter factor 0.75: 750 ms, then 1500 ms
    const { session, refresh, storage } = await loggedInSession();
    const events = recordEvents(session);
    const refreshed = track(session.refresh());
    await flush();
    const waited = track(session.waitForAccessToken());

    expect(refresh.fn).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(10_000);
    // The call may have reached the server, which then rotated the token: it is not given up on.
    expect(refresh.calls[0]?.ctx.signal.aborted).toBe(false);
    expect(session.getSnapshot()).toMatchObject({ status: 'refreshing', accessToken: 'access-1' });

    // Two retries after their backoffs (750 ms, 1500 ms), each waiting 10 s more: no second call.
    await vi.advanceTimersByTimeAsync(750 + 10_000 + 1_500);
    expect(refresh.fn).toHaveBeenCalledTimes(1);
    expect(refreshed.current.status).toBe('pending');
    await vi.advanceTimersByTimeAsync(9_999);
    expect(refreshed.current.status).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);

    // The refresh gave up: its call is aborted, so that nothing waits on it any more.
    expect(refresh.calls[0]?.ctx.signal.aborted).toBe(true);
    for (const tracked of [refreshed, waited]) {
      const error = rejectionOf(tracked);
      expect(error).toBeInstanceOf(TokenRefreshError);
      expect((error as TokenRefreshError).cause).toBeInstanceOf(AuthError);
      expect(((error as TokenRefreshError).cause as AuthError).code).toBe('REFRESH_TIMEOUT');
    }
    expect(session.getSnapshot()).toMatchObject({
      status: 'authenticated',
      isAuthenticated: true,
      accessToken: 'access-1',
      error: rejectionOf(refreshed),
    });
    expect(events).toEqual([{ name: 'refreshFailed', payload: { error: rejectionOf(refreshed) } }]);
    expect(storage.set).not.toHaveBeenCalled();
    expect(storage.clear).not.toHaveBeenCalled();
    // Nothing more happens on its own: no retry and no proactive timer.
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(10 * 3_600_000);
    expect(refresh.fn).toHaveBeenCalledTimes(1);

    // The next 401 for the kept token calls again, and succeeds.
    session.tokenRejected('access-1');
    await flush();
    expect(refresh.fn).toHaveBeenCalledTimes(2);
    expect(refresh.last().ctx.refreshToken).toBe('refresh-1');
    refresh.last().resolve(NEW_TOKENS);
    await flush();
    expect(session.getSnapshot()).toMatchObject({ status: 'authenticated', accessToken: 'access-2', error: null });
    expect(storage.set).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['during the backoff before the retry', 500],
    ['while the retry waits for it', 5_000],
  ])(
    'takes the late answer of a call that timed out, arriving %s: one call, its rotated tokens kept',
    async (_, late) => {
      vi.spyOn(Math, 'random').mockReturnValue(0.5); // backoff 750 ms
      const { session, refresh, storage } = await loggedInSession(undefined, { refreshRetries: 1 });
      const refreshed = track(session.refresh());
      await flush();
      await vi.advanceTimersByTimeAsync(10_000 + late);
      expect(refreshed.current.status).toBe('pending');
      refresh.calls[0]?.resolve({ accessToken: 'access-late', refreshToken: 'refresh-late' });
      await vi.advanceTimersByTimeAsync(1_000);

      expect(refresh.fn).toHaveBeenCalledTimes(1);
      expect(refreshed.current).toEqual({ status: 'resolved', value: 'access-late' });
      expect(storage.set).toHaveBeenCalledTimes(1);
      expect(storage.set).toHaveBeenCalledWith(expect.objectContaining({ refreshToken: 'refresh-late' }));
      expect(session.getSnapshot()).toMatchObject({ status: 'authenticated', accessToken: 'access-late', error: null });
    },
  );

  it('never stores the late answer of a call whose refresh gave up, nor of one a logout ended', async () => {
    const { session, refresh, storage } = await loggedInSession(undefined, { refreshRetries: 0 });
    const refreshed = track(session.refresh());
    await flush();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(rejectionOf(refreshed)).toBeInstanceOf(TokenRefreshError);
    refresh.calls[0]?.resolve({ accessToken: 'access-late', refreshToken: 'refresh-late' });
    await flush();
    expect(session.getSnapshot()).toMatchObject({ status: 'authenticated', accessToken: 'access-1' });

    const second = track(session.refresh());
    await flush();
    expect(refresh.fn).toHaveBeenCalledTimes(2);
    await session.logout();
    expect(refresh.calls[1]?.ctx.signal.aborted).toBe(true);
    refresh.calls[1]?.resolve({ accessToken: 'access-after-logout', refreshToken: 'refresh-after-logout' });
    await flush();
    expect(rejectionOf(second)).toMatchObject({ code: 'LOGGED_OUT' });
    expect(session.getSnapshot()).toMatchObject({ status: 'anonymous', accessToken: null });
    expect(storage.set).not.toHaveBeenCalled();
  });

  it('honours refreshTimeout', async () => {
    const { session, refresh } = await loggedInSession(undefined, { refreshTimeout: 2_000, refreshRetries: 0 });
    const refreshed = track(session.refresh());
    await flush();
    await vi.advanceTimersByTimeAsync(1_999);
    expect(refreshed.current.status).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);

    // No retry left: the refresh gave up, and its call is aborted.
    expect(refresh.calls[0]?.ctx.signal.aborted).toBe(true);
    expect(rejectionOf(refreshed)).toBeInstanceOf(TokenRefreshError);
    expect(refresh.fn).toHaveBeenCalledTimes(1);
  });
});

describe('transient refresh failures', () => {
  it.each([
    ['an HTTP 500', SERVER_ERROR],
    ['an HTTP 503 from a fetch wrapper', { status: 503 }],
    ['a network error', new TypeError('fetch failed')],
    ['a thrown string', 'boom'],
    ['undefined', undefined],
  ])('%s is retried refreshRetries times, then waiting callers get TokenRefreshError', async (_, failure) => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const { session, refresh, storage } = await loggedInSession(undefined, { refreshRetries: 2 });
    const events = recordEvents(session);
    const refreshed = track(session.refresh());
    await flush();
    // Each failure, then the backoff before the next call (750 ms, 1500 ms), then nothing more.
    for (const [call, backoff] of [750, 1_500, 60_000].entries()) {
      expect(refresh.fn).toHaveBeenCalledTimes(call + 1);
      refresh.last().reject(failure);
      await vi.advanceTimersByTimeAsync(backoff);
    }

    expect(refresh.fn).toHaveBeenCalledTimes(3);
    const error = rejectionOf(refreshed);
    expect(error).toBeInstanceOf(TokenRefreshError);
    expect((error as TokenRefreshError).code).toBe('REFRESH_FAILED');
    expect((error as TokenRefreshError).cause).toBe(failure);
    expect(session.getSnapshot()).toMatchObject({ status: 'authenticated', accessToken: 'access-1', error });
    expect(events).toEqual([{ name: 'refreshFailed', payload: { error } }]);
    expect(storage.clear).not.toHaveBeenCalled();
  });

  it('succeeds on a retry: callers get the new token and never see the failure', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const { session, refresh, storage } = await loggedInSession();
    const events = recordEvents(session);
    const refreshed = track(session.refresh());
    await flush();
    refresh.last().reject(SERVER_ERROR);
    await flush();
    // Between the retries the session is still refreshing: requests keep waiting.
    expect(session.getSnapshot()).toMatchObject({ status: 'refreshing', isAuthenticated: true });
    await vi.advanceTimersByTimeAsync(750);
    expect(refresh.fn).toHaveBeenCalledTimes(2);
    refresh.last().resolve(NEW_TOKENS);
    await flush();

    expect(refreshed.current).toEqual({ status: 'resolved', value: 'access-2' });
    expect(session.getSnapshot()).toMatchObject({ status: 'authenticated', accessToken: 'access-2', error: null });
    expect(events.map(({ name }) => name)).toEqual(['refreshed']);
    expect(storage.set).toHaveBeenCalledTimes(1);
  });

  it('waits exponentially longer before each retry', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const { session, refresh } = await loggedInSession(undefined, { refreshRetries: 3 });
    track(session.refresh());
    await flush();
    const callTimes: number[] = [Date.now()];
    for (let retry = 0; retry < 3; retry += 1) {
      refresh.last().reject(SERVER_ERROR);
      await flush();
      // The backoff is the only timer running: jump to it.
      expect(vi.getTimerCount()).toBe(1);
      await vi.advanceTimersToNextTimerAsync();
      expect(refresh.fn).toHaveBeenCalledTimes(retry + 2);
      callTimes.push(Date.now());
    }

    const gaps = callTimes.slice(1).map((time, index) => time - (callTimes[index] ?? 0));
    expect(gaps).toEqual([750, 1_500, 3_000]);
  });

  it('jitters the backoff, so that clients that failed together do not retry together', async () => {
    const firstRetryDelay = async (random: number): Promise<number> => {
      vi.spyOn(Math, 'random').mockReturnValue(random);
      const { session, refresh } = await loggedInSession();
      track(session.refresh());
      await flush();
      const failedAt = Date.now();
      refresh.last().reject(SERVER_ERROR);
      await flush();
      await vi.advanceTimersToNextTimerAsync();
      expect(refresh.fn).toHaveBeenCalledTimes(2);
      session.stop();
      return Date.now() - failedAt;
    };

    expect(await firstRetryDelay(0)).toBe(500);
    expect(await firstRetryDelay(0.5)).toBe(750);
    expect(await firstRetryDelay(0.99)).toBe(995);
  });

  it('with refreshRetries 0 a failure is not retried', async () => {
    const { session, refresh } = await loggedInSession(undefined, { refreshRetries: 0 });
    const refreshed = track(session.refresh());
    await flush();
    refresh.last().reject(SERVER_ERROR);
    await vi.advanceTimersByTimeAsync(60_000);

    expect(refresh.fn).toHaveBeenCalledTimes(1);
    expect(rejectionOf(refreshed)).toBeInstanceOf(TokenRefreshError);
  });

  it('a refresh function that throws synchronously is a transient failure too', async () => {
    const refresh = vi.fn((): Promise<never> => {
      throw new Error('bug in the app');
    });
    const session = createAuthSession({ refresh });
    await session.login({ accessToken: 'access-1', refreshToken: 'refresh-1' });
    const refreshed = track(session.refresh());
    await vi.advanceTimersByTimeAsync(60_000);

    expect(refresh).toHaveBeenCalledTimes(3);
    expect(rejectionOf(refreshed)).toBeInstanceOf(TokenRefreshError);
    expect(session.getSnapshot()).toMatchObject({ status: 'authenticated', accessToken: 'access-1' });
  });
});
