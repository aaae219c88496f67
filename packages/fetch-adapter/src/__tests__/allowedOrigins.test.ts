import { AuthError } from '@authmachine/core';
import { createAuthFetch } from '@authmachine/fetch';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { API, OTHER, PAGE, useTokenServer } from './tokenServer.js';

/*
 * The token goes only to the origins the app allows. Without a list, the allowed origin is the
 * page's; Node has no page, so there createAuthFetch asks for the list instead of guessing.
 */

const server = useTokenServer();

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('calls to an origin that is not allowed', () => {
  const inputs: Array<[string, () => RequestInfo | URL]> = [
    ['a string', () => `${OTHER}/data`],
    ['a URL', () => new URL('/data', OTHER)],
    ['a Request', () => new Request(`${OTHER}/data`)],
  ];

  it.each(inputs)('%s: sent without the token, its 401 returned as is and nothing refreshed', async (_, input) => {
    const session = await server.loggedInSession();
    const authFetch = createAuthFetch(session, { allowedOrigins: [API] });

    const response = await authFetch(input());

    expect(response.status).toBe(401);
    expect(server.otherCalls.map((call) => call.authorization)).toEqual([null]);
    expect(server.refreshCalls).toBe(0);
    expect(session.getSnapshot()).toMatchObject({ status: 'authenticated', accessToken: 'access-1' });
  });

  it('an Authorization header the app set itself for that origin is its own business: sent unchanged', async () => {
    const session = await server.loggedInSession();
    const authFetch = createAuthFetch(session, { allowedOrigins: [API] });

    await authFetch(`${OTHER}/data`, { headers: { authorization: 'Bearer third-party-key' } });

    expect(server.otherCalls.map((call) => call.authorization)).toEqual(['Bearer third-party-key']);
  });

  it('every listed origin gets the token, written in any casing or with a path', async () => {
    const session = await server.loggedInSession();
    const authFetch = createAuthFetch(session, { allowedOrigins: ['HTTPS://API.TEST/some/path', `${PAGE}:443`] });

    await authFetch(`${API}/api/a`);
    await authFetch(`${PAGE}/api/b`);

    expect(server.calls.map((call) => [call.origin, call.authorization])).toEqual([
      [API, 'Bearer access-1'],
      [PAGE, 'Bearer access-1'],
    ]);
  });

  it('allowedOrigins: [] sends the token nowhere', async () => {
    const session = await server.loggedInSession();
    const authFetch = createAuthFetch(session, { allowedOrigins: [] });

    const response = await authFetch(`${API}/api/items`);

    expect(response.status).toBe(401);
    expect(server.authorizations()).toEqual([null]);
    expect(server.refreshCalls).toBe(0);
  });
});

describe('without allowedOrigins', () => {
  it('in Node (no page): createAuthFetch throws INVALID_OPTIONS asking for allowedOrigins', async () => {
    const session = await server.loggedInSession();

    const error = (() => {
      try {
        createAuthFetch(session);
      } catch (caught) {
        return caught;
      }
      return null;
    })();

    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ code: 'INVALID_OPTIONS' });
    expect((error as Error).message).toContain('allowedOrigins');
  });

  describe('in a page (a stubbed location)', () => {
    function stubPage(): void {
      vi.stubGlobal('location', { origin: PAGE, href: `${PAGE}/app/settings?tab=1` });
    }

    it("the page's origin gets the token, also for relative URLs (resolved against the page)", async () => {
      stubPage();
      const session = await server.loggedInSession();
      const authFetch = createAuthFetch(session);

      await authFetch('/api/relative');
      await authFetch(`${PAGE}/api/absolute`);

      expect(server.calls.map((call) => [call.origin + call.path, call.authorization])).toEqual([
        [`${PAGE}/api/relative`, 'Bearer access-1'],
        [`${PAGE}/api/absolute`, 'Bearer access-1'],
      ]);
    });

    it("a relative URL's 401 refreshes and is retried with the new token", async () => {
      stubPage();
      const session = await server.loggedInSession();
      const authFetch = createAuthFetch(session);
      server.expireToken();

      const response = await authFetch('/api/relative', { method: 'POST', body: 'x' });

      expect(response.status).toBe(200);
      expect(server.refreshCalls).toBe(1);
      expect(server.authorizations()).toEqual(['Bearer access-1', 'Bearer access-2']);
    });

    it('other origins, also scheme-relative ones, get no token', async () => {
      stubPage();
      const session = await server.loggedInSession();
      const authFetch = createAuthFetch(session);

      await authFetch(`${API}/api/items`);
      await authFetch('//other.test/data');

      expect(server.calls.map((call) => [call.origin, call.authorization])).toEqual([[API, null]]);
      expect(server.otherCalls.map((call) => call.authorization)).toEqual([null]);
      expect(server.refreshCalls).toBe(0);
    });
  });
});
