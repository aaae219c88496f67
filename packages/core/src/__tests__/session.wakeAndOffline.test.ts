import { type AuthSession, focusManager, onlineManager, TokenRefreshError } from '@authmachine/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { flush, HOUR, loggedInSession, rejectionOf, T0, track, useFakeClock } from './support/testKit.js';

useFakeClock();

const ROTATED = { accessToken: 'access-2', refreshToken: 'refresh-2', expiresIn: 3600 };
const NETWORK_DOWN = new TypeError('Failed to fetch');

const sessions: AuthSession[] = [];
afterEach(() => {
  for (const session of sessions.splice(0)) session.stop();
  focusManager.setFocused(undefined);
  onlineManager.setOnline(undefined);
});

async function session(options: Parameters<typeof loggedInSession>[1] = {}) {
  const started = await loggedInSession(undefined, options);
  sessions.push(started.session);
  return started;
}

/** A device asleep: the wall clock moves on, timers do not fire (they fire late, or never). */
function sleepFor(ms: number): void {
  vi.setSystemTime(Date.now() + ms);
}

describe('sleep and wake', () => {
  it('a page shown again after its token expired refreshes once, before the next request', async () => {
    const { session: tab, refresh } = await session();
    focusManager.setFocused(false);
    sleepFor(2 * HOUR);
    expect(refresh.fn).not.toHaveBeenCalled();

    focusManager.setFocused(true);
    // At once, so that a request made right after waits for the refresh instead of carrying the dead token.
    expect(tab.getSnapshot().status).toBe('refreshing');
    const token = track(tab.waitForAccessToken());
    refresh.last().resolve(ROTATED);
    await flush();
    expect(token.current).toEqual({ status: 'resolved', value: 'access-2' });
    expect(refresh.fn).toHaveBeenCalledTimes(1);
    expect(refresh.last().ctx.refreshToken).toBe('refresh-1');
  });

  it('refreshes when the proactive refresh came due while asleep (the timer had not fired yet)', async () => {
    const { session: tab, refresh } = await session();
    // Due at 59m30s with the default 30 s leeway: asleep until one second before expiry.
    sleepFor(HOUR - 1_000);
    focusManager.setFocused(false);
    focusManager.setFocused(true);
    expect(refresh.fn).toHaveBeenCalledTimes(1);
    expect(tab.getSnapshot().status).toBe('refreshing');
  });

  it('a page shown again with a token still fresh does nothing; nor does a stopped session', async () => {
    const { session: tab, refresh } = await session();
    sleepFor(10 * 60_000);
    focusManager.setFocused(false);
    focusManager.setFocused(true);
    expect(refresh.fn).not.toHaveBeenCalled();

    tab.stop();
    sleepFor(2 * HOUR);
    focusManager.setFocused(false);
    focusManager.setFocused(true);
    expect(refresh.fn).not.toHaveBeenCalled();
  });

  it('follows visibilitychange in a browser, and reads document.visibilityState', async () => {
    const page = new EventTarget();
    const document = { visibilityState: 'visible' };
    vi.stubGlobal('window', page);
    vi.stubGlobal('document', document);
    try {
      const { session: tab, refresh } = await session();
      expect(focusManager.isFocused()).toBe(true);
      document.visibilityState = 'hidden';
      page.dispatchEvent(new Event('visibilitychange'));
      expect(focusManager.isFocused()).toBe(false);
      sleepFor(2 * HOUR);
      document.visibilityState = 'visible';
      page.dispatchEvent(new Event('visibilitychange'));
      expect(refresh.fn).toHaveBeenCalledTimes(1);
      expect(tab.getSnapshot().status).toBe('refreshing');
    } finally {
      for (const session of sessions.splice(0)) session.stop();
      vi.unstubAllGlobals();
    }
  });

  it('an app can drive it itself (React Native AppState), and the listener lives only while a session does', async () => {
    let report: ((focused?: boolean) => void) | undefined;
    const cleanup = vi.fn();
    focusManager.setEventListener((setFocused) => {
      report = setFocused;
      return cleanup;
    });
    try {
      const { session: tab, refresh } = await session();
      report?.(false);
      sleepFor(2 * HOUR);
      report?.(true);
      expect(refresh.fn).toHaveBeenCalledTimes(1);
      tab.stop();
      expect(cleanup).toHaveBeenCalledTimes(1);
    } finally {
      focusManager.setEventListener(() => undefined);
    }
  });
});

describe('offline', () => {
  it('a network error while offline fails the waiting requests at once (no backoff), keeps the tokens; back online, it refreshes', async () => {
    const { session: tab, refresh, storage } = await session({ refreshRetries: 2 });
    onlineManager.setOnline(false);
    const waited = track(tab.refresh());
    await flush();
    refresh.last().reject(NETWORK_DOWN);
    await flush();

    const error = rejectionOf(waited);
    expect(error).toBeInstanceOf(TokenRefreshError);
    expect((error as TokenRefreshError).cause).toBe(NETWORK_DOWN);
    expect(refresh.fn).toHaveBeenCalledTimes(1);
    expect(tab.getSnapshot()).toMatchObject({ status: 'authenticated', accessToken: 'access-1' });
    expect(storage.clear).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(refresh.fn).toHaveBeenCalledTimes(1);

    onlineManager.setOnline(true);
    expect(refresh.fn).toHaveBeenCalledTimes(2);
    refresh.last().resolve(ROTATED);
    await expect(tab.waitForAccessToken()).resolves.toBe('access-2');
  });

  it('online, the same network error is retried with backoff', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const { session: tab, refresh } = await session({ refreshRetries: 2 });
    const waited = track(tab.refresh());
    await flush();
    refresh.last().reject(NETWORK_DOWN);
    await vi.advanceTimersByTimeAsync(750);
    expect(refresh.fn).toHaveBeenCalledTimes(2);
    refresh.last().resolve(ROTATED);
    await flush();
    expect(waited.current).toEqual({ status: 'resolved', value: 'access-2' });
  });

  it('back online with a token that expired meanwhile: one refresh before the next request', async () => {
    const { session: tab, refresh } = await session({ refreshLeeway: false });
    onlineManager.setOnline(false);
    vi.setSystemTime(T0 + 2 * HOUR);
    onlineManager.setOnline(true);
    expect(tab.getSnapshot().status).toBe('refreshing');
    expect(refresh.fn).toHaveBeenCalledTimes(1);
  });
});
