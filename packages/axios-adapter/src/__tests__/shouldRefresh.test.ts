import { API_ORIGIN, type FakeAuthApi, pause, rejectionOf } from '@authmachine/test-kit';
import type { AxiosError } from 'axios';
import { HttpResponse, http } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { httpStatusOf } from './support/axiosErrors.js';
import { useFakeAuthServer } from './support/useFakeAuthServer.js';

const { start, server } = useFakeAuthServer();

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
