import { attachAuth } from '@authmachine/axios';
import { AuthError, type AuthSession, createAuthSession } from '@authmachine/core';
import { API_ORIGIN, FakeAuthApi } from '@authmachine/test-kit';
import axios, { type AxiosInstance, CanceledError, isAxiosError } from 'axios';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  actorSubscriberCount,
  expectNoTokenIn,
  gate,
  interceptorCounts,
  nextMacrotask,
  type ProbedClient,
  probedClient,
  reasonOf,
  stateOf,
  until,
  untilRejectedWith401,
} from './support/adapterProbes.js';
import { InProcessAuthServer } from './support/inProcessAuthServer.js';

let fake = new FakeAuthApi();
const server = setupServer();
const teardowns: Array<() => void> = [];

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());
afterEach(() => {
  for (const teardown of teardowns.splice(0)) teardown();
});

function startServer(): void {
  fake = new FakeAuthApi();
  server.resetHandlers(...fake.handlers);
}

async function start(): Promise<ProbedClient> {
  startServer();
  const client = await probedClient(fake);
  teardowns.push(() => {
    client.detach();
    client.session.stop();
  });
  return client;
}

/** Holds the fake's refresh endpoint until the returned function is called (or the test ends). */
function holdRefresh(): () => void {
  const held = gate();
  fake.holdRefreshUntil(held.promise);
  teardowns.unshift(held.release);
  return held.release;
}

/** A session refreshing through `api` itself (skipAuth), as apps do, and not attached yet. */
function sessionFor(api: AxiosInstance): AuthSession {
  const session = createAuthSession({
    refresh: async ({ refreshToken, signal }) =>
      (await api.post('/auth/refresh', { refreshToken }, { signal, skipAuth: true })).data,
    refreshLeeway: false,
    refreshRetries: 0,
  });
  teardowns.push(() => session.stop());
  return session;
}

/** One cycle: the token expires, a request gets 401, one refresh, the retry succeeds. */
async function refreshCycles(
  cycles: number,
  run: { api: AxiosInstance; session: AuthSession; expire: () => void; refreshCalls: () => number },
): Promise<{ leaks: string[] }> {
  const subscribers = actorSubscriberCount(run.session);
  const interceptors = interceptorCounts(run.api);
  const leaks: string[] = [];
  for (let cycle = 1; cycle <= cycles; cycle += 1) {
    run.expire();
    const response = await run.api.get(`/api/cycle/${cycle}`);
    // Collected, not asserted one by one: 1,000 cycles of expect() would be most of the run time.
    if (response.status !== 200) leaks.push(`cycle ${cycle}: status ${response.status}`);
    if (run.refreshCalls() !== cycle) leaks.push(`cycle ${cycle}: ${run.refreshCalls()} refresh calls`);
    const now = actorSubscriberCount(run.session);
    if (now !== subscribers) leaks.push(`cycle ${cycle}: ${now} actor subscribers, ${subscribers} before`);
    const counts = interceptorCounts(run.api);
    if (counts.request !== interceptors.request || counts.response !== interceptors.response) {
      leaks.push(`cycle ${cycle}: interceptors ${JSON.stringify(counts)}, ${JSON.stringify(interceptors)} before`);
    }
  }
  return { leaks };
}

describe('nothing accumulates over refresh cycles', () => {
  it('1,000 cycles (expire, 401, refresh, retry): subscribers and interceptors back to where they were each time', async () => {
    const authServer = new InProcessAuthServer();
    const api = axios.create({ baseURL: API_ORIGIN, adapter: authServer.adapter });
    const session = sessionFor(api);
    const beforeAttach = { subscribers: actorSubscriberCount(session), interceptors: interceptorCounts(api) };
    const detach = attachAuth(api, session);
    await session.login(authServer.issueTokens());
    // While a refresh call is at the server, the request that got the 401 is waiting: that is when
    // a subscription of ours exists. Sampled each cycle, so the counter is shown to see ours.
    const whileWaiting: number[] = [];
    authServer.onRefreshCall = () => whileWaiting.push(actorSubscriberCount(session));

    const { leaks } = await refreshCycles(1_000, {
      api,
      session,
      expire: () => authServer.expireAccessToken(),
      refreshCalls: () => authServer.refreshCalls,
    });

    expect(leaks).toEqual([]);
    expect(authServer.refreshCalls).toBe(1_000);
    expect(authServer.apiRequests).toHaveLength(2_000);
    expect(authServer.apiRequests.at(-1)).toEqual({ path: '/api/cycle/1000', authorization: 'Bearer access-1001' });
    expect(new Set(whileWaiting)).toEqual(new Set([beforeAttach.subscribers + 1]));
    expect(actorSubscriberCount(session)).toBe(beforeAttach.subscribers);
    expect(interceptorCounts(api)).toEqual({
      request: beforeAttach.interceptors.request + 1,
      response: beforeAttach.interceptors.response + 1,
    });

    detach();
    expect(interceptorCounts(api)).toEqual(beforeAttach.interceptors);
    expect(actorSubscriberCount(session)).toBe(beforeAttach.subscribers);
    // About 1 s on an idle machine; the margin is for a CI box running every test file at once.
  }, 20_000);

  it('the same over HTTP through msw (50 cycles)', async () => {
    const { api, session } = await start();

    const { leaks } = await refreshCycles(50, {
      api,
      session,
      expire: () => fake.expireAccessToken(),
      refreshCalls: () => fake.refreshCalls.length,
    });

    expect(leaks).toEqual([]);
    expect(fake.authorizationsSeen().slice(-2)).toEqual(['Bearer access-50', 'Bearer access-51']);
  }, 20_000);

  it('however many requests wait, the actor has one subscriber of ours; none once they are gone (sent, aborted, timed out)', async () => {
    startServer();
    const client = await probedClient(fake, { attach: { queueTimeout: 1_000 } });
    teardowns.push(() => {
      client.detach();
      client.session.stop();
    });
    const { api, session } = client;
    const before = actorSubscriberCount(session);
    const release = holdRefresh();
    // Started by a 401's report, as a request would, so that no wait of the app's own shares the source.
    session.tokenRejected(session.getAccessToken() ?? '');
    await until(() => expect(fake.refreshCalls).toHaveLength(1));

    const controllers = Array.from({ length: 50 }, () => new AbortController());
    const requests = controllers.map((controller, i) => api.get(`/api/wait/${i}`, { signal: controller.signal }));
    await nextMacrotask();
    expect(actorSubscriberCount(session)).toBe(before + 1);
    for (const controller of controllers.slice(0, 25)) controller.abort();
    expect(actorSubscriberCount(session)).toBe(before + 1);
    for (const controller of controllers.slice(25)) controller.abort();
    await Promise.allSettled(requests);
    expect(actorSubscriberCount(session)).toBe(before);

    const more = Array.from({ length: 10 }, (_, i) => api.get(`/api/more/${i}`));
    await nextMacrotask();
    expect(actorSubscriberCount(session)).toBe(before + 1);
    release();
    await Promise.all(more);
    expect(session.getSnapshot().status).toBe('authenticated');
    expect(actorSubscriberCount(session)).toBe(before);
  });
});

describe('detach()', () => {
  it("ejects exactly our two interceptors, keeps the app's own; afterwards no token and no refresh", async () => {
    startServer();
    const api = axios.create({ baseURL: API_ORIGIN });
    const appSaw: string[] = [];
    api.interceptors.request.use((config) => {
      appSaw.push(`request ${config.url}`);
      return config;
    });
    api.interceptors.response.use(undefined, (error: unknown) => {
      appSaw.push(`error ${isAxiosError(error) ? error.response?.status : 'other'}`);
      return Promise.reject(error);
    });
    const session = sessionFor(api);
    const beforeAttach = { subscribers: actorSubscriberCount(session), interceptors: interceptorCounts(api) };
    const detach = attachAuth(api, session);
    expect(interceptorCounts(api)).toEqual({
      request: beforeAttach.interceptors.request + 1,
      response: beforeAttach.interceptors.response + 1,
    });
    await session.login(fake.issueTokens());
    await api.get('/api/attached');

    detach();

    expect(interceptorCounts(api)).toEqual(beforeAttach.interceptors);
    expect(actorSubscriberCount(session)).toBe(beforeAttach.subscribers);
    const error = await reasonOf(api.get('/api/detached'));
    expect(isAxiosError(error) && error.response?.status).toBe(401);
    expect(fake.authorizationsSeen()).toEqual(['Bearer access-1', null]);
    // That 401 is the app's to handle: the session never hears of it.
    expect(fake.refreshCalls).toEqual([]);
    expect(session.getSnapshot()).toMatchObject({ status: 'authenticated', accessToken: 'access-1' });
    expect(appSaw).toEqual(['request /api/attached', 'request /api/detached', 'error 401']);
  });

  it('twice is harmless, also after attaching again: the second call removes nothing it does not own', async () => {
    startServer();
    const api = axios.create({ baseURL: API_ORIGIN });
    api.interceptors.request.use((config) => config);
    const session = sessionFor(api);
    const plain = interceptorCounts(api);
    const firstDetach = attachAuth(api, session);
    await session.login(fake.issueTokens());

    firstDetach();
    expect(() => firstDetach()).not.toThrow();
    expect(interceptorCounts(api)).toEqual(plain);

    const secondDetach = attachAuth(api, session);
    teardowns.push(secondDetach);
    firstDetach();
    expect(interceptorCounts(api)).toEqual({ request: plain.request + 1, response: plain.response + 1 });
    fake.expireAccessToken();
    await api.get('/api/still-attached');
    expect(fake.authorizationsSeen()).toEqual(['Bearer access-1', 'Bearer access-2']);
  });

  it('requests waiting when it is called reject at once with CanceledError; none of them is sent afterwards', async () => {
    const client = await start();
    const { api, session } = client;
    const subscribersBefore = actorSubscriberCount(session);
    const release = holdRefresh();
    fake.expireAccessToken();
    const afterOwn401 = api.get('/api/after-own-401');
    await untilRejectedWith401(client, '/api/after-own-401');
    const queued = [api.get('/api/queued'), api.post('/api/queued-post', { a: 1 })];
    const waiting = [afterOwn401, ...queued];
    expect(session.getSnapshot().status).toBe('refreshing');
    for (const request of waiting) expect(await stateOf(request)).toBe('pending');
    expect(actorSubscriberCount(session)).toBe(subscribersBefore + 1);

    client.detach();

    for (const request of waiting) expect(await stateOf(request)).toBe('rejected');
    for (const request of waiting) {
      const error = await reasonOf(request);
      expect(error).toBeInstanceOf(CanceledError);
      expect(axios.isCancel(error)).toBe(true);
      expectNoTokenIn(error);
    }
    expect(actorSubscriberCount(session)).toBe(subscribersBefore);

    release();
    await until(() =>
      expect(session.getSnapshot()).toMatchObject({ status: 'authenticated', accessToken: 'access-2' }),
    );
    expect(fake.apiRequests.map(({ path, authorization }) => [path, authorization])).toEqual([
      ['/api/after-own-401', 'Bearer access-1'],
    ]);
  });
});

describe('session.stop()', () => {
  it('requests waiting when it is called reject with AuthError SESSION_STOPPED', async () => {
    const client = await start();
    const { api, session } = client;
    holdRefresh();
    fake.expireAccessToken();
    const afterOwn401 = api.get('/api/after-own-401');
    await untilRejectedWith401(client, '/api/after-own-401');
    const queued = api.get('/api/queued');
    expect(await stateOf(queued)).toBe('pending');

    session.stop();

    for (const request of [afterOwn401, queued]) {
      expect(await stateOf(request)).toBe('rejected');
      const error = await reasonOf(request);
      expect(error).toBeInstanceOf(AuthError);
      expect(error).toMatchObject({ code: 'SESSION_STOPPED' });
      expectNoTokenIn(error);
    }
    expect(fake.apiRequests.map((request) => request.path)).toEqual(['/api/after-own-401']);
  });

  it('a request made after it, while the session was refreshing, rejects with SESSION_STOPPED instead of waiting forever', async () => {
    const client = await start();
    const { api, session } = client;
    holdRefresh();
    session.refresh().catch(() => undefined);
    await until(() => expect(fake.refreshCalls).toHaveLength(1));
    session.stop();

    const late = api.get('/api/after-stop');

    expect(await stateOf(late)).toBe('rejected');
    expect(await reasonOf(late)).toMatchObject({ code: 'SESSION_STOPPED' });
    expect(fake.apiRequests).toEqual([]);
  });
});
