import type { TokenSet } from '@authmachine/core';
import { API_ORIGIN, deferred, inParallel, pause, rejectionOf, untilStatus, valuesOf } from '@authmachine/test-kit';
import { describe, expect, it } from 'vitest';
import { httpStatusOf } from './support/axiosErrors.js';
import { type FakeAuthServer, useFakeAuthServer } from './support/useFakeAuthServer.js';

const fakeServer = useFakeAuthServer();
const { start } = fakeServer;

/** Every request the network saw, auth endpoints included, with the Authorization it carried. */
function recordNetwork({ server }: FakeAuthServer): Array<{ path: string; authorization: string | null }> {
  const seen: Array<{ path: string; authorization: string | null }> = [];
  server.events.on('request:start', ({ request }) => {
    const url = new URL(request.url);
    if (url.origin === API_ORIGIN)
      seen.push({ path: url.pathname, authorization: request.headers.get('authorization') });
  });
  return seen;
}

describe('skipAuth: true on the auth calls made through the attached instance', () => {
  it('the refresh call carries no Authorization header (and is not held behind its own refresh)', async () => {
    const { api, fake } = await start();
    const network = recordNetwork(fakeServer);
    fake.expireAccessToken();

    expect((await api.get('/api/items/1')).status).toBe(200);

    expect(network).toEqual([
      { path: '/api/items/1', authorization: 'Bearer access-1' },
      { path: '/auth/refresh', authorization: null },
      { path: '/api/items/1', authorization: 'Bearer access-2' },
    ]);
    expect(fake.refreshCalls).toEqual([{ refreshToken: 'refresh-1', answered: 'ok' }]);
  });

  it('a login while signed in (switching user) carries no Authorization; later requests carry the new token', async () => {
    const { api, session, fake } = await start();
    const network = recordNetwork(fakeServer);

    const { data } = await api.post<TokenSet>('/auth/login', { user: 'someone-else' }, { skipAuth: true });
    await session.login(data);
    expect((await api.get('/api/me')).status).toBe(200);

    expect(network).toEqual([
      { path: '/auth/login', authorization: null },
      { path: '/api/me', authorization: 'Bearer access-2' },
    ]);
    expect(fake.logins).toBe(1);
    expect(fake.refreshCalls).toEqual([]);
  });

  it('a login during a held refresh goes out at once; the trigger and the 10 queued requests go out with its token', async () => {
    const { api, session, fake } = await start({ session: { refreshTimeout: 5_000 } });
    const Q = 10;
    const network = recordNetwork(fakeServer);
    fake.holdRefreshUntil(deferred().promise); // this refresh never answers: the login replaces it
    fake.expireAccessToken();

    const trigger = api.get('/api/trigger');
    await untilStatus(session, 'refreshing');
    const queued = inParallel(Q, (i) => api.get(`/api/queued/${i}`));
    await pause();
    const { data } = await api.post<TokenSet>('/auth/login', { user: 'again' }, { skipAuth: true });
    await session.login(data);

    expect((await trigger).status).toBe(200);
    expect(valuesOf(await queued)).toHaveLength(Q);
    expect(network.slice(0, 3)).toEqual([
      { path: '/api/trigger', authorization: 'Bearer access-1' },
      { path: '/auth/refresh', authorization: null },
      { path: '/auth/login', authorization: null },
    ]);
    // After the login: the trigger's retry and each queued request, all with the login's token.
    expect(network.slice(3)).toHaveLength(Q + 1);
    expect(network.slice(3).every((request) => request.authorization === 'Bearer access-2')).toBe(true);
    expect(fake.refreshCalls).toHaveLength(1);
  });

  it('a 401 on a skipAuth request never refreshes, even when the app set the old token on it itself', async () => {
    const { api, session, fake } = await start();
    fake.expireAccessToken();

    const error = await rejectionOf(
      api.get('/api/items/1', { skipAuth: true, headers: { Authorization: 'Bearer access-1' } }),
    );

    expect(httpStatusOf(error)).toBe(401);
    await pause();
    expect(fake.refreshCalls).toEqual([]);
    expect(fake.apiRequests).toHaveLength(1);
    expect(session.getSnapshot().status).toBe('authenticated');
  });
});
