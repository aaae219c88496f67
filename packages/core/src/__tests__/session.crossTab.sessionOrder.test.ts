import { type AuthSession, createAuthSession, inProcessLocks, type TokenSet } from '@authmachine/core';
import { afterEach, describe, expect, it } from 'vitest';

/*
 * Cross-tab session changes (logins, logouts) used to be ordered by the device clock (`receivedAt`),
 * or not at all; now by a Lamport stamp every tab agrees on (crossTab/sessionOrder.ts). Both tests
 * fail without it.
 *
 * 1. Found by the randomized fault tests (chaos/, seed 4004, path 48:2:1:0:0:0:0:0:0:6:5:5:3:3:3:2):
 * a login in one tab and a logout in another cross on the channel. Each tab applied what it heard
 * last: the tab that logged in heard the logout and went anonymous; the tab that logged out then
 * heard the login and took it. The tabs of one app ended up disagreeing.
 */

const sessions: AuthSession[] = [];
afterEach(() => {
  for (const session of sessions.splice(0)) session.stop();
});

describe('crossTab: the order of session changes across tabs', () => {
  it('leaves every tab in the same state', async () => {
    const name = `login-logout-race-${Math.random()}`;
    const locks = inProcessLocks();
    const open = (): AuthSession => {
      const session = createAuthSession({
        refresh: async (): Promise<TokenSet> => ({ accessToken: 'access-2', refreshToken: 'refresh-2' }),
        refreshLeeway: false,
        crossTab: { name, locks },
      });
      sessions.push(session);
      return session;
    };
    const a = open();
    const b = open();
    await new Promise((resolve) => setTimeout(resolve, 20));

    // Tab A logs in; tab B, which has not heard of it yet, logs out (a stale page, a "log out everywhere" button).
    const login = a.login({ accessToken: 'access-1', refreshToken: 'refresh-1', expiresIn: 3600 });
    const logout = b.logout();
    await Promise.all([login, logout]);
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect({ status: b.getSnapshot().status, token: b.getAccessToken() }).toEqual({
      status: a.getSnapshot().status,
      token: a.getAccessToken(),
    });
  });

  // 2. Found by the chaos suite (seed 6006, path 98:2:1:1:1:1:1:1:1:1:1:1:1): after the device clock
  // was set back, a new login in one tab had an earlier receivedAt than the tokens the other tabs
  // held, so they dropped it as a message that crossed a newer one, and stayed in the previous
  // session (the previous user's, when another user logged in).
  it('a login made after the device clock was set back reaches the other tabs', async () => {
    let offset = 0;
    const name = `login-clock-back-${Math.random()}`;
    const locks = inProcessLocks();
    const open = (): AuthSession => {
      const session = createAuthSession({
        refresh: async (): Promise<TokenSet> => ({ accessToken: 'access-2', refreshToken: 'refresh-2' }),
        refreshLeeway: false,
        now: () => Date.now() + offset,
        crossTab: { name, locks },
      });
      sessions.push(session);
      return session;
    };
    const a = open();
    const b = open();
    await a.login({ accessToken: 'ada-1', refreshToken: 'ada-refresh-1', expiresIn: 3600 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(b.getAccessToken()).toBe('ada-1');

    offset = -10 * 60_000;
    await a.login({ accessToken: 'grace-1', refreshToken: 'grace-refresh-1', expiresIn: 3600 });
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect(b.getAccessToken()).toBe('grace-1');
  });
});
