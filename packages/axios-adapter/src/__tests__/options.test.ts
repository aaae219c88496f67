import { type AttachAuthOptions, attachAuth } from '@authmachine/axios';
import { AuthError, createAuthSession } from '@authmachine/core';
import { API_ORIGIN, FakeAuthApi, OTHER_ORIGIN } from '@authmachine/test-kit';
import axios, { type AxiosError, isAxiosError } from 'axios';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { expectNoTokenIn, interceptorCounts, reasonOf } from './support/adapterProbes.js';
import { type AttachedClient, attachedClient } from './support/attachedClient.js';

let fake = new FakeAuthApi();
const server = setupServer();
let client: AttachedClient | undefined;

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());
afterEach(() => {
  client?.detach();
  client?.session.stop();
  client = undefined;
});

/** What `/custom/*` saw: the two headers that matter, per request. */
interface SeenCustom {
  path: string;
  authorization: string | null;
  custom: string | null;
}

/**
 * The fake API, plus `/custom/*`: an endpoint that takes the token from `headerName`, written as
 * `scheme token` (or the bare token when scheme is ''), and accepts only the current one.
 */
function startServer(headerName: string, scheme: string): SeenCustom[] {
  fake = new FakeAuthApi();
  const seen: SeenCustom[] = [];
  server.resetHandlers(
    http.all(`${API_ORIGIN}/custom/*`, ({ request }) => {
      const custom = request.headers.get(headerName);
      seen.push({ path: new URL(request.url).pathname, authorization: request.headers.get('authorization'), custom });
      const current = fake.currentAccessToken;
      const expected = current === null ? null : scheme === '' ? current : `${scheme} ${current}`;
      if (custom === null || custom !== expected) return HttpResponse.json({ error: 'invalid_token' }, { status: 401 });
      return HttpResponse.json({ ok: true });
    }),
    ...fake.handlers,
  );
  return seen;
}

async function start(attach: AttachAuthOptions): Promise<AttachedClient> {
  client = await attachedClient(fake, { attach });
  return client;
}

describe('headerName and scheme', () => {
  it("headerName 'X-Auth-Token' with scheme '' sends the bare token there, and the retry after a refresh too", async () => {
    const seen = startServer('X-Auth-Token', '');
    const { api } = await start({ headerName: 'X-Auth-Token', scheme: '' });

    await api.get('/custom/first');
    fake.expireAccessToken();
    const response = await api.get('/custom/second');

    expect(response.status).toBe(200);
    expect(seen).toEqual([
      { path: '/custom/first', authorization: null, custom: 'access-1' },
      { path: '/custom/second', authorization: null, custom: 'access-1' },
      { path: '/custom/second', authorization: null, custom: 'access-2' },
    ]);
    expect(fake.refreshCalls).toHaveLength(1);
  });

  it("scheme 'Token' writes 'Token <token>' in Authorization", async () => {
    const seen = startServer('Authorization', 'Token');
    const { api } = await start({ scheme: 'Token' });

    fake.expireAccessToken();
    await api.get('/custom/me');

    expect(seen.map((request) => request.authorization)).toEqual(['Token access-1', 'Token access-2']);
  });

  it('a headerName in any case replaces an app-set header of the same name on the retry, never sends two', async () => {
    const seen = startServer('X-Auth-Token', 'Bearer');
    const { api } = await start({ headerName: 'x-auth-token' });

    fake.expireAccessToken();
    await api.get('/custom/me', { headers: { 'X-Auth-Token': 'app-value' } });

    expect(seen.map((request) => request.custom)).toEqual(['Bearer access-1', 'Bearer access-2']);
  });

  it.each([
    ['headerName', { headerName: '' }],
    ['headerName', { headerName: '   ' }],
    ['headerName', { headerName: 42 as unknown as string }],
    ['scheme', { scheme: 42 as unknown as string }],
    ['scheme', { scheme: null as unknown as string }],
  ])('an invalid %s (%j) → AuthError INVALID_OPTIONS, nothing attached', (name, options) => {
    const api = axios.create({ baseURL: API_ORIGIN });
    const session = createAuthSession({ refresh: async () => ({ accessToken: 'never-used' }) });

    let thrown: unknown;
    try {
      attachAuth(api, session, options);
    } catch (error) {
      thrown = error;
    } finally {
      session.stop();
    }

    expect(thrown).toBeInstanceOf(AuthError);
    expect(thrown).toMatchObject({ code: 'INVALID_OPTIONS', message: expect.stringContaining(name) });
    expectNoTokenIn(thrown);
    expect(interceptorCounts(api)).toEqual({ request: 0, response: 0 });
  });
});

describe('shouldRefresh', () => {
  it('decides which failures refresh: here a 401 does not, so it rejects as it came', async () => {
    startServer('Authorization', 'Bearer');
    const shouldRefresh = vi.fn((_error: AxiosError) => false);
    const { api, session } = await start({ shouldRefresh });

    fake.expireAccessToken();
    const error = await reasonOf(api.get('/api/me'));

    expect(isAxiosError(error) && error.response?.status).toBe(401);
    expect(shouldRefresh).toHaveBeenCalledTimes(1);
    expect(shouldRefresh.mock.calls[0]?.[0].response?.status).toBe(401);
    expect(fake.refreshCalls).toEqual([]);
    expect(session.getSnapshot()).toMatchObject({ status: 'authenticated', accessToken: 'access-1' });
  });

  it('may ask for a refresh on what the default would not (a 419 here): one refresh, one retry', async () => {
    startServer('Authorization', 'Bearer');
    let answered419 = false;
    server.use(
      http.get(`${API_ORIGIN}/api/session-timeout`, ({ request }) => {
        if (request.headers.get('authorization') === `Bearer ${fake.currentAccessToken}` && answered419) {
          return HttpResponse.json({ ok: true });
        }
        answered419 = true;
        return HttpResponse.json({ error: 'session timeout' }, { status: 419 });
      }),
    );
    const { api } = await start({ shouldRefresh: (error) => error.response?.status === 419 });

    const response = await api.get('/api/session-timeout');

    expect(response.data).toEqual({ ok: true });
    expect(fake.refreshCalls).toHaveLength(1);
  });

  it('is asked only about requests that carried our token', async () => {
    startServer('Authorization', 'Bearer');
    const shouldRefresh = vi.fn(() => true);
    const { api } = await start({ shouldRefresh });

    await reasonOf(api.get(`${OTHER_ORIGIN}/x`));
    fake.expireAccessToken();
    await reasonOf(api.get('/api/me', { skipAuth: true }));

    expect(shouldRefresh).not.toHaveBeenCalled();
    expect(fake.refreshCalls).toEqual([]);
  });

  it('one that throws counts as "no": the request rejects with its own 401, nothing refreshes', async () => {
    startServer('Authorization', 'Bearer');
    const { api } = await start({
      shouldRefresh: () => {
        throw new Error('bug in the app predicate');
      },
    });

    fake.expireAccessToken();
    const error = await reasonOf(api.get('/api/me'));

    expect(isAxiosError(error) && error.response?.status).toBe(401);
    expect(fake.refreshCalls).toEqual([]);
  });
});

describe('arguments a JavaScript caller got wrong', () => {
  const session = createAuthSession({ refresh: async () => ({ accessToken: 'a' }) });
  afterAll(() => session.stop());

  it('a missing or foreign session is an INVALID_OPTIONS error naming what to pass, not an RxJS internal', () => {
    const api = axios.create({ baseURL: API_ORIGIN });
    for (const wrong of [{}, undefined, null, 'session']) {
      expect(() => attachAuth(api, wrong as never)).toThrow(
        /attachAuth needs the session from createAuthSession\(\.\.\.\) as its second argument/,
      );
    }
    expect(() => attachAuth({} as never, session)).toThrow(/attachAuth needs an axios instance/);
  });

  it('an unknown option warns once with the options there are', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const api = axios.create({ baseURL: API_ORIGIN });
    const detach = attachAuth(api, session, { queueTimout: 5 } as never);
    attachAuth(axios.create({ baseURL: API_ORIGIN }), session, { queueTimout: 5 } as never)();
    detach();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toMatch(/attachAuth has no option "queueTimout".*queueTimeout/);
    warn.mockRestore();
  });
});

describe('a 401 from an origin that may not receive the token', () => {
  it('warns once per origin in development, naming it and how to allow it; never in production', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    fake = new FakeAuthApi();
    server.use(...fake.handlers);
    const session = createAuthSession({ refresh: async () => ({ accessToken: 'unused' }) });
    await session.login({ accessToken: 'access-1', refreshToken: 'refresh-1' });
    const api = axios.create({ baseURL: API_ORIGIN });
    const detach = attachAuth(api, session);

    for (let i = 0; i < 2; i++) await api.get(`${OTHER_ORIGIN}/data`).catch(() => undefined);
    expect(fake.otherOriginRequests.map((request) => request.authorization)).toEqual([null, null]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toContain(
      `${OTHER_ORIGIN} answered 401 to a request that carried no token: ${OTHER_ORIGIN} is not among the origins allowed to receive it ("${API_ORIGIN}")`,
    );
    expect(warn.mock.calls[0]?.[0]).toContain(`allowedOrigins: ["${API_ORIGIN}", "${OTHER_ORIGIN}"]`);
    expect(warn.mock.calls[0]?.[0]).not.toContain('access-1');

    let answered = 0;
    server.use(
      http.get('https://another.test/data', () => {
        answered += 1;
        return new HttpResponse(null, { status: 401 });
      }),
    );
    vi.stubEnv('NODE_ENV', 'production');
    try {
      await api.get('https://another.test/data').catch(() => undefined);
      expect(answered).toBe(1);
    } finally {
      vi.unstubAllEnvs();
    }
    expect(warn).toHaveBeenCalledTimes(1);
    detach();
    session.stop();
    warn.mockRestore();
  });
});
