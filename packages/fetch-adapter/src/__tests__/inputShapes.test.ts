import { createAuthFetch } from '@authmachine/fetch';
import { describe, expect, it } from 'vitest';
import { API, type SeenCall, useTokenServer } from './tokenServer.js';

/*
 * fetch takes its URL as a string, a URL or a Request, and its headers as an object, an array of
 * pairs or a Headers. Every shape gets the token, and the app's own headers reach the server
 * unchanged on the first send and on the retry.
 */

const server = useTokenServer();

async function authFetchFor(options: { expired: boolean }): Promise<typeof fetch> {
  const session = await server.loggedInSession();
  if (options.expired) server.expireToken();
  return createAuthFetch(session, { allowedOrigins: [API] });
}

/** The app's headers the server saw, without ours. */
function appHeaders(call: SeenCall | undefined): Array<[string, string]> {
  return [...(call?.headers ?? [])].filter(([name]) => name !== 'authorization');
}

const inputs: Array<[string, (path: string) => RequestInfo | URL]> = [
  ['a string', (path) => `${API}${path}`],
  ['a URL', (path) => new URL(path, API)],
  ['a Request', (path) => new Request(`${API}${path}`)],
];

describe.each(inputs)('the input is %s', (_, inputFor) => {
  it('goes out with the token', async () => {
    const authFetch = await authFetchFor({ expired: false });

    const response = await authFetch(inputFor('/api/items?page=2'));

    expect(response.status).toBe(200);
    expect(server.calls.map((call) => [call.path, call.authorization])).toEqual([
      ['/api/items?page=2', 'Bearer access-1'],
    ]);
  });

  it('its 401 is retried once, to the same URL, with the new token', async () => {
    const authFetch = await authFetchFor({ expired: true });

    const response = await authFetch(inputFor('/api/items?page=2'), { method: 'DELETE' });

    expect(response.status).toBe(200);
    expect(server.refreshCalls).toBe(1);
    expect(server.calls.map((call) => [call.method, call.path, call.authorization])).toEqual([
      ['DELETE', '/api/items?page=2', 'Bearer access-1'],
      ['DELETE', '/api/items?page=2', 'Bearer access-2'],
    ]);
  });
});

const headerShapes: Array<[string, () => HeadersInit]> = [
  ['an object', () => ({ 'X-Request-Id': 'req-42', 'Accept-Language': 'fr' })],
  [
    'an array of pairs',
    () => [
      ['X-Request-Id', 'req-42'],
      ['Accept-Language', 'fr'],
    ],
  ],
  ['a Headers', () => new Headers({ 'X-Request-Id': 'req-42', 'Accept-Language': 'fr' })],
];

describe.each(headerShapes)("the app's headers as %s", (_, makeHeaders) => {
  it('are kept on the first send and on the retry; only the token changes', async () => {
    const authFetch = await authFetchFor({ expired: true });

    await authFetch(`${API}/api/search`, { method: 'POST', body: '{"q":"tea"}', headers: makeHeaders() });

    expect(server.authorizations()).toEqual(['Bearer access-1', 'Bearer access-2']);
    const [first, retry] = server.calls;
    expect(appHeaders(first)).toEqual(
      expect.arrayContaining([
        ['x-request-id', 'req-42'],
        ['accept-language', 'fr'],
      ]),
    );
    expect(appHeaders(retry)).toEqual(appHeaders(first));
  });

  it('an Authorization header the app set is replaced by ours (one header, our token)', async () => {
    const authFetch = await authFetchFor({ expired: true });
    const headers = new Headers(makeHeaders());
    headers.set('Authorization', 'Bearer app-own-token');

    await authFetch(`${API}/api/items`, { headers });

    expect(server.authorizations()).toEqual(['Bearer access-1', 'Bearer access-2']);
  });
});

describe("a Request's own headers", () => {
  it('are kept, also beside a content type its body set (first send and retry)', async () => {
    const authFetch = await authFetchFor({ expired: true });
    // The string body sets `content-type` itself; the app adds its own headers.
    const request = new Request(`${API}/api/notes`, {
      method: 'POST',
      body: 'a note',
      headers: { 'x-request-id': 'req-9', 'x-tenant': 'acme' },
    });

    await authFetch(request);

    const [first, retry] = server.calls;
    expect(appHeaders(first)).toEqual([
      ['content-type', 'text/plain;charset=UTF-8'],
      ['x-request-id', 'req-9'],
      ['x-tenant', 'acme'],
    ]);
    expect(appHeaders(retry)).toEqual(appHeaders(first));
    expect(retry?.body).toBe('a note');
  });

  it('give way to init.headers, as in fetch itself', async () => {
    const authFetch = await authFetchFor({ expired: false });

    await authFetch(new Request(`${API}/api/items`, { headers: { 'x-from': 'request' } }), {
      headers: { 'x-from': 'init' },
    });

    expect(appHeaders(server.calls[0])).toEqual([['x-from', 'init']]);
  });

  it('a Request whose Authorization the app set gets ours instead', async () => {
    const authFetch = await authFetchFor({ expired: false });

    await authFetch(new Request(`${API}/api/items`, { headers: { authorization: 'Basic dXNlcjpwdw==' } }));

    expect(server.authorizations()).toEqual(['Bearer access-1']);
  });
});
