import { SessionExpiredError, TokenRefreshError } from '@authmachine/core';
import { describe, expect, it } from 'vitest';
import type { CallOutcome } from '../adapterDriver.js';
import type { RefreshBehaviour } from '../fakeAuthApi.js';
import { heldEndpoint } from '../heldEndpoint.js';
import { holdRefreshWithWaiters } from '../heldRefresh.js';
import { dataFor, failedWith, range, seenFor, UNAUTHORIZED } from '../outcomes.js';
import { valuesOf } from '../results.js';
import type { SuiteContext } from './suiteContext.js';

const sessionEndingAnswers: Array<{ answer: RefreshBehaviour; reply: string }> = [
  { answer: 'rejected-401', reply: '401' },
  { answer: 'invalid-grant', reply: '400 invalid_grant' },
];

const transientAnswers: Array<{ answer: RefreshBehaviour; reply: string }> = [
  { answer: 'server-error', reply: '500' },
  { answer: 'network-error', reply: 'a network error' },
];

/**
 * How a refresh that fails reaches the requests: the session's one SessionExpiredError when it
 * ended (also for a 401 of the ended session that arrives late), its TokenRefreshError after a
 * transient failure, and a request's own 401 when the wait ends in a logout.
 */
export function sessionEnd({ driver, start, server }: SuiteContext): void {
  describe(`${driver.name}: the refresh token is rejected, the session ends`, () => {
    it.each(sessionEndingAnswers)(
      'refresh answers $reply: 10 waiting after their 401, 10 queued and 5 whose 401 comes late all get the one SessionExpiredError',
      async ({ answer }) => {
        const scenario = await start();
        const { client, session, fake } = scenario;
        const ended: unknown[] = [];
        session.on('sessionExpired', ({ error }) => ended.push(error));
        const slow = heldEndpoint(fake, '/api/slow');
        server.server.use(slow.handler);

        const late = Promise.all(range(5).map((i) => client.get(`/api/slow/${i}`)));
        await slow.untilArrived(5);
        const held = await holdRefreshWithWaiters(
          { session, fake, get: (path) => client.get(path) },
          { answer, inFlight: 10, queued: 10 },
        );
        held.release();
        const waiting = [...valuesOf(await held.inFlight), ...valuesOf(await held.queued)];
        expect(session.getSnapshot()).toMatchObject({ status: 'expired', accessToken: null, isAuthenticated: false });
        slow.release();
        const outcomes = [...waiting, ...(await late)];

        expect(ended).toEqual([expect.any(SessionExpiredError)]);
        // One cause, one error: the app can tell it is the same end of session, told once by the event.
        expect(outcomes).toEqual(Array(25).fill(failedWith(ended[0])));
        expect(fake.refreshCalls).toEqual([{ refreshToken: 'refresh-1', answered: answer }]);
        // The queued were never sent; the others once each, with the ended session's token.
        expect(fake.authorizationsSeen()).toEqual(Array(15).fill('Bearer access-1'));
      },
    );

    it('a session without a refresh token: 5 concurrent 401s end it at once, no refresh call', async () => {
      const { client, session, fake } = await start({ loggedIn: false });
      const ended: unknown[] = [];
      session.on('sessionExpired', ({ error }) => ended.push(error));
      const { accessToken, expiresIn } = fake.issueTokens();
      await session.login({ accessToken, expiresIn });
      fake.expireAccessToken();
      fake.holdApiResponsesUntil(5);

      const outcomes = await Promise.all(range(5).map((i) => client.get(`/api/items/${i}`)));

      expect(ended).toEqual([expect.any(SessionExpiredError)]);
      expect(outcomes).toEqual(Array(5).fill(failedWith(ended[0])));
      expect(fake.refreshCalls).toEqual([]);
      expect(fake.authorizationsSeen()).toEqual(Array(5).fill('Bearer access-1'));
      expect(session.getSnapshot().status).toBe('expired');
    });

    it('5 late 401s of the ended session that arrive after a new login are retried with the login token', async () => {
      const { client, session, fake } = await start();
      const slow = heldEndpoint(fake, '/api/slow');
      server.server.use(slow.handler);

      const late = Promise.all(range(5).map((i) => client.get(`/api/slow/${i}`)));
      await slow.untilArrived(5);
      fake.refreshBehaviour = 'invalid-grant';
      fake.expireAccessToken();
      expect(await client.get('/api/trigger')).toEqual(failedWith(expect.any(SessionExpiredError)));
      expect(session.getSnapshot().status).toBe('expired');
      await session.login(fake.issueTokens());
      slow.release();

      expect(await late).toEqual(range(5).map((i) => dataFor(`/api/slow/${i}`)));
      expect(fake.refreshCalls).toEqual([{ refreshToken: 'refresh-1', answered: 'invalid-grant' }]);
      for (const i of range(5)) expect(seenFor(fake, `/api/slow/${i}`)).toEqual(['Bearer access-1', 'Bearer access-2']);
    });
  });

  describe(`${driver.name}: while the session is expired (ended, no login or logout since)`, () => {
    it('a call that would carry the token fails with the session error unsent; others go out; after logout() none carries a token', async () => {
      const { client, session, fake } = await start();
      fake.refreshBehaviour = 'invalid-grant';
      fake.expireAccessToken();
      await client.get('/api/trigger');
      const { error } = session.getSnapshot();
      expect(error).toBeInstanceOf(SessionExpiredError);
      const sent = fake.apiRequests.length;

      expect(await client.get('/api/after')).toEqual(failedWith(error));
      expect(await client.post('/api/after', { a: 1 })).toEqual(failedWith(error));
      await expect(session.waitForAccessToken()).rejects.toBe(error);
      expect(fake.apiRequests).toHaveLength(sent);
      // Not the session's business: a call without the token still goes out.
      expect(await client.get('/api/public', { skipAuth: true })).toEqual(UNAUTHORIZED);
      expect(seenFor(fake, '/api/public')).toEqual([null]);

      await session.logout();
      expect(await client.get('/api/after')).toEqual(UNAUTHORIZED);
      expect(seenFor(fake, '/api/after')).toEqual([null]);
      expect(fake.refreshCalls).toHaveLength(1);
      expect(session.getSnapshot().status).toBe('anonymous');
    });
  });

  describe(`${driver.name}: a refresh that fails transiently`, () => {
    it.each(transientAnswers)(
      'refresh answers $reply: the 10 waiting after their 401 and the 10 queued get the TokenRefreshError; the next 401 refreshes again',
      async ({ answer }) => {
        const { client, session, fake } = await start();
        const held = await holdRefreshWithWaiters(
          { session, fake, get: (path) => client.get(path) },
          { answer, inFlight: 10, queued: 10 },
        );
        held.release();
        const outcomes: CallOutcome[] = [...valuesOf(await held.inFlight), ...valuesOf(await held.queued)];

        const { error } = session.getSnapshot();
        expect(error).toBeInstanceOf(TokenRefreshError);
        expect(outcomes).toEqual(Array(20).fill(failedWith(error)));
        // The queued were not sent after the failed refresh (they would only have earned a 401),
        // and the others were not retried.
        expect(fake.authorizationsSeen()).toEqual(Array(10).fill('Bearer access-1'));
        expect(session.getSnapshot()).toMatchObject({ status: 'authenticated', accessToken: 'access-1' });

        fake.refreshBehaviour = 'ok';
        expect(await client.get('/api/again')).toEqual(dataFor('/api/again'));
        expect(fake.refreshCalls).toEqual([
          { refreshToken: 'refresh-1', answered: answer },
          { refreshToken: 'refresh-1', answered: 'ok' },
        ]);
        expect(seenFor(fake, '/api/again')).toEqual(['Bearer access-1', 'Bearer access-2']);
      },
    );
  });

  describe(`${driver.name}: a logout while requests wait after their 401`, () => {
    it('the 10 waiting end with their own 401, none is retried, the late refresh answer is dropped', async () => {
      const { client, session, fake } = await start();
      const held = await holdRefreshWithWaiters({ session, fake, get: (path) => client.get(path) }, { inFlight: 10 });
      await session.logout();

      expect(valuesOf(await held.inFlight)).toEqual(Array(10).fill(UNAUTHORIZED));
      held.release();
      expect(fake.authorizationsSeen()).toEqual(Array(10).fill('Bearer access-1'));
      expect(session.getSnapshot()).toMatchObject({ status: 'anonymous', accessToken: null });
    });
  });
}
