import type { TokenSet } from '@authmachine/core';
import { describe, expect, it, vi } from 'vitest';
import { DAY, flush, HOUR, loggedInSession, makeJwt, T0, track, useFakeClock } from './support/testKit.js';

useFakeClock();

/** Advances to just before `at` (epoch ms), checks no refresh happened, then to `at` and checks one did. */
async function expectRefreshAt(refresh: { fn: { mock: { calls: unknown[] } } }, at: number): Promise<void> {
  const before = refresh.fn.mock.calls.length;
  await vi.advanceTimersByTimeAsync(at - 1 - Date.now());
  expect(refresh.fn.mock.calls.length).toBe(before);
  await vi.advanceTimersByTimeAsync(1);
  expect(refresh.fn.mock.calls.length).toBe(before + 1);
}

describe('the proactive refresh', () => {
  it('fires refreshLeeway (default 30 s) before expiry, once, and refreshes like any refresh', async () => {
    const { session, refresh, storage } = await loggedInSession({
      accessToken: 'access-1',
      refreshToken: 'refresh-1',
      expiresIn: 3600,
    });
    expect(vi.getTimerCount()).toBe(1);

    await expectRefreshAt(refresh, T0 + HOUR - 30_000);
    expect(session.getSnapshot()).toMatchObject({
      status: 'refreshing',
      isAuthenticated: true,
      accessToken: 'access-1',
    });
    expect(refresh.last().ctx.refreshToken).toBe('refresh-1');
    // A 401 arriving meanwhile joins it.
    session.tokenRejected('access-1');
    refresh.last().resolve({ accessToken: 'access-2', expiresIn: 3600 });
    await flush();

    expect(refresh.fn).toHaveBeenCalledTimes(1);
    expect(session.getSnapshot()).toMatchObject({ status: 'authenticated', accessToken: 'access-2' });
    expect(storage.set).toHaveBeenCalledTimes(1);
    // The new token gets its own timer, an hour from now.
    await expectRefreshAt(refresh, Date.now() + HOUR - 30_000);
  });

  it('honours a custom refreshLeeway', async () => {
    const { refresh } = await loggedInSession(undefined, { refreshLeeway: 5 * 60_000 });
    await expectRefreshAt(refresh, T0 + HOUR - 5 * 60_000);
  });

  it('refreshLeeway 0 refreshes at the expiry', async () => {
    const { refresh } = await loggedInSession(undefined, { refreshLeeway: 0 });
    await expectRefreshAt(refresh, T0 + HOUR);
  });

  it('fires halfway through a token that lives shorter than twice the leeway, not in a loop', async () => {
    const { session, refresh } = await loggedInSession({
      accessToken: 'access-1',
      refreshToken: 'refresh-1',
      expiresIn: 20,
    });
    await expectRefreshAt(refresh, T0 + 10_000);

    // Its successor lives 20 s too: one refresh per token, halfway through each.
    refresh.last().resolve({ accessToken: 'access-2', expiresIn: 20 });
    await flush();
    await expectRefreshAt(refresh, T0 + 20_000);
    refresh.last().resolve({ accessToken: 'access-3', expiresIn: 20 });
    await flush();
    expect(session.getAccessToken()).toBe('access-3');
    expect(refresh.fn).toHaveBeenCalledTimes(2);
  });

  it('fires at the later of halfway and expiry - leeway (40 s token, 30 s leeway → at 20 s)', async () => {
    const { refresh } = await loggedInSession({ accessToken: 'access-1', refreshToken: 'refresh-1', expiresIn: 40 });
    await expectRefreshAt(refresh, T0 + 20_000);
  });

  it('with refreshLeeway false there is no timer and no refresh before a 401', async () => {
    const { refresh } = await loggedInSession(undefined, { refreshLeeway: false });
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(2 * HOUR);
    expect(refresh.fn).not.toHaveBeenCalled();
  });

  it.each<[string, TokenSet]>([
    ['no known expiry', { accessToken: 'opaque', refreshToken: 'refresh-1' }],
    ['no refresh token', { accessToken: 'access-1', expiresIn: 3600 }],
    ['a token already expired when it arrived', { accessToken: 'access-1', refreshToken: 'refresh-1', expiresIn: 0 }],
    [
      'a token whose expiresAt is in the past',
      { accessToken: 'access-1', refreshToken: 'refresh-1', expiresAt: T0 - HOUR },
    ],
  ])('sets no timer for %s', async (_, tokens) => {
    const { refresh } = await loggedInSession(tokens);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(3 * HOUR);
    expect(refresh.fn).not.toHaveBeenCalled();
  });

  it('runs no timer after a transient failure, until the next successful refresh', async () => {
    const { session, refresh } = await loggedInSession(undefined, { refreshRetries: 0 });
    await expectRefreshAt(refresh, T0 + HOUR - 30_000);
    refresh.last().reject(new TypeError('fetch failed'));
    await flush();

    expect(session.getSnapshot()).toMatchObject({ status: 'authenticated', accessToken: 'access-1' });
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(5 * HOUR);
    expect(refresh.fn).toHaveBeenCalledTimes(1);

    session.tokenRejected('access-1');
    await flush();
    refresh.last().resolve({ accessToken: 'access-2', expiresIn: 3600 });
    await flush();
    expect(vi.getTimerCount()).toBe(1);
    await expectRefreshAt(refresh, Date.now() + HOUR - 30_000);
  });

  it('a new login replaces the timer of the previous token', async () => {
    const { session, refresh } = await loggedInSession();
    await vi.advanceTimersByTimeAsync(30 * 60_000);
    await session.login({ accessToken: 'access-b', refreshToken: 'refresh-b', expiresIn: 7200 });
    expect(vi.getTimerCount()).toBe(1);

    // Nothing at the first token's refresh time; the second token's time counts.
    await expectRefreshAt(refresh, Date.now() + 2 * HOUR - 30_000);
    expect(refresh.last().ctx.refreshToken).toBe('refresh-b');
  });

  it('a logout cancels the timer', async () => {
    const { session, refresh } = await loggedInSession();
    await session.logout();
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(2 * HOUR);
    expect(refresh.fn).not.toHaveBeenCalled();
  });

  it('does not refresh a 60-day token early (setTimeout cannot wait past 2^31 ms) and refreshes it when due', async () => {
    const { session, refresh } = await loggedInSession({
      accessToken: 'access-long',
      refreshToken: 'refresh-long',
      expiresIn: 60 * 86_400,
    });
    const snapshot = session.getSnapshot();

    // Past one setTimeout's longest wait (~24.86 days), past two, and a day before the due time.
    await vi.advanceTimersByTimeAsync(2 ** 31);
    expect(refresh.fn).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(2 ** 31);
    expect(refresh.fn).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(T0 + 59 * DAY - Date.now());
    expect(refresh.fn).not.toHaveBeenCalled();
    // Re-arming the timer is invisible to users: the snapshot is the very same object.
    expect(session.getSnapshot()).toBe(snapshot);
    expect(vi.getTimerCount()).toBe(1);

    await expectRefreshAt(refresh, T0 + 60 * DAY - 30_000);
    expect(refresh.fn).toHaveBeenCalledTimes(1);
  });

  it('a refresh() before the timer fires replaces it with the new token’s timer', async () => {
    const { session, refresh } = await loggedInSession();
    const refreshed = track(session.refresh());
    await flush();
    refresh.last().resolve({ accessToken: 'access-2', expiresIn: 7200 });
    await flush();
    expect(refreshed.current).toEqual({ status: 'resolved', value: 'access-2' });

    // The first token's due time passes without a refresh; the second's brings exactly one.
    await vi.advanceTimersByTimeAsync(HOUR);
    expect(refresh.fn).toHaveBeenCalledTimes(1);
    await expectRefreshAt(refresh, T0 + 2 * HOUR - 30_000);
  });
});

describe('a JWT-only expiry on a clock that disagrees with the server', () => {
  const MINUTE = 60_000;
  // The server issued the token at its own "now" for 5 minutes: T0 on the server's clock.
  const serverJwt = (): string => makeJwt({ sub: 'u', iat: T0 / 1000, exp: (T0 + 5 * MINUTE) / 1000 });

  it.each([
    ['10 minutes ahead', 10 * MINUTE],
    ['10 minutes behind', -10 * MINUTE],
  ])('a device clock %s counts the token’s lifetime from its arrival (exp - iat)', async (_, skew) => {
    vi.setSystemTime(T0 + skew);
    const { session, refresh } = await loggedInSession({ accessToken: serverJwt(), refreshToken: 'refresh-1' });

    // 5 minutes from the arrival on this device's clock, whatever the server's clock said.
    expect(session.getSnapshot().expiresAt).toBe(T0 + skew + 5 * MINUTE);
    // Neither at once (ahead: the exp looked past) nor 10 minutes late (behind): 30 s before expiry.
    await expectRefreshAt(refresh, T0 + skew + 5 * MINUTE - 30_000);
  });

  it.each([
    ['ahead', 10 * MINUTE],
    ['behind', -10 * MINUTE],
  ])(
    'with no proactive timer and the clock 10 minutes %s, a request at the real expiry refreshes first',
    async (_, skew) => {
      vi.setSystemTime(T0 + skew);
      const { session, refresh } = await loggedInSession(
        { accessToken: serverJwt(), refreshToken: 'refresh-1' },
        { refreshLeeway: false },
      );

      await vi.advanceTimersByTimeAsync(5 * MINUTE - 1);
      expect(session.stateForRequest()).toMatchObject({ status: 'authenticated' });
      await vi.advanceTimersByTimeAsync(1);
      // Not 10 minutes later (behind), nor sent on as if the expiry were unknown (ahead).
      expect(session.stateForRequest()).toMatchObject({ status: 'refreshing' });
      expect(refresh.fn).toHaveBeenCalledTimes(1);
    },
  );

  it('takes exp as it is without an iat, and an explicit expiresIn over the JWT', async () => {
    vi.setSystemTime(T0 - 10 * MINUTE);
    const expOnly = makeJwt({ sub: 'u', exp: (T0 + 5 * MINUTE) / 1000 });
    const { session } = await loggedInSession({ accessToken: expOnly, refreshToken: 'refresh-1' });
    expect(session.getSnapshot().expiresAt).toBe(T0 + 5 * MINUTE);

    await session.login({ accessToken: serverJwt(), refreshToken: 'refresh-2', expiresIn: 60 });
    expect(session.getSnapshot().expiresAt).toBe(Date.now() + MINUTE);
  });
});
