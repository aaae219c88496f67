import { attachAuth } from '@authmachine/axios';
import axios, { type AxiosInstance } from 'axios';
import { describe, expect, it } from 'vitest';
import { API_ORIGIN } from './support/fakeAuthApi.js';
import { inParallel, valuesOf } from './support/results.js';
import { type Scenario, useFakeAuthServer } from './support/useFakeAuthServer.js';
import { deferred, pause, untilStatus } from './support/waiting.js';

const { start, cleanup } = useFakeAuthServer();

/** A second axios instance attached to the scenario's session, as a second API client of the app would be. */
function secondInstance({ session }: Scenario): AxiosInstance {
  const other = axios.create({ baseURL: API_ORIGIN });
  cleanup(attachAuth(other, session));
  return other;
}

describe('two axios instances attached to one session', () => {
  it('50 concurrent 401s on each instance: one refresh for both, every request retried once with the new token', async () => {
    const scenario = await start();
    const { api, fake } = scenario;
    const other = secondInstance(scenario);
    const N = 50;
    fake.expireAccessToken();
    fake.holdApiResponsesUntil(2 * N);

    const [first, second] = await Promise.all([
      inParallel(N, (i) => api.get(`/api/first/${i}`)),
      inParallel(N, (i) => other.get(`/api/second/${i}`)),
    ]);

    expect(valuesOf(first)).toHaveLength(N);
    expect(valuesOf(second)).toHaveLength(N);
    expect(fake.refreshCalls).toEqual([{ refreshToken: 'refresh-1', answered: 'ok' }]);
    expect(fake.apiRequests).toHaveLength(4 * N);
    for (const path of [0, 1, N - 1].flatMap((i) => [`/api/first/${i}`, `/api/second/${i}`])) {
      const seen = fake.apiRequests.filter((request) => request.path === path);
      expect(
        seen.map((request) => request.authorization),
        path,
      ).toEqual(['Bearer access-1', 'Bearer access-2']);
    }
    expect(fake.authorizationsSeen().filter((authorization) => authorization === 'Bearer access-2')).toHaveLength(
      2 * N,
    );
  });

  it('a refresh started by one instance holds the 20 requests of the other, which go out with the new token', async () => {
    const scenario = await start({ session: { refreshTimeout: 5_000 } });
    const { api, session, fake } = scenario;
    const other = secondInstance(scenario);
    const M = 20;
    const refreshGate = deferred();
    fake.holdRefreshUntil(refreshGate.promise);
    fake.expireAccessToken();

    const trigger = api.get('/api/trigger');
    await untilStatus(session, 'refreshing');
    const during = inParallel(M, (i) => other.get(`/api/second/${i}`));
    await pause();
    expect(fake.apiRequests.map((request) => request.path)).toEqual(['/api/trigger']);

    refreshGate.resolve();
    expect(valuesOf(await during)).toHaveLength(M);
    expect((await trigger).status).toBe(200);
    expect(fake.refreshCalls).toHaveLength(1);
    const secondSeen = fake.apiRequests.filter((request) => request.path.startsWith('/api/second/'));
    expect(secondSeen.map((request) => request.authorization)).toEqual(Array(M).fill('Bearer access-2'));
  });
});
