import { AuthError } from '@authmachine/core';
import { type AuthFetchOptions, createAuthFetch } from '@authmachine/fetch';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { API, OTHER, PAGE, useTokenServer } from './tokenServer.js';

const server = useTokenServer();

afterEach(() => {
  vi.unstubAllGlobals();
});

function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('fetch', () => {
  it('the given fetch is the one called, with the token on the call', async () => {
    const session = await server.loggedInSession();
    const given = vi.fn((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
    const authFetch = createAuthFetch(session, { allowedOrigins: [API], fetch: given });

    const response = await authFetch(`${API}/api/items`);

    expect(response.status).toBe(200);
    expect(given).toHaveBeenCalledTimes(1);
    expect(server.authorizations()).toEqual(['Bearer access-1']);
  });

  it('by default globalThis.fetch is read at each call: one installed after createAuthFetch is used', async () => {
    const session = await server.loggedInSession();
    const authFetch = createAuthFetch(session, { allowedOrigins: [API] });
    const installedLater = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      return new Response(
        JSON.stringify({ url: String(input), auth: new Headers(init?.headers).get('authorization') }),
      );
    });
    vi.stubGlobal('fetch', installedLater);

    const answer = await (await authFetch(`${API}/api/items`)).json();

    expect(answer).toEqual({ url: `${API}/api/items`, auth: 'Bearer access-1' });
    expect(server.calls).toEqual([]);
  });
});

describe('options are checked when createAuthFetch is called', () => {
  const bad: Array<[string, Record<string, unknown>, string]> = [
    ['headerName ""', { headerName: '' }, 'headerName'],
    ['headerName "  "', { headerName: '  ' }, 'headerName'],
    ['headerName with a space', { headerName: 'X Auth' }, 'headerName'],
    ['headerName with a line break', { headerName: 'X-Auth\r\nX-Evil' }, 'headerName'],
    ['headerName not a string', { headerName: 42 }, 'headerName'],
    ['scheme with a line break', { scheme: 'Bearer\r\nX-Evil: 1' }, 'scheme'],
    ['scheme not a string', { scheme: null }, 'scheme'],
    ['queueTimeout 0', { queueTimeout: 0 }, 'queueTimeout'],
    ['queueTimeout -1', { queueTimeout: -1 }, 'queueTimeout'],
    ['queueTimeout NaN', { queueTimeout: Number.NaN }, 'queueTimeout'],
    ['queueTimeout Infinity', { queueTimeout: Number.POSITIVE_INFINITY }, 'queueTimeout'],
    ['queueTimeout a string', { queueTimeout: '100' }, 'queueTimeout'],
    ['allowedOrigins a string', { allowedOrigins: API }, 'allowedOrigins'],
    ['allowedOrigins with a host only', { allowedOrigins: ['api.test'] }, 'allowedOrigins'],
    ['allowedOrigins with a path only', { allowedOrigins: ['/api'] }, 'allowedOrigins'],
    ['allowedOrigins with a number', { allowedOrigins: [42] }, 'allowedOrigins'],
  ];

  it.each(bad)('%s: AuthError INVALID_OPTIONS naming the option', async (_, options, named) => {
    const session = await server.loggedInSession();

    const error = thrownBy(() => createAuthFetch(session, { allowedOrigins: [API], ...options } as AuthFetchOptions));

    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ code: 'INVALID_OPTIONS' });
    expect((error as Error).message).toContain(named);
  });

  it('a custom headerName and scheme (and "" for the bare token) are what the server sees', async () => {
    const session = await server.loggedInSession();
    // The test server only reads Authorization: its 401s must not start refreshes here.
    const common = { allowedOrigins: [API], headerName: 'X-Api-Token', shouldRefresh: () => false };
    const custom = createAuthFetch(session, { ...common, scheme: 'Token' });
    const bare = createAuthFetch(session, { ...common, scheme: '' });

    await custom(`${API}/api/a`);
    await bare(`${API}/api/b`);

    expect(server.calls.map((call) => call.headers.get('x-api-token'))).toEqual(['Token access-1', 'access-1']);
  });
});

describe('shouldRefresh(response, request)', () => {
  const inputs: Array<[string, () => RequestInfo | URL, RequestInit]> = [
    ['a string', () => `${API}/api/items?x=1`, { method: 'PATCH', body: '{"a":1}' }],
    ['a URL', () => new URL('/api/items?x=1', API), { method: 'PATCH', body: '{"a":1}' }],
    ['a Request', () => new Request(`${API}/api/items?x=1`, { method: 'PATCH', body: '{"a":1}' }), {}],
  ];

  it.each(inputs)(
    'for %s: gets the response and a Request with the URL and method; true refreshes',
    async (_, input, init) => {
      const session = await server.loggedInSession();
      server.expireToken();
      const seen: Array<{ status: number; url: string; method: string; authorization: string | null }> = [];
      const authFetch = createAuthFetch(session, {
        allowedOrigins: [API],
        shouldRefresh: (response, request) => {
          expect(request).toBeInstanceOf(Request);
          seen.push({
            status: response.status,
            url: request.url,
            method: request.method,
            authorization: request.headers.get('authorization'),
          });
          return response.status === 401;
        },
      });

      const response = await authFetch(input(), init);

      expect(response.status).toBe(200);
      expect(seen).toEqual([
        { status: 401, url: `${API}/api/items?x=1`, method: 'PATCH', authorization: 'Bearer access-1' },
      ]);
      expect(server.refreshCalls).toBe(1);
      // The retry still has its body: the predicate was not handed the one fetch will send again.
      expect(server.calls.map((call) => [call.authorization, call.body])).toEqual([
        ['Bearer access-1', '{"a":1}'],
        ['Bearer access-2', '{"a":1}'],
      ]);
    },
  );

  it('a predicate that throws means "no refresh": the call resolves with its 401', async () => {
    const session = await server.loggedInSession();
    server.expireToken();
    const authFetch = createAuthFetch(session, {
      allowedOrigins: [API],
      shouldRefresh: () => {
        throw new Error('bug in the app');
      },
    });

    const response = await authFetch(`${API}/api/items`);

    expect(response.status).toBe(401);
    expect(server.refreshCalls).toBe(0);
    expect(session.getSnapshot()).toMatchObject({ status: 'authenticated', accessToken: 'access-1' });
  });

  it('a predicate that returns false keeps the 401; one that returns true refreshes', async () => {
    const session = await server.loggedInSession();
    server.expireToken();
    const never = createAuthFetch(session, { allowedOrigins: [API], shouldRefresh: () => false });
    expect((await never(`${API}/api/items`)).status).toBe(401);
    expect(server.refreshCalls).toBe(0);

    const always = createAuthFetch(session, { allowedOrigins: [API], shouldRefresh: (r) => r.status >= 400 });
    expect((await always(`${API}/api/items`)).status).toBe(200);
    expect(server.refreshCalls).toBe(1);
  });

  it('a relative URL in a page is shown resolved against the page', async () => {
    vi.stubGlobal('location', { origin: PAGE, href: `${PAGE}/app/` });
    const session = await server.loggedInSession();
    server.expireToken();
    const urls: string[] = [];
    const authFetch = createAuthFetch(session, {
      shouldRefresh: (response, request) => {
        urls.push(request.url);
        return response.status === 401;
      },
    });

    const response = await authFetch('/api/items');

    expect(response.status).toBe(200);
    expect(urls).toEqual([`${PAGE}/api/items`]);
    expect(server.refreshCalls).toBe(1);
  });
});

describe('a token that cannot go in a header', () => {
  it.each([
    ['a line break', 'abc\ndef-secret'],
    ['a carriage return', 'abc\rdef-secret'],
    ['a NUL', 'abc\0def-secret'],
    ['a character outside Latin-1', 'abc\u2713def-secret'],
  ])('with %s: the call rejects with an AuthError that does not quote it, and is not sent', async (_, token) => {
    const session = await server.loggedInSession();
    await session.login({ accessToken: token, refreshToken: 'r', expiresIn: 3600 });
    const authFetch = createAuthFetch(session, { allowedOrigins: [API] });

    const error = await authFetch(`${API}/api/items`).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(AuthError);
    // The name and scheme were checked up front: what is wrong is the token the server issued.
    expect(error).toMatchObject({ code: 'INVALID_TOKEN_RESPONSE' });
    expect((error as AuthError).message).not.toContain('secret');
    expect((error as AuthError).message).not.toContain('abc');
    expect(String((error as AuthError).stack)).not.toContain('secret');
    expect(server.calls).toEqual([]);
  });
});

describe('arguments a JavaScript caller got wrong', () => {
  it('a missing or foreign session is an INVALID_OPTIONS error naming what to pass', () => {
    for (const wrong of [{}, undefined, null, fetch]) {
      const error = thrownBy(() => createAuthFetch(wrong as never));
      expect(error).toBeInstanceOf(AuthError);
      expect((error as AuthError).code).toBe('INVALID_OPTIONS');
      expect((error as Error).message).toMatch(/createAuthFetch needs the session from createAuthSession/);
    }
  });

  it('an unknown option warns once with the options there are', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const session = await server.loggedInSession();
    createAuthFetch(session, { allowedOrigins: [API], allowedOrigin: API } as never);
    createAuthFetch(session, { allowedOrigins: [API], allowedOrigin: API } as never);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toMatch(/createAuthFetch has no option "allowedOrigin".*allowedOrigins/);
    warn.mockRestore();
  });
});

describe('a 401 from an origin that may not receive the token', () => {
  it('warns once per origin in development, naming it and how to allow it', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const session = await server.loggedInSession();
    const authFetch = createAuthFetch(session, { allowedOrigins: [API] });
    const first = await authFetch(`${OTHER}/data`);
    await authFetch(`${OTHER}/more`);
    expect(first.status).toBe(401);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toContain(`${OTHER} is not among the origins allowed to receive it ("${API}")`);
    expect(warn.mock.calls[0]?.[0]).toContain(`createAuthFetch(…, { allowedOrigins: ["${API}", "${OTHER}"] })`);
    warn.mockRestore();
  });
});
