import { describe, expect, it } from 'vitest';
import { deferred } from '../deferred.js';
import { heldEndpoint } from '../heldEndpoint.js';
import { dataFor, httpError, range, seenFor } from '../outcomes.js';
import { untilStatus } from '../untilStatus.js';
import { recordStatuses } from '../waiting.js';
import type { SuiteContext } from './suiteContext.js';

/**
 * 401s and retries: N concurrent 401s make one refresh call (also from two clients of one
 * session), each request is retried once with the new token, a late 401 for an older token is
 * retried at once, and a retry's own 401 is final.
 */
export function oneRefresh({ driver, start, server }: SuiteContext): void {
  describe(`${driver.name}: N concurrent 401s`, () => {
    it('500 in flight all answered 401: one refresh call, each retried exactly once with the new token', async () => {
      const { client, fake } = await start();
      const N = 500;
      fake.expireAccessToken();
      fake.holdApiResponsesUntil(N);

      const outcomes = await Promise.all(range(N).map((i) => client.get(`/api/items/${i}`)));

      expect(outcomes).toEqual(range(N).map((i) => dataFor(`/api/items/${i}`)));
      expect(fake.refreshCalls).toEqual([{ refreshToken: 'refresh-1', answered: 'ok' }]);
      expect(fake.apiRequests).toHaveLength(2 * N);
      for (const i of range(N)) {
        expect(seenFor(fake, `/api/items/${i}`)).toEqual(['Bearer access-1', 'Bearer access-2']);
      }
      // 1,000 requests through msw take seconds on a loaded 2-core CI machine: this is no timing test.
    }, 30_000);

    it(`two ${driver.name} clients of one session, 50 concurrent 401s on each: one refresh for both`, async () => {
      const { client, fake, connectAnother } = await start();
      const other = connectAnother();
      const N = 50;
      fake.expireAccessToken();
      fake.holdApiResponsesUntil(2 * N);

      const [first, second] = await Promise.all([
        Promise.all(range(N).map((i) => client.get(`/api/first/${i}`))),
        Promise.all(range(N).map((i) => other.get(`/api/second/${i}`))),
      ]);

      expect(first).toEqual(range(N).map((i) => dataFor(`/api/first/${i}`)));
      expect(second).toEqual(range(N).map((i) => dataFor(`/api/second/${i}`)));
      expect(fake.refreshCalls).toEqual([{ refreshToken: 'refresh-1', answered: 'ok' }]);
      for (const path of range(N).flatMap((i) => [`/api/first/${i}`, `/api/second/${i}`])) {
        expect(seenFor(fake, path), path).toEqual(['Bearer access-1', 'Bearer access-2']);
      }
    });

    it('a refresh started by one client holds the 20 requests of another, which go out with the new token', async () => {
      const { client, session, fake, connectAnother } = await start();
      const other = connectAnother();
      const gate = deferred();
      fake.holdRefreshUntil(gate.promise);
      fake.expireAccessToken();

      const trigger = client.get('/api/trigger');
      await untilStatus(session, 'refreshing');
      const during = Promise.all(range(20).map((i) => other.get(`/api/second/${i}`)));
      gate.resolve();

      expect(await during).toEqual(range(20).map((i) => dataFor(`/api/second/${i}`)));
      expect(await trigger).toEqual(dataFor('/api/trigger'));
      expect(fake.refreshCalls).toHaveLength(1);
      for (const i of range(20)) expect(seenFor(fake, `/api/second/${i}`)).toEqual(['Bearer access-2']);
    });
  });

  describe(`${driver.name}: a 401 for a token that was replaced while the request was in flight`, () => {
    it('10 late 401s after a finished refresh: retried at once with the current token, no second refresh', async () => {
      const { client, session, fake } = await start();
      const slow = heldEndpoint(fake, '/api/slow');
      server.server.use(slow.handler);

      const late = Promise.all(range(10).map((i) => client.get(`/api/slow/${i}`)));
      await slow.untilArrived(10);
      // Another request meets the expired token and refreshes while the slow ones are still out.
      fake.expireAccessToken();
      expect(await client.get('/api/other')).toEqual(dataFor('/api/other'));
      expect(session.getSnapshot()).toMatchObject({ status: 'authenticated', accessToken: 'access-2' });
      const statuses = recordStatuses(session);

      slow.release();

      expect(await late).toEqual(range(10).map((i) => dataFor(`/api/slow/${i}`)));
      expect(fake.refreshCalls).toEqual([{ refreshToken: 'refresh-1', answered: 'ok' }]);
      // No wait for a refresh that never comes: the session never left `authenticated`.
      expect(statuses).toEqual([]);
      for (const i of range(10)) {
        expect(seenFor(fake, `/api/slow/${i}`)).toEqual(['Bearer access-1', 'Bearer access-2']);
      }
    });

    it('10 late 401s after a new login: retried with the login token, no refresh at all', async () => {
      const { client, session, fake } = await start();
      const slow = heldEndpoint(fake, '/api/slow');
      server.server.use(slow.handler);

      const late = Promise.all(range(10).map((i) => client.get(`/api/slow/${i}`)));
      await slow.untilArrived(10);
      await session.login(fake.issueTokens());
      slow.release();

      expect(await late).toEqual(range(10).map((i) => dataFor(`/api/slow/${i}`)));
      expect(fake.refreshCalls).toEqual([]);
      for (const i of range(10)) {
        expect(seenFor(fake, `/api/slow/${i}`)).toEqual(['Bearer access-1', 'Bearer access-2']);
      }
    });
  });

  describe(`${driver.name}: a retried request that fails again`, () => {
    it("5 whose retry gets 401 again end with the retry's 401: one refresh, two attempts each, no loop", async () => {
      const { client, fake } = await start();
      const broken = heldEndpoint(fake, '/api/broken', { alwaysUnauthorized: true });
      server.server.use(broken.handler);

      const outcomes = Promise.all(range(5).map((i) => client.get(`/api/broken/${i}`)));
      await broken.untilArrived(5);
      broken.release();

      expect(await outcomes).toEqual(Array(5).fill(httpError(401, { error: 'invalid_token' })));
      expect(fake.refreshCalls).toEqual([{ refreshToken: 'refresh-1', answered: 'ok' }]);
      // Each was sent with the old token, then once with the new one (a third attempt would get 508).
      for (const i of range(5)) {
        expect(seenFor(fake, `/api/broken/${i}`)).toEqual(['Bearer access-1', 'Bearer access-2']);
      }
    });
  });
}
