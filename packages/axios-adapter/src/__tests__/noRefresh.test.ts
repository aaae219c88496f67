import type { AxiosError } from 'axios';
import { HttpResponse, http } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { API_ORIGIN, type FakeAuthApi } from './support/fakeAuthApi.js';
import { heldEndpoint } from './support/heldEndpoint.js';
import { authorizationSentBy, httpStatusOf, inParallel, reasonsOf, rejectionOf } from './support/results.js';
import { useFakeAuthServer } from './support/useFakeAuthServer.js';
import { pause, recordStatuses } from './support/waiting.js';

const { start, server } = useFakeAuthServer();

describe('a retried request that fails again', () => {
  it('5 requests whose retry gets 401 again reject with the retry 401: one refresh, no loop', async () => {
    const { api, fake } = await start();
    const N = 5;
    const broken = heldEndpoint(fake, '/api/broken', { alwaysUnauthorized: true });
    server.use(broken.handler);

    const results = inParallel(N, (i) => api.get(`/api/broken/${i}`));
    await broken.untilArrived(N);
    broken.release();
    const errors = reasonsOf(await results);

    expect(errors.map(httpStatusOf)).toEqual(Array(N).fill(401));
    // The error is the retry's own answer, not the first one.
    expect(errors.map(authorizationSentBy)).toEqual(Array(N).fill('Bearer access-2'));
    await pause();
    expect(fake.refreshCalls).toEqual([{ refreshToken: 'refresh-1', answered: 'ok' }]);
    for (let i = 0; i < N; i += 1) {
      const seen = fake.apiRequests.filter((request) => request.path === `/api/broken/${i}`);
      expect(seen.map((request) => request.authorization)).toEqual(['Bearer access-1', 'Bearer access-2']);
    }
  });
});

describe('answers a new token would not fix', () => {
  it('5 concurrent 403s (even with an expired token): no refresh, each caller gets its 403', async () => {
    const { api, session, fake } = await start();
    const N = 5;
    const statuses = recordStatuses(session);
    fake.expireAccessToken();

    const errors = reasonsOf(await inParallel(N, () => api.get('/api/forbidden')));

    expect(errors.map(httpStatusOf)).toEqual(Array(N).fill(403));
    await pause();
    expect(fake.refreshCalls).toEqual([]);
    expect(fake.apiRequests).toHaveLength(N);
    expect(statuses).toEqual([]);
    expect(session.getSnapshot()).toMatchObject({ status: 'authenticated', accessToken: 'access-1' });
  });

  it('5 concurrent 401s with WWW-Authenticate error="insufficient_scope": no refresh, each caller gets its 401', async () => {
    const { api, session, fake } = await start();
    const N = 5;
    const statuses = recordStatuses(session);

    const errors = reasonsOf(await inParallel(N, () => api.get('/api/scoped')));

    expect(errors.map(httpStatusOf)).toEqual(Array(N).fill(401));
    expect(errors.map((error) => (error as AxiosError).response?.headers['www-authenticate'])).toEqual(
      Array(N).fill('Bearer realm="api", error="insufficient_scope"'),
    );
    await pause();
    expect(fake.refreshCalls).toEqual([]);
    expect(fake.apiRequests).toHaveLength(N);
    expect(statuses).toEqual([]);
    expect(session.getAccessToken()).toBe('access-1');
  });
});

/** An endpoint that says "token expired" the way some backends do: 419, not 401. */
function legacyEndpoint(fake: FakeAuthApi) {
  return http.get(`${API_ORIGIN}/api/legacy`, ({ request }) => {
    const authorization = request.headers.get('authorization');
    fake.apiRequests.push({ method: 'GET', path: '/api/legacy', authorization, contentType: null, body: '' });
    const valid = fake.currentAccessToken !== null && authorization === `Bearer ${fake.currentAccessToken}`;
    return valid ? HttpResponse.json({ ok: true }) : HttpResponse.json({ error: 'token_expired' }, { status: 419 });
  });
}

describe('a custom shouldRefresh', () => {
  const on419 = (error: AxiosError): boolean => error.response?.status === 419;

  it('is honoured: its own status refreshes and retries, a plain 401 then does not', async () => {
    const shouldRefresh = vi.fn(on419);
    const { api, fake } = await start({ attach: { shouldRefresh } });
    server.use(legacyEndpoint(fake));
    fake.expireAccessToken();

    const plain = await rejectionOf(api.get('/api/items/1'));
    expect(httpStatusOf(plain)).toBe(401);
    expect(fake.refreshCalls).toEqual([]);
    expect(shouldRefresh).toHaveBeenCalledTimes(1);

    const response = await api.get('/api/legacy');
    expect(response.data).toEqual({ ok: true });
    expect(fake.refreshCalls).toEqual([{ refreshToken: 'refresh-1', answered: 'ok' }]);
    const legacySeen = fake.apiRequests.filter((request) => request.path === '/api/legacy');
    expect(legacySeen.map((request) => request.authorization)).toEqual(['Bearer access-1', 'Bearer access-2']);
    expect(shouldRefresh).toHaveBeenCalledTimes(2);
    expect(httpStatusOf(shouldRefresh.mock.calls[1]?.[0])).toBe(419);
  });

  it('one that throws counts as "no": the caller gets the 401 itself, nothing is refreshed', async () => {
    const shouldRefresh = vi.fn((): boolean => {
      throw new Error('bug in the app predicate');
    });
    const { api, session, fake } = await start({ attach: { shouldRefresh } });
    fake.expireAccessToken();

    const error = await rejectionOf(api.get('/api/items/1'));

    expect(shouldRefresh).toHaveBeenCalledTimes(1);
    expect(httpStatusOf(error)).toBe(401);
    await pause();
    expect(fake.refreshCalls).toEqual([]);
    expect(fake.apiRequests).toHaveLength(1);
    expect(session.getSnapshot()).toMatchObject({ status: 'authenticated', accessToken: 'access-1' });
  });
});
