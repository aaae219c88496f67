import { createAuthFetch, SKIP_AUTH_HEADER, skipAuth } from '@authmachine/fetch';
import ky, { HTTPError } from 'ky';
import createClient from 'openapi-fetch';
import { describe, expect, it } from 'vitest';
import type { paths } from './apiPaths.js';
import { API, OTHER, useTokenServer } from './tokenServer.js';

/*
 * One call without the token (a login, a public endpoint): marked by a header, because ky and
 * openapi-fetch hand fetch a `Request` they built, which keeps headers and drops unknown init
 * fields. The server never sees the mark, the call carries none of our tokens, and its 401 is the
 * app's answer, not a reason to refresh.
 */

const server = useTokenServer();

async function setUp(): Promise<{ authFetch: typeof fetch; sessionToken: () => string | null }> {
  const session = await server.loggedInSession();
  const authFetch = createAuthFetch(session, { allowedOrigins: [API] });
  return { authFetch, sessionToken: () => session.getAccessToken() };
}

/** The call went out once, with no token of ours and no mark, and refreshed nothing. */
function expectSentWithoutToken(sessionToken: () => string | null): void {
  expect(server.calls).toHaveLength(1);
  const [call] = server.calls;
  expect(call?.authorization).toBeNull();
  expect(call?.headers.has(SKIP_AUTH_HEADER)).toBe(false);
  expect(server.refreshCalls).toBe(0);
  expect(sessionToken()).toBe('access-1');
}

describe('plain fetch', () => {
  const marks: Array<[string, () => HeadersInit]> = [
    ['skipAuth()', () => skipAuth()],
    ['skipAuth(headers) over an object', () => skipAuth({ 'x-request-id': 'req-1' })],
    ['SKIP_AUTH_HEADER in an object', () => ({ [SKIP_AUTH_HEADER]: '1', 'x-request-id': 'req-1' })],
    ['SKIP_AUTH_HEADER in an array', () => [[SKIP_AUTH_HEADER, 'yes']]],
  ];

  it.each(marks)('%s: no token, no mark on the wire, its 401 refreshes nothing', async (_, headers) => {
    const { authFetch, sessionToken } = await setUp();

    const response = await authFetch(`${API}/api/public`, { headers: headers() });

    expect(response.status).toBe(401);
    expectSentWithoutToken(sessionToken);
  });

  it("keeps the app's other headers, and its own Authorization (a login with Basic credentials)", async () => {
    const { authFetch, sessionToken } = await setUp();

    await authFetch(`${API}/api/login`, {
      method: 'POST',
      headers: skipAuth({ authorization: 'Basic dXNlcjpwdw==', 'x-request-id': 'req-1' }),
    });

    expect(server.calls[0]?.headers.get('x-request-id')).toBe('req-1');
    expect(server.calls[0]?.authorization).toBe('Basic dXNlcjpwdw==');
    expect(server.refreshCalls).toBe(0);
    expect(sessionToken()).toBe('access-1');
  });

  it('a marked Request: no token, no mark', async () => {
    const { authFetch, sessionToken } = await setUp();

    const response = await authFetch(new Request(`${API}/api/public`, { headers: skipAuth() }));

    expect(response.status).toBe(401);
    expectSentWithoutToken(sessionToken);
  });

  it('the mark is removed on calls to other origins too', async () => {
    const { authFetch } = await setUp();

    await authFetch(`${OTHER}/public`, { headers: skipAuth({ 'x-request-id': 'req-1' }) });

    expect(server.otherCalls).toHaveLength(1);
    expect(server.otherCalls[0]?.headers.has(SKIP_AUTH_HEADER)).toBe(false);
    expect(server.otherCalls[0]?.headers.get('x-request-id')).toBe('req-1');
  });

  it('the next unmarked call carries the token again', async () => {
    const { authFetch } = await setUp();

    await authFetch(`${API}/api/public`, { headers: skipAuth() });
    const response = await authFetch(`${API}/api/items`);

    expect(response.status).toBe(200);
    expect(server.authorizations()).toEqual([null, 'Bearer access-1']);
  });
});

describe('through ky (it hands fetch a Request it built from its options)', () => {
  it('headers: skipAuth(): no token, no mark, its 401 is an HTTPError and refreshes nothing', async () => {
    const { authFetch, sessionToken } = await setUp();
    const api = ky.create({ prefix: API, fetch: authFetch, retry: 0 });

    const error = await api.get('api/public', { headers: skipAuth() }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(HTTPError);
    expect((error as HTTPError).response.status).toBe(401);
    expectSentWithoutToken(sessionToken);
  });
});

describe('through openapi-fetch (it hands fetch a Request it built)', () => {
  it('headers: skipAuth(): no token, no mark, its 401 comes back as the error', async () => {
    const { authFetch, sessionToken } = await setUp();
    const client = createClient<paths>({ baseUrl: API, fetch: authFetch });

    const { data, error, response } = await client.GET('/api/items/{id}', {
      params: { path: { id: '7' } },
      headers: skipAuth(),
    });

    expect(data).toBeUndefined();
    expect(error).toEqual({ error: 'invalid_token' });
    expect(response.status).toBe(401);
    expectSentWithoutToken(sessionToken);
  });
});
