import type { TokenSet, TokenStorage } from '@authmachine/core';
import { describe, expect, it } from 'vitest';
import { authorizationSentBy, httpStatusOf, inParallel, reasonsOf, rejectionOf, valuesOf } from './support/results.js';
import { useFakeAuthServer } from './support/useFakeAuthServer.js';
import { deferred, pause, untilStatus } from './support/waiting.js';

const { start } = useFakeAuthServer();

/** Storage whose read the test answers by hand, so the session stays `restoring` until then. */
function slowStorage(): { storage: TokenStorage; answer(tokens: TokenSet | null): void } {
  const stored = deferred<TokenSet | null>();
  return {
    storage: { get: () => stored.promise, set: () => undefined, clear: () => undefined },
    answer: (tokens) => stored.resolve(tokens),
  };
}

describe('requests made while the session refreshes', () => {
  it('50 requests started during a held refresh are never sent with the old token, and all succeed with the new one', async () => {
    const { api, session, fake } = await start({ session: { refreshTimeout: 5_000 } });
    const M = 50;
    const refreshGate = deferred();
    fake.holdRefreshUntil(refreshGate.promise);
    fake.expireAccessToken();

    const trigger = api.get('/api/trigger');
    await untilStatus(session, 'refreshing');
    const during = inParallel(M, (i) => api.get(`/api/during/${i}`));
    await pause();
    // Held: while the refresh is under way none of them reached the server.
    expect(fake.apiRequests.map((request) => request.path)).toEqual(['/api/trigger']);

    refreshGate.resolve();
    const responses = valuesOf(await during);
    expect((await trigger).status).toBe(200);

    expect(responses.map((response) => response.data.path)).toEqual(
      Array.from({ length: M }, (_, i) => `/api/during/${i}`),
    );
    expect(fake.refreshCalls).toEqual([{ refreshToken: 'refresh-1', answered: 'ok' }]);
    const duringSeen = fake.apiRequests.filter((request) => request.path.startsWith('/api/during/'));
    // Each went out exactly once, with the token the refresh brought: never the old one, never twice.
    expect(duringSeen).toHaveLength(M);
    expect(new Set(duringSeen.map((request) => request.authorization))).toEqual(new Set(['Bearer access-2']));
  });

  it('a wait that ends in a logout sends the 20 queued requests without a token', async () => {
    const { api, session, fake } = await start({ session: { refreshTimeout: 5_000 } });
    const M = 20;
    const refreshGate = deferred();
    fake.holdRefreshUntil(refreshGate.promise);
    fake.expireAccessToken();

    const trigger = rejectionOf(api.get('/api/trigger'));
    await untilStatus(session, 'refreshing');
    const during = inParallel(M, (i) => api.get(`/api/during/${i}`));
    await pause();
    expect(fake.apiRequests).toHaveLength(1);

    await session.logout();
    const errors = reasonsOf(await during);
    // Sent without a token, the fake server turns them down: the app sees the server's answer.
    expect(errors.map(httpStatusOf)).toEqual(Array(M).fill(401));
    const duringSeen = fake.apiRequests.filter((request) => request.path.startsWith('/api/during/'));
    expect(duringSeen).toHaveLength(M);
    expect(duringSeen.every((request) => request.authorization === null)).toBe(true);
    // The request that caused the refresh keeps its own 401 (API §3.5) and is not retried.
    expect(httpStatusOf(await trigger)).toBe(401);
    expect(authorizationSentBy(await trigger)).toBe('Bearer access-1');
    expect(fake.apiRequests.filter((request) => request.path === '/api/trigger')).toHaveLength(1);

    refreshGate.resolve();
    await pause();
    // The refresh answered after the logout: nothing of it was kept.
    expect(session.getSnapshot()).toMatchObject({ status: 'anonymous', accessToken: null });
    expect(fake.refreshCalls).toHaveLength(1);
  });
});

describe('requests made while the session restores', () => {
  it('20 requests made during a slow restore go out with the restored token', async () => {
    const { storage, answer } = slowStorage();
    const { api, session, fake } = await start({ loggedIn: false, session: { storage } });
    const M = 20;
    expect(session.getSnapshot().status).toBe('restoring');

    const during = inParallel(M, (i) => api.get(`/api/during/${i}`));
    await pause();
    expect(fake.apiRequests).toEqual([]);

    answer(fake.issueTokens());
    expect(valuesOf(await during).every((response) => response.status === 200)).toBe(true);
    expect(fake.apiRequests).toHaveLength(M);
    expect(fake.apiRequests.every((request) => request.authorization === 'Bearer access-1')).toBe(true);
    expect(fake.refreshCalls).toEqual([]);
  });

  it('a restore that finds an expired access token refreshes first: the 20 waiting requests carry the new token only', async () => {
    const { storage, answer } = slowStorage();
    const { api, session, fake } = await start({ loggedIn: false, session: { storage } });
    const M = 20;
    const { refreshToken } = fake.issueTokens();
    fake.expireAccessToken();

    const during = inParallel(M, (i) => api.get(`/api/during/${i}`));
    await pause();
    answer({ accessToken: 'access-1', refreshToken, expiresAt: Date.now() - 1_000 });

    expect(valuesOf(await during).every((response) => response.status === 200)).toBe(true);
    expect(fake.refreshCalls).toEqual([{ refreshToken: 'refresh-1', answered: 'ok' }]);
    expect(fake.apiRequests).toHaveLength(M);
    expect(fake.apiRequests.every((request) => request.authorization === 'Bearer access-2')).toBe(true);
    expect(session.getSnapshot()).toMatchObject({ status: 'authenticated', accessToken: 'access-2' });
  });

  it('a restore that finds nothing sends the 10 waiting requests without a token', async () => {
    const { storage, answer } = slowStorage();
    const { api, fake } = await start({ loggedIn: false, session: { storage } });
    const M = 10;
    fake.issueTokens(); // the server has a valid token; the client never had it

    const during = inParallel(M, (i) => api.get(`/api/during/${i}`));
    await pause();
    expect(fake.apiRequests).toEqual([]);
    answer(null);

    expect(reasonsOf(await during).map(httpStatusOf)).toEqual(Array(M).fill(401));
    expect(fake.apiRequests.map((request) => request.authorization)).toEqual(Array(M).fill(null));
    expect(fake.refreshCalls).toEqual([]);
  });
});
