import { createAuthSession } from '@authmachine/core';
import { createAuthFetch } from '@authmachine/fetch';
import type { ClientSetup } from './clients.js';
import { API_ORIGIN, type MemoryServer, REFRESH_PATH } from './transport.js';

const REFRESH_TOKEN = 'refresh-1';

/** fetch resolves on any HTTP status: a call that did not end in a 2xx counts as failed. */
async function okResponse(response: Response): Promise<unknown> {
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response;
}

/** The in-memory fetch stand-in itself: what a call costs without the library. */
export const bareFetch: ClientSetup = {
  id: 'bare-fetch',
  label: 'bare fetch (in-memory stand-in)',
  async create(server) {
    const send = server.fetch;
    return { get: async (path) => okResponse(await send(`${API_ORIGIN}${path}`)), close: () => undefined };
  },
};

/** `createAuthFetch` wrapping the same stand-in, as its README sets it up outside a browser. */
export const authmachineFetch: ClientSetup = {
  id: 'authmachine-fetch',
  label: 'authmachine fetch (createAuthFetch)',
  async create(server: MemoryServer) {
    const session = createAuthSession({
      // The refresh goes to the stand-in directly, not through the auth fetch, as an auth server would.
      refresh: async ({ signal }) => {
        const response = await server.fetch(`${API_ORIGIN}${REFRESH_PATH}`, {
          method: 'POST',
          body: JSON.stringify({ refreshToken: REFRESH_TOKEN }),
          signal,
        });
        return (await response.json()) as { accessToken: string };
      },
      refreshLeeway: false,
    });
    await session.login({ accessToken: server.currentToken ?? server.issueToken(), refreshToken: REFRESH_TOKEN });
    const authFetch = createAuthFetch(session, { fetch: server.fetch, allowedOrigins: [API_ORIGIN] });
    return {
      get: async (path) => okResponse(await authFetch(`${API_ORIGIN}${path}`)),
      close: () => session.stop(),
    };
  },
};
