import { type AuthSession, createAuthSession, inProcessLocks } from '@authmachine/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { rotatingServer } from './support/rotatingServer.js';

/*
 * Found by the randomized fault tests (chaos/, seed 1001): tabs share the device clock, and a clock
 * set back (an NTP correction, a user fixing the time) makes every later rotation look older than
 * the tokens the other tabs hold. They dropped it as a message that crossed a newer one, kept the
 * spent refresh token, and then every refresh of theirs waited for news that never came (or, once
 * the rotating tab had moved on, sent the spent token: a reuse detection that revokes the session).
 */

const sessions: AuthSession[] = [];
afterEach(() => {
  for (const session of sessions.splice(0)) session.stop();
});

describe('crossTab with a clock set back', () => {
  it('the other tabs adopt a rotation made after the clock went back, and refresh with its token', async () => {
    let offset = 0;
    const server = rotatingServer(10);
    const crossTab = { name: `clock-jump-${Math.random()}`, locks: inProcessLocks() };
    const open = (): AuthSession => {
      const session = createAuthSession({
        refresh: server.refresh,
        refreshLeeway: false,
        refreshRetries: 0,
        refreshTimeout: 500,
        now: () => Date.now() + offset,
        crossTab,
      });
      sessions.push(session);
      return session;
    };
    const a = open();
    const b = open();
    await a.login({ accessToken: 'access-1', refreshToken: 'refresh-1', expiresIn: 3600 });
    await vi.waitFor(() => expect(b.getSnapshot().accessToken).toBe('access-1'));

    offset = -10 * 60_000;
    expect(await a.refresh()).toBe('access-2');

    await vi.waitFor(() => expect(b.getSnapshot().accessToken).toBe('access-2'), { timeout: 1_000 });
    expect(await b.refresh()).toBe('access-3');
    expect(server.calls).toEqual(['refresh-1', 'refresh-2']);
    expect(server.reuseDetections()).toBe(0);
  });
});
