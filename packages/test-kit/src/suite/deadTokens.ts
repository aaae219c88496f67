import { SessionExpiredError } from '@authmachine/core';
import { describe, expect, it } from 'vitest';
import { dataFor, errorOf, range, seenFor } from '../outcomes.js';
import type { SuiteContext } from './suiteContext.js';

/**
 * A token the session knows is dead is never sent: once its expiry has passed on the session's
 * clock, a request waits for one refresh (as if it had met a 401) instead of collecting the 401,
 * also without the proactive timer (the scenario's `refreshLeeway: false`). A token that was dead
 * on arrival, by a clock that disagrees with the server's, is sent: the server's 401 decides then.
 */
export function deadTokens({ driver, start }: SuiteContext): void {
  describe(`${driver.name}: a token known to be dead`, () => {
    /** The session's clock, moved by the test: the fake server knows nothing of expiry. */
    const clock = (): { now: () => number; advance(ms: number): void } => {
      let now = Date.now();
      return {
        now: () => now,
        advance: (ms) => {
          now += ms;
        },
      };
    };

    it('10 requests after the expiry: one refresh first, every one carries the new token only', async () => {
      const time = clock();
      const { client, fake } = await start({ session: { now: time.now } });
      time.advance(3600 * 1000); // the fake server's tokens live an hour
      fake.expireAccessToken(); // as the server sees it too: the old token would earn a 401

      const outcomes = await Promise.all(range(10).map((i) => client.get(`/api/items/${i}`)));

      expect(outcomes).toEqual(range(10).map((i) => dataFor(`/api/items/${i}`)));
      expect(fake.refreshCalls).toEqual([{ refreshToken: 'refresh-1', answered: 'ok' }]);
      for (const i of range(10)) expect(seenFor(fake, `/api/items/${i}`)).toEqual(['Bearer access-2']);
    });

    it('a second before the expiry the token is sent; waitForAccessToken after it refreshes first', async () => {
      const time = clock();
      const { client, session, fake } = await start({ session: { now: time.now } });
      time.advance(3600 * 1000 - 1000);
      expect(await client.get('/api/before')).toEqual(dataFor('/api/before'));
      time.advance(1000);

      expect(await session.waitForAccessToken()).toBe('access-2');
      expect(seenFor(fake, '/api/before')).toEqual(['Bearer access-1']);
      expect(fake.refreshCalls).toHaveLength(1);
    });

    it('without a refresh token, the session ends before anything is sent: SessionExpiredError', async () => {
      const time = clock();
      const { client, session, fake } = await start({ session: { now: time.now }, loggedIn: false });
      await session.login({ accessToken: 'access-1', expiresIn: 60 });
      time.advance(60 * 1000);

      const outcome = await client.get('/api/after');

      expect(errorOf(outcome)).toBeInstanceOf(SessionExpiredError);
      expect(session.getSnapshot().status).toBe('expired');
      expect(fake.apiRequests).toEqual([]);
      expect(fake.refreshCalls).toEqual([]);
    });

    it('a token already past its expiry when it arrived is sent, and no refresh loops over it', async () => {
      const time = clock();
      const { client, session, fake } = await start({ session: { now: time.now } });
      // The server said it ends at a time this device's clock has passed: the clocks disagree.
      await session.login({
        accessToken: fake.issueTokens().accessToken,
        refreshToken: 'refresh-2',
        expiresAt: time.now() - 1,
      });

      const outcomes = await Promise.all(range(3).map((i) => client.get(`/api/items/${i}`)));

      expect(outcomes).toEqual(range(3).map((i) => dataFor(`/api/items/${i}`)));
      expect(fake.refreshCalls).toEqual([]);
      for (const i of range(3)) expect(seenFor(fake, `/api/items/${i}`)).toEqual(['Bearer access-2']);
    });
  });
}
