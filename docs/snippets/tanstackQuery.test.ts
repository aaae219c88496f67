import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { logIn } from './authFetch.js';
import { session } from './createSession.js';
import { queryClient } from './tanstackQuery.js';

// The TanStack Query guide's snippet, run as written against a fake API (msw).
const API = 'https://api.example.com';
const api = {
  validToken: null as string | null,
  refreshAnswer: 'ok' as 'ok' | 'invalid_grant',
  refreshCalls: 0,
  meCalls: 0,
};

/** A JWT-shaped access token for `sub`: the cache is kept for the same user, cleared for another. */
const tokenFor = (sub: string, serial: number): string =>
  `e30.${Buffer.from(JSON.stringify({ sub, serial })).toString('base64url')}.c2ln`;
let loginAs = 'ada';

const server = setupServer(
  http.post(`${API}/auth/login`, () => {
    api.validToken = tokenFor(loginAs, 0);
    return HttpResponse.json({ accessToken: api.validToken, refreshToken: `refresh-${loginAs}` });
  }),
  http.post(`${API}/auth/refresh`, async ({ request }) => {
    api.refreshCalls += 1;
    if (api.refreshAnswer === 'invalid_grant') return HttpResponse.json({ error: 'invalid_grant' }, { status: 400 });
    const { refreshToken } = (await request.json()) as { refreshToken: string };
    api.validToken = tokenFor(refreshToken.replace('refresh-', ''), api.refreshCalls);
    return HttpResponse.json({ accessToken: api.validToken, refreshToken });
  }),
  http.get(`${API}/me`, ({ request }) => {
    api.meCalls += 1;
    const token = request.headers.get('authorization')?.replace(/^Bearer /, '');
    if (token !== api.validToken)
      return new HttpResponse(null, { status: 401, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } });
    return HttpResponse.json({ name: loginAs === 'ada' ? 'Ada Lovelace' : 'Grace Hopper' });
  }),
);

beforeAll(() => {
  server.listen({ onUnhandledRequest: 'error' });
  vi.stubGlobal('window', { location: { assign: vi.fn() } });
});
afterAll(() => {
  server.close();
  vi.unstubAllGlobals();
  session.stop();
});
beforeEach(async () => {
  Object.assign(api, { refreshAnswer: 'ok', refreshCalls: 0, meCalls: 0 });
  loginAs = 'ada';
  await logIn('ada', 'lovelace');
  queryClient.clear();
});

const profileQuery = { queryKey: ['me'] } as const;

describe('the TanStack Query snippet', () => {
  it('queries that meet an expired token wait for one refresh and succeed, with no query retry', async () => {
    api.validToken = 'rotated-on-the-server';
    const names = await Promise.all(
      ['me', 'me-again', 'me-third'].map((key) =>
        queryClient.fetchQuery({ queryKey: [key], queryFn: () => fetchProfile() }),
      ),
    );
    expect(names).toEqual(['Ada Lovelace', 'Ada Lovelace', 'Ada Lovelace']);
    expect(api.refreshCalls).toBe(1);
    expect(api.meCalls).toBe(6); // three 401s, three retries with the new token
  });

  it('an ended session: each query is sent once (no query retry), and what the user had loaded is cleared', async () => {
    await queryClient.fetchQuery({ ...profileQuery, queryFn: () => fetchProfile() });
    expect(queryClient.getQueryData(profileQuery.queryKey)).toBe('Ada Lovelace');
    api.validToken = 'rotated-on-the-server';
    api.refreshAnswer = 'invalid_grant';
    const failed = queryClient.fetchQuery({ queryKey: ['orders'], queryFn: () => fetchProfile() });
    // SessionExpiredError reaches the query, or TanStack's CancelledError when the cache was
    // cleared first: either way it fails once, and nothing is retried.
    await expect(failed).rejects.toThrow();
    expect(session.getSnapshot().status).toBe('expired');
    expect(api.meCalls).toBe(2);
    expect(api.refreshCalls).toBe(1);
    expect(queryClient.getQueryData(profileQuery.queryKey)).toBeUndefined();
  });

  it('a 401 that outlives the refresh and its retry is final: no query retry, no second refresh', async () => {
    api.validToken = 'rotated-on-the-server';
    server.use(
      http.get(`${API}/me`, () => {
        api.meCalls += 1;
        return new HttpResponse(null, { status: 401, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } });
      }),
    );
    const failed = queryClient.fetchQuery({ queryKey: ['me-401'], queryFn: () => fetchProfile() });
    await expect(failed).rejects.toMatchObject({ status: 401 });
    expect(api.meCalls).toBe(2);
    expect(api.refreshCalls).toBe(1);
    server.resetHandlers();
  });

  it('shouldRetryQuery retries what may pass: a 503 is retried up to 3 times', async () => {
    server.use(
      http.get(`${API}/me`, () => {
        api.meCalls += 1;
        return new HttpResponse(null, { status: 503 });
      }),
    );
    const failed = queryClient.fetchQuery({ queryKey: ['me-503'], queryFn: () => fetchProfile(), retryDelay: 0 });
    await expect(failed).rejects.toMatchObject({ status: 503 });
    expect(api.meCalls).toBe(4);
    server.resetHandlers();
  });

  it('a logout, or another user logging in, clears what the previous user loaded; the same user keeps it', async () => {
    await queryClient.fetchQuery({ ...profileQuery, queryFn: () => fetchProfile() });
    await logIn('ada', 'lovelace');
    expect(queryClient.getQueryData(profileQuery.queryKey)).toBe('Ada Lovelace');

    loginAs = 'grace';
    await logIn('grace', 'hopper');
    expect(queryClient.getQueryData(profileQuery.queryKey)).toBeUndefined();

    await queryClient.fetchQuery({ ...profileQuery, queryFn: () => fetchProfile() });
    expect(queryClient.getQueryData(profileQuery.queryKey)).toBe('Grace Hopper');
    await session.logout();
    expect(queryClient.getQueryData(profileQuery.queryKey)).toBeUndefined();
  });
});

/** The snippet's query function, reading the name for short assertions. */
async function fetchProfile(): Promise<string> {
  const { loadProfile } = await import('./authFetch.js');
  return (await loadProfile()).name;
}
