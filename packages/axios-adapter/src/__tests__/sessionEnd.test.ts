import { SessionExpiredError } from '@authmachine/core';
import { describe, expect, it } from 'vitest';
import type { RefreshBehaviour } from './support/fakeAuthApi.js';
import { heldEndpoint } from './support/heldEndpoint.js';
import { holdRefreshWithWaiters } from './support/heldRefresh.js';
import { authorizationSentBy, httpStatusOf, inParallel, reasonsOf, rejectionOf, valuesOf } from './support/results.js';
import { useFakeAuthServer } from './support/useFakeAuthServer.js';
import { pause } from './support/waiting.js';

const { start, server } = useFakeAuthServer();

const sessionEndingAnswers: Array<{ answer: RefreshBehaviour; reply: string }> = [
  { answer: 'rejected-401', reply: '401' },
  { answer: 'invalid-grant', reply: '400 invalid_grant' },
];

describe('the refresh token is rejected: the session ends', () => {
  it.each(sessionEndingAnswers)(
    'refresh answers $reply: 10 waiting after their 401, 10 queued and 5 whose 401 comes late all reject with SessionExpiredError',
    async ({ answer }) => {
      const scenario = await start({ session: { refreshTimeout: 5_000 } });
      const { api, session, fake } = scenario;
      const K = 10; // in flight, answered 401 together: they wait for the refresh
      const Q = 10; // made during the refresh: queued before sending
      const L = 5; // sent with the old token, answered only after the session ended
      const ended: unknown[] = [];
      session.on('sessionExpired', ({ error }) => ended.push(error));
      const slow = heldEndpoint(fake, '/api/slow');
      server.use(slow.handler);

      const late = inParallel(L, (i) => api.get(`/api/slow/${i}`));
      await slow.untilArrived(L);
      const { inFlight, queued, release } = await holdRefreshWithWaiters(scenario, { answer, inFlight: K, queued: Q });

      release();
      const waitingErrors = [...reasonsOf(await inFlight), ...reasonsOf(await queued)];
      expect(session.getSnapshot()).toMatchObject({ status: 'expired', accessToken: null, isAuthenticated: false });

      slow.release();
      const lateErrors = reasonsOf(await late);

      const errors = [...waitingErrors, ...lateErrors];
      expect(errors).toHaveLength(K + Q + L);
      for (const error of errors) expect(error).toBeInstanceOf(SessionExpiredError);
      // One cause, one error: the app can tell it is the same end of session, told once by the event.
      expect(ended).toHaveLength(1);
      expect(new Set(errors)).toEqual(new Set(ended));
      expect(fake.refreshCalls).toEqual([{ refreshToken: 'refresh-1', answered: answer }]);
      // Queued requests were never sent; the others were sent once each, with the ended session's token.
      expect(fake.apiRequests).toHaveLength(K + L);
      expect(fake.authorizationsSeen()).toEqual(Array(K + L).fill('Bearer access-1'));

      // Until the app logs in or out, a new request learns the same end of session and is not sent.
      fake.refreshBehaviour = 'ok';
      const sentBefore = fake.apiRequests.length;
      expect(await rejectionOf(api.get('/api/after'))).toBe(ended[0]);
      expect(fake.apiRequests).toHaveLength(sentBefore);
      await pause();
      expect(fake.refreshCalls).toHaveLength(1);
      expect(ended).toHaveLength(1);
      expect(session.getSnapshot().status).toBe('expired');
      // After logout() it goes out without a token, and refreshes nothing.
      await session.logout();
      expect(httpStatusOf(await rejectionOf(api.get('/api/after')))).toBe(401);
      expect(fake.apiRequests.at(-1)).toMatchObject({ path: '/api/after', authorization: null });
      expect(fake.refreshCalls).toHaveLength(1);
    },
  );
});

describe('a session without a refresh token', () => {
  it('5 concurrent 401s end it at once: each rejects with SessionExpiredError, no refresh call, one sessionExpired', async () => {
    const { api, session, fake } = await start({ loggedIn: false });
    const K = 5;
    const ended: unknown[] = [];
    session.on('sessionExpired', ({ error }) => ended.push(error));
    const { accessToken, expiresIn } = fake.issueTokens();
    await session.login({ accessToken, expiresIn });
    fake.expireAccessToken();
    fake.holdApiResponsesUntil(K);

    const errors = reasonsOf(await inParallel(K, (i) => api.get(`/api/items/${i}`)));

    for (const error of errors) expect(error).toBeInstanceOf(SessionExpiredError);
    expect(ended).toHaveLength(1);
    expect(new Set(errors)).toEqual(new Set(ended));
    expect(fake.refreshCalls).toEqual([]);
    expect(fake.authorizationsSeen()).toEqual(Array(K).fill('Bearer access-1'));
    expect(session.getSnapshot().status).toBe('expired');
  });
});

describe('a 401 of the ended session that arrives after a new login', () => {
  it('the 5 late requests are retried with the new login token and succeed', async () => {
    const { api, session, fake } = await start();
    const L = 5;
    const slow = heldEndpoint(fake, '/api/slow');
    server.use(slow.handler);

    const late = inParallel(L, (i) => api.get(`/api/slow/${i}`));
    await slow.untilArrived(L);
    fake.refreshBehaviour = 'invalid-grant';
    fake.expireAccessToken();
    expect(await rejectionOf(api.get('/api/trigger'))).toBeInstanceOf(SessionExpiredError);
    expect(session.getSnapshot().status).toBe('expired');
    const { data } = await api.post('/auth/login', { user: 'me' }, { skipAuth: true });
    await session.login(data);

    slow.release();
    const responses = valuesOf(await late);

    expect(responses.map((response) => response.status)).toEqual(Array(L).fill(200));
    expect(fake.refreshCalls).toEqual([{ refreshToken: 'refresh-1', answered: 'invalid-grant' }]);
    const slowSeen = fake.apiRequests.filter((request) => request.path.startsWith('/api/slow/'));
    expect(slowSeen.map((request) => request.authorization).sort()).toEqual([
      ...Array(L).fill('Bearer access-1'),
      ...Array(L).fill('Bearer access-2'),
    ]);
  });
});

describe('a logout while requests wait after their 401', () => {
  it('the 10 waiting requests reject with their own 401 and none is retried', async () => {
    const scenario = await start({ session: { refreshTimeout: 5_000 } });
    const { session, fake } = scenario;
    const K = 10;
    const { inFlight, release } = await holdRefreshWithWaiters(scenario, { inFlight: K });
    await session.logout();

    const errors = reasonsOf(await inFlight);
    expect(errors.map(httpStatusOf)).toEqual(Array(K).fill(401));
    expect(errors.map(authorizationSentBy)).toEqual(Array(K).fill('Bearer access-1'));
    release();
    await pause();
    expect(fake.apiRequests).toHaveLength(K);
    expect(fake.refreshCalls).toHaveLength(1);
    expect(session.getSnapshot()).toMatchObject({ status: 'anonymous', accessToken: null });
  });
});
