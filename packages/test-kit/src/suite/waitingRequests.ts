import type { TokenSet, TokenStorage } from '@authmachine/core';
import { describe, expect, it } from 'vitest';
import { deferred } from '../deferred.js';
import { dataFor, httpError, range, seenFor, UNAUTHORIZED } from '../outcomes.js';
import { untilStatus } from '../untilStatus.js';
import { countTokenRejections, until } from '../waiting.js';
import type { SuiteContext } from './suiteContext.js';

/** Storage whose read the test answers by hand, so the session stays `restoring` until then. */
function slowStorage(): { storage: TokenStorage; answer(tokens: TokenSet | null): void } {
  const stored = deferred<TokenSet | null>();
  return {
    storage: { get: () => stored.promise, set: () => undefined, clear: () => undefined },
    answer: (tokens) => stored.resolve(tokens),
  };
}

/**
 * Requests made while the session restores or refreshes wait, and go out once it settled: with
 * the token it settled on, never the old one (each is seen once, with the new token, which it
 * could not have had before), or without one when it settled without a session.
 */
export function waitingRequests({ driver, start }: SuiteContext): void {
  describe(`${driver.name}: requests made while the session restores or refreshes`, () => {
    it('20 made during a held refresh go out once each, with the new token only', async () => {
      const { client, session, fake } = await start();
      const gate = deferred();
      fake.holdRefreshUntil(gate.promise);
      fake.expireAccessToken();

      const trigger = client.get('/api/trigger');
      await untilStatus(session, 'refreshing');
      const during = Promise.all(range(20).map((i) => client.get(`/api/during/${i}`)));
      gate.resolve();

      expect(await during).toEqual(range(20).map((i) => dataFor(`/api/during/${i}`)));
      expect(await trigger).toEqual(dataFor('/api/trigger'));
      expect(fake.refreshCalls).toEqual([{ refreshToken: 'refresh-1', answered: 'ok' }]);
      for (const i of range(20)) expect(seenFor(fake, `/api/during/${i}`)).toEqual(['Bearer access-2']);
      expect(seenFor(fake, '/api/trigger')).toEqual(['Bearer access-1', 'Bearer access-2']);
    });

    it('10 made during a slow restore go out with the restored token', async () => {
      const { storage, answer } = slowStorage();
      const { client, session, fake } = await start({ loggedIn: false, session: { storage } });
      expect(session.getSnapshot().status).toBe('restoring');

      const during = Promise.all(range(10).map((i) => client.get(`/api/during/${i}`)));
      answer(fake.issueTokens());

      expect(await during).toEqual(range(10).map((i) => dataFor(`/api/during/${i}`)));
      expect(fake.authorizationsSeen()).toEqual(Array(10).fill('Bearer access-1'));
      expect(fake.refreshCalls).toEqual([]);
    });

    it('a restore that finds an expired access token refreshes first: the 10 waiting carry the new token only', async () => {
      const { storage, answer } = slowStorage();
      const { client, session, fake } = await start({ loggedIn: false, session: { storage } });
      const { accessToken, refreshToken } = fake.issueTokens();
      fake.expireAccessToken();

      const during = Promise.all(range(10).map((i) => client.get(`/api/during/${i}`)));
      answer({ accessToken, refreshToken, expiresAt: Date.now() - 1_000 });

      expect(await during).toEqual(range(10).map((i) => dataFor(`/api/during/${i}`)));
      expect(fake.refreshCalls).toEqual([{ refreshToken: 'refresh-1', answered: 'ok' }]);
      expect(fake.authorizationsSeen()).toEqual(Array(10).fill('Bearer access-2'));
      expect(session.getSnapshot()).toMatchObject({ status: 'authenticated', accessToken: 'access-2' });
    });

    it('a restore that finds nothing sends the 10 waiting without a token', async () => {
      const { storage, answer } = slowStorage();
      const { client, fake } = await start({ loggedIn: false, session: { storage } });
      fake.issueTokens(); // the server has a valid token; the client never had it

      const during = Promise.all(range(10).map((i) => client.get(`/api/during/${i}`)));
      answer(null);

      expect(await during).toEqual(Array(10).fill(UNAUTHORIZED));
      expect(fake.authorizationsSeen()).toEqual(Array(10).fill(null));
      expect(fake.refreshCalls).toEqual([]);
    });

    it('a wait that ends in a logout: the 10 queued go out without a token, the one waiting after its 401 keeps that 401', async () => {
      const { client, session, fake } = await start();
      const rejections = countTokenRejections(session);
      const gate = deferred();
      fake.holdRefreshUntil(gate.promise);
      fake.expireAccessToken();

      const trigger = client.get('/api/trigger');
      await untilStatus(session, 'refreshing');
      await until(() => rejections.count === 1, 'the trigger reported its 401');
      const during = Promise.all(range(10).map((i) => client.get(`/api/during/${i}`)));
      await session.logout();

      expect(await during).toEqual(Array(10).fill(UNAUTHORIZED));
      for (const i of range(10)) expect(seenFor(fake, `/api/during/${i}`)).toEqual([null]);
      expect(await trigger).toEqual(UNAUTHORIZED);
      expect(seenFor(fake, '/api/trigger')).toEqual(['Bearer access-1']);
      expect(session.getSnapshot()).toMatchObject({ status: 'anonymous', accessToken: null });
      gate.resolve();
    });

    it('a call sent without the token (skipAuth) is not held by a refresh, and its 401 refreshes nothing', async () => {
      const { client, session, fake } = await start();
      const gate = deferred();
      fake.holdRefreshUntil(gate.promise);
      fake.expireAccessToken();
      const trigger = client.get('/api/trigger');
      await untilStatus(session, 'refreshing');

      // Answered while the refresh is still held: it never waited.
      expect(await client.get('/api/public', { skipAuth: true })).toEqual(httpError(401));
      expect(seenFor(fake, '/api/public')).toEqual([null]);
      expect(session.getSnapshot().status).toBe('refreshing');

      gate.resolve();
      expect(await trigger).toEqual(dataFor('/api/trigger'));
      expect(fake.refreshCalls).toHaveLength(1);
      expect(await client.get('/api/public', { skipAuth: true })).toEqual(httpError(401));
      expect(fake.refreshCalls).toHaveLength(1);
      expect(session.getSnapshot()).toMatchObject({ status: 'authenticated', accessToken: 'access-2' });
    });
  });
}
