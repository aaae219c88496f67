import { SessionExpiredError } from '@authmachine/core';
import { SKIP_AUTH_HEADER } from '@authmachine/fetch';
import { HTTPError } from 'ky';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadProfile, loadStatus, logIn } from './authFetch.js';
import { authFetch as authFetchWithOptions } from './authFetchOptions.js';
import { session } from './createSession.js';
import { loadOrders, loadStatus as loadStatusWithKy } from './kyClient.js';
import { createOrder, loadStatus as loadStatusWithOfetch } from './ofetchClient.js';
import { loadOrder, loadStatus as loadStatusWithOpenapiFetch } from './openapiClient.js';
import { loadDashboard } from './sharedSession.js';
import { uploadLog } from './uploadStream.js';

// The fetch guide's snippets, run as written against a fake API (msw). They share one session, as
// an app's modules do; each test logs in afresh and then lets the server stop accepting the token.
interface Seen {
  method: string;
  path: string;
  token: string | null;
  body: string;
}

const api = {
  validToken: null as string | null,
  refreshAnswer: 'new tokens' as 'new tokens' | 'invalid_grant',
  refreshCalls: 0,
  seen: [] as Seen[],
  skipMarksSeen: 0,
};

const API = 'https://api.example.com';
let cdnTokens: Array<string | null> = [];
const tokenOf = (request: Request): string | null =>
  request.headers.get('authorization')?.replace(/^Bearer /, '') ?? null;

const server = setupServer(
  http.post(`${API}/auth/login`, () => {
    api.validToken = 'access-1';
    return HttpResponse.json({ accessToken: 'access-1', refreshToken: 'refresh-1' });
  }),
  http.post(`${API}/auth/refresh`, async ({ request }) => {
    api.refreshCalls += 1;
    if (tokenOf(request) !== null) return HttpResponse.json({ error: 'a token on the refresh call' }, { status: 500 });
    if (api.refreshAnswer === 'invalid_grant') return HttpResponse.json({ error: 'invalid_grant' }, { status: 400 });
    const body = (await request.json()) as { refreshToken: string };
    api.validToken = `access-${api.refreshCalls + 1}`;
    return HttpResponse.json({ accessToken: api.validToken, refreshToken: `${body.refreshToken}+` });
  }),
  http.get('https://cdn.example.net/logo.svg', ({ request }) => {
    cdnTokens.push(tokenOf(request));
    return HttpResponse.text('<svg/>');
  }),
  http.all(/^https:\/\/(api|files)\.example\.com\//, async ({ request }) => {
    const { pathname } = new URL(request.url);
    const token = tokenOf(request);
    if (request.headers.has(SKIP_AUTH_HEADER)) api.skipMarksSeen += 1;
    api.seen.push({ method: request.method, path: pathname, token, body: await request.text() });
    if (pathname === '/status') return HttpResponse.text('up');
    if (token === null || token !== api.validToken) {
      return new HttpResponse(null, { status: 401, headers: { 'www-authenticate': 'Bearer error="invalid_token"' } });
    }
    if (pathname === '/me') return HttpResponse.json({ name: 'Ada' });
    if (pathname === '/orders' && request.method === 'GET') return HttpResponse.json([{ id: 'o1', total: 5 }]);
    if (pathname === '/orders') return HttpResponse.json({ id: 'o2', ...JSON.parse(api.seen.at(-1)?.body ?? '{}') });
    if (pathname === '/orders/o1') return HttpResponse.json({ id: 'o1', total: 5 });
    if (pathname === '/report.pdf') return HttpResponse.text('%PDF');
    if (pathname === '/logs/today') return new HttpResponse(null, { status: 204 });
    return HttpResponse.json({ error: 'not found' }, { status: 404 });
  }),
);

/** The server stops accepting the current access token, as when it expires. */
function expireAccessToken(): void {
  api.validToken = null;
}

const tokensFor = (path: string): Array<string | null> =>
  api.seen.filter((request) => request.path === path).map((request) => request.token);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(async () => {
  await session.logout();
  cdnTokens = [];
  Object.assign(api, { validToken: null, refreshAnswer: 'new tokens', refreshCalls: 0, seen: [], skipMarksSeen: 0 });
  await logIn('ada', 'lovelace');
});
afterEach(() => {
  server.resetHandlers();
  vi.unstubAllGlobals();
});
afterAll(() => {
  session.stop();
  server.close();
});

describe('plain fetch (authFetch.ts)', () => {
  it('sends three calls rejected with an expired token through one refresh, each retried with the new token', async () => {
    expireAccessToken();

    const profiles = await Promise.all([loadProfile(), loadProfile(), loadProfile()]);

    expect(profiles).toEqual([{ name: 'Ada' }, { name: 'Ada' }, { name: 'Ada' }]);
    expect(api.refreshCalls).toBe(1);
    expect(tokensFor('/me')).toEqual(['access-1', 'access-1', 'access-1', 'access-2', 'access-2', 'access-2']);
  });

  it('sends a skipAuth() call without the token and without the mark, through fetch, ky, ofetch and openapi-fetch', async () => {
    await expect(loadStatus()).resolves.toBe('up');
    await expect(loadStatusWithKy()).resolves.toBe('up');
    await expect(loadStatusWithOfetch()).resolves.toBe('up');
    await expect(loadStatusWithOpenapiFetch()).resolves.toBe('up');

    expect(tokensFor('/status')).toEqual([null, null, null, null]);
    expect(api.skipMarksSeen).toBe(0);
  });

  it('fails calls with the session’s SessionExpiredError once the refresh token is rejected, and sends none while expired', async () => {
    const assign = vi.fn();
    vi.stubGlobal('window', { location: { assign } });
    api.refreshAnswer = 'invalid_grant';
    expireAccessToken();

    const error = await loadProfile().catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(SessionExpiredError);
    expect(assign).toHaveBeenCalledWith('/login?expired=1');

    // Until login or logout, a call that would carry the token fails with the same error, unsent.
    await expect(loadProfile()).rejects.toBe(error);
    await expect(session.waitForAccessToken()).rejects.toBe(error);
    expect(tokensFor('/me')).toEqual(['access-1']);

    // After a logout calls go out without a token (and this API answers 401).
    await session.logout();
    await expect(loadProfile()).rejects.toThrow('GET /me answered 401');
    expect(tokensFor('/me')).toEqual(['access-1', null]);
    expect(api.refreshCalls).toBe(1);
  });
});

describe('options (authFetchOptions.ts)', () => {
  it('refreshes for a rejected token on any path but /public/, and sends the token to both origins only', async () => {
    expireAccessToken();

    const shareLink = await authFetchWithOptions('https://api.example.com/public/share/abc');
    expect(shareLink.status).toBe(401);
    expect(api.refreshCalls).toBe(0);

    const [me, file] = await Promise.all([
      authFetchWithOptions('https://api.example.com/me'),
      authFetchWithOptions('https://files.example.com/report.pdf'),
    ]);
    expect([me.status, file.status]).toEqual([200, 200]);
    expect(api.refreshCalls).toBe(1);
    expect(tokensFor('/report.pdf')).toEqual(['access-1', 'access-2']);

    await authFetchWithOptions('https://cdn.example.net/logo.svg');
    expect(cdnTokens).toEqual([null]);
  });
});

describe('HTTP clients over authFetch', () => {
  it('ky: two rejected calls, one refresh, both retried', async () => {
    expireAccessToken();

    await expect(Promise.all([loadOrders(), loadOrders()])).resolves.toEqual([
      [{ id: 'o1', total: 5 }],
      [{ id: 'o1', total: 5 }],
    ]);
    expect(api.refreshCalls).toBe(1);
    expect(tokensFor('/orders')).toEqual(['access-1', 'access-1', 'access-2', 'access-2']);
  });

  it('ky: a call whose retry is rejected too fails with ky’s HTTPError, after one refresh', async () => {
    expireAccessToken();
    server.use(http.get(`${API}/orders`, () => new HttpResponse(null, { status: 401 })));

    await expect(loadOrders()).rejects.toBeInstanceOf(HTTPError);
    expect(api.refreshCalls).toBe(1);
  });

  it('ofetch: a rejected POST is retried after the refresh with the same JSON body', async () => {
    expireAccessToken();

    await expect(createOrder(42)).resolves.toEqual({ id: 'o2', total: 42 });
    expect(api.refreshCalls).toBe(1);
    expect(api.seen.filter((request) => request.path === '/orders')).toEqual([
      { method: 'POST', path: '/orders', token: 'access-1', body: '{"total":42}' },
      { method: 'POST', path: '/orders', token: 'access-2', body: '{"total":42}' },
    ]);
  });

  it('openapi-fetch: a rejected typed call is retried with the new token', async () => {
    expireAccessToken();

    await expect(loadOrder('o1')).resolves.toEqual({ id: 'o1', total: 5 });
    expect(api.refreshCalls).toBe(1);
    expect(tokensFor('/orders/o1')).toEqual(['access-1', 'access-2']);
  });
});

describe('one session under axios and fetch (sharedSession.ts)', () => {
  it('makes one refresh call for 401s from both clients', async () => {
    expireAccessToken();

    await expect(loadDashboard()).resolves.toEqual({ profile: { name: 'Ada' }, orders: [{ id: 'o1', total: 5 }] });
    expect(api.refreshCalls).toBe(1);
    expect(tokensFor('/me')).toEqual(['access-1', 'access-2']);
    expect(tokensFor('/orders')).toEqual(['access-1', 'access-2']);
  });
});

describe('a stream body (uploadStream.ts)', () => {
  it('gets its 401 instead of a retry; the session still refreshes and the second upload carries the new token', async () => {
    expireAccessToken();
    const opened: number[] = [];
    const openLog = (): ReadableStream<Uint8Array> => {
      opened.push(opened.length + 1);
      return new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(`line ${opened.length}\n`));
          controller.close();
        },
      });
    };

    const response = await uploadLog(openLog);

    expect(response.status).toBe(204);
    expect(api.refreshCalls).toBe(1);
    expect(api.seen.filter((request) => request.path === '/logs/today')).toEqual([
      { method: 'PUT', path: '/logs/today', token: 'access-1', body: 'line 1\n' },
      { method: 'PUT', path: '/logs/today', token: 'access-2', body: 'line 2\n' },
    ]);
  });
});
