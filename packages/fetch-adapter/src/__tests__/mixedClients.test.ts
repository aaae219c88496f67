import { attachAuth } from '@authmachine/axios';
import { createAuthSession } from '@authmachine/core';
import { createAuthFetch } from '@authmachine/fetch';
import {
  API_ORIGIN,
  deferred,
  type FakeAuthApi,
  range,
  seenFor,
  tokensOf,
  untilStatus,
  useFakeAuthServer,
} from '@authmachine/test-kit';
import axios from 'axios';
import { describe, expect, it } from 'vitest';

const server = useFakeAuthServer();

/** One session, an axios instance attached to it and an auth fetch on it: an app that uses both. */
async function mixedClients(): Promise<{
  fake: FakeAuthApi;
  api: ReturnType<typeof axios.create>;
  authFetch: typeof fetch;
  session: ReturnType<typeof createAuthSession>;
}> {
  const fake = server.fakeApi();
  const api = axios.create({ baseURL: API_ORIGIN });
  const session = createAuthSession({
    // The refresh goes through plain fetch here: neither client is the session's own.
    refresh: async ({ refreshToken, signal }) => {
      const response = await fetch(`${API_ORIGIN}/auth/refresh`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken }),
        signal,
      });
      return tokensOf({ kind: 'response', ok: response.ok, status: response.status, data: await response.json() });
    },
    refreshLeeway: false,
    refreshRetries: 0,
    refreshTimeout: 5_000,
  });
  const detach = attachAuth(api, session);
  const authFetch = createAuthFetch(session, { allowedOrigins: [API_ORIGIN] });
  server.cleanup(() => {
    detach();
    session.stop();
  });
  await session.login(fake.issueTokens());
  return { fake, api, authFetch, session };
}

describe('an axios instance and an auth fetch on one session', () => {
  it('30 concurrent 401s on each: one refresh call for both, every request retried once with the new token', async () => {
    const { fake, api, authFetch } = await mixedClients();
    const N = 30;
    fake.expireAccessToken();
    fake.holdApiResponsesUntil(2 * N);

    const [viaAxios, viaFetch] = await Promise.all([
      Promise.all(range(N).map((i) => api.get(`/api/axios/${i}`))),
      Promise.all(range(N).map((i) => authFetch(`${API_ORIGIN}/api/fetch/${i}`))),
    ]);

    expect(viaAxios.map((response) => response.status)).toEqual(Array(N).fill(200));
    expect(viaFetch.map((response) => response.status)).toEqual(Array(N).fill(200));
    expect(fake.refreshCalls).toEqual([{ refreshToken: 'refresh-1', answered: 'ok' }]);
    for (const path of range(N).flatMap((i) => [`/api/axios/${i}`, `/api/fetch/${i}`])) {
      expect(seenFor(fake, path), path).toEqual(['Bearer access-1', 'Bearer access-2']);
    }
  });

  it("a refresh started by axios holds the auth fetch's calls, and one started by fetch holds axios' requests", async () => {
    const { fake, api, authFetch, session } = await mixedClients();

    // Both clients answer with a status: axios' response and fetch's Response.
    type Call = () => Promise<{ status: number }>;
    const viaAxios =
      (path: string): Call =>
      () =>
        api.get(path);
    const viaFetch =
      (path: string): Call =>
      () =>
        authFetch(`${API_ORIGIN}${path}`);
    const rounds: Array<[number, Call, (i: number) => Call]> = [
      [1, viaAxios('/api/trigger-1'), (i) => viaFetch(`/api/during-1/${i}`)],
      [2, viaFetch('/api/trigger-2'), (i) => viaAxios(`/api/during-2/${i}`)],
    ];
    for (const [round, trigger, during] of rounds) {
      const gate = deferred();
      fake.holdRefreshUntil(gate.promise);
      fake.expireAccessToken();
      const triggered = trigger();
      await untilStatus(session, 'refreshing');
      const waiting = Promise.all(range(10).map((i) => during(i)()));
      gate.resolve();

      expect((await waiting).map((response) => response.status)).toEqual(Array(10).fill(200));
      expect((await triggered).status).toBe(200);
      const fresh = `Bearer access-${round + 1}`;
      for (const i of range(10)) expect(seenFor(fake, `/api/during-${round}/${i}`)).toEqual([fresh]);
      expect(seenFor(fake, `/api/trigger-${round}`)).toEqual([`Bearer access-${round}`, fresh]);
      expect(fake.refreshCalls).toHaveLength(round);
    }
  });
});
