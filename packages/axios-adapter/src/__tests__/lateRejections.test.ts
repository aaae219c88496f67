import { describe, expect, it } from 'vitest';
import { heldEndpoint } from './support/heldEndpoint.js';
import { inParallel, valuesOf } from './support/results.js';
import { useFakeAuthServer } from './support/useFakeAuthServer.js';
import { recordStatuses } from './support/waiting.js';

const { start, server } = useFakeAuthServer();

describe('a 401 for a token that was replaced while the request was in flight', () => {
  it('10 late 401s after a finished refresh: retried at once with the current token, no second refresh', async () => {
    const { api, session, fake } = await start();
    const L = 10;
    const slow = heldEndpoint(fake, '/api/slow');
    server.use(slow.handler);

    const late = inParallel(L, (i) => api.get(`/api/slow/${i}`));
    await slow.untilArrived(L);
    // Another request meets the expired token and refreshes while the slow ones are still out.
    fake.expireAccessToken();
    expect((await api.get('/api/other')).status).toBe(200);
    expect(session.getSnapshot()).toMatchObject({ status: 'authenticated', accessToken: 'access-2' });
    const statuses = recordStatuses(session);

    slow.release();
    const responses = valuesOf(await late);

    expect(responses.map((response) => response.data.path)).toEqual(
      Array.from({ length: L }, (_, i) => `/api/slow/${i}`),
    );
    expect(fake.refreshCalls).toEqual([{ refreshToken: 'refresh-1', answered: 'ok' }]);
    // No wait for a refresh that never comes: the session never left `authenticated`.
    expect(statuses).toEqual([]);
    for (let i = 0; i < L; i += 1) {
      const seen = fake.apiRequests.filter((request) => request.path === `/api/slow/${i}`);
      expect(seen.map((request) => request.authorization)).toEqual(['Bearer access-1', 'Bearer access-2']);
    }
  });

  it('10 late 401s after a new login: retried with the new login token, no refresh at all', async () => {
    const { api, session, fake } = await start();
    const L = 10;
    const slow = heldEndpoint(fake, '/api/slow');
    server.use(slow.handler);

    const late = inParallel(L, (i) => api.get(`/api/slow/${i}`));
    await slow.untilArrived(L);
    const { data } = await api.post('/auth/login', { user: 'someone-else' }, { skipAuth: true });
    await session.login(data);
    expect(session.getAccessToken()).toBe('access-2');

    slow.release();
    expect(valuesOf(await late).every((response) => response.status === 200)).toBe(true);

    expect(fake.refreshCalls).toEqual([]);
    expect(fake.logins).toBe(1);
    const slowSeen = fake.apiRequests.filter((request) => request.path.startsWith('/api/slow/'));
    expect(slowSeen.map((request) => request.authorization).sort()).toEqual([
      ...Array(L).fill('Bearer access-1'),
      ...Array(L).fill('Bearer access-2'),
    ]);
  });
});
