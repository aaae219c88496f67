import { describe, expect, it } from 'vitest';
import { OTHER_ORIGIN } from '../fakeAuthApi.js';
import { dataFor, httpError, range, seenFor } from '../outcomes.js';
import { recordStatuses } from '../waiting.js';
import type { SuiteContext } from './suiteContext.js';

/**
 * Which calls get the token and which answers refresh: only allowed origins receive it, and only a
 * 401 that rejects the token (not a 403, not insufficient_scope) starts a refresh.
 */
export function tokenScope({ driver, start }: SuiteContext): void {
  describe(`${driver.name}: the token goes only to allowed origins`, () => {
    it('a call to another origin carries no Authorization header, and its 401 refreshes nothing', async () => {
      const { client, session, fake } = await start();
      const statuses = recordStatuses(session);

      expect(await client.get(`${OTHER_ORIGIN}/data`)).toEqual(httpError(401, { error: 'not yours' }));

      expect(fake.otherOriginRequests.map((request) => request.authorization)).toEqual([null]);
      expect(fake.refreshCalls).toEqual([]);
      expect(statuses).toEqual([]);
      // The API origin still gets it.
      expect(await client.get('/api/mine')).toEqual(dataFor('/api/mine'));
      expect(seenFor(fake, '/api/mine')).toEqual(['Bearer access-1']);
    });

    it('an origin listed in allowedOrigins receives the token, and its 401 is one of ours', async () => {
      const { client, fake } = await start({ connect: { allowedOrigins: ['https://api.test', OTHER_ORIGIN] } });

      await client.get(`${OTHER_ORIGIN}/data`);

      // This fake origin refuses every token: one refresh, one retry with the new token, no more.
      expect(fake.otherOriginRequests.map((request) => request.authorization)).toEqual([
        'Bearer access-1',
        'Bearer access-2',
      ]);
      expect(fake.refreshCalls).toHaveLength(1);
    });
  });

  describe(`${driver.name}: answers a new token would not fix`, () => {
    it('5 concurrent 403s, even with an expired token: no refresh, each caller gets its 403', async () => {
      const { client, session, fake } = await start();
      const statuses = recordStatuses(session);
      fake.expireAccessToken();

      const outcomes = await Promise.all(range(5).map(() => client.get('/api/forbidden')));

      expect(outcomes).toEqual(Array(5).fill(httpError(403, { error: 'forbidden' })));
      expect(fake.refreshCalls).toEqual([]);
      expect(fake.apiRequests).toHaveLength(5);
      expect(statuses).toEqual([]);
      expect(session.getSnapshot()).toMatchObject({ status: 'authenticated', accessToken: 'access-1' });
    });

    it('5 concurrent 401s with WWW-Authenticate error="insufficient_scope": no refresh, each caller gets its 401', async () => {
      const { client, session, fake } = await start();
      const statuses = recordStatuses(session);

      const outcomes = await Promise.all(range(5).map(() => client.get('/api/scoped')));

      expect(outcomes).toEqual(Array(5).fill(httpError(401, { error: 'insufficient_scope' })));
      expect(fake.refreshCalls).toEqual([]);
      expect(fake.apiRequests).toHaveLength(5);
      expect(statuses).toEqual([]);
      expect(session.getAccessToken()).toBe('access-1');
    });
  });
}
