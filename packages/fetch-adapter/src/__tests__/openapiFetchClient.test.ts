import { createAuthFetch } from '@authmachine/fetch';
import createClient from 'openapi-fetch';
import { describe, expect, it } from 'vitest';
import type { paths } from './apiPaths.js';
import { expectOneRefreshAndEachRetriedOnce } from './stormExpectations.js';
import { API, useTokenServer } from './tokenServer.js';

/*
 * openapi-fetch with `createClient<paths>({ baseUrl, fetch: createAuthFetch(session, ...) })`. It
 * builds a `Request` (URL, method, headers, serialised body) and calls `fetch(request)` (a second
 * argument only with its `requestInitExt` option, Node's undici extras). The adapter sends a clone
 * of that Request and keeps the original, body unread, for the retry after the refresh.
 */

const server = useTokenServer();
const N = 200;

async function apiClient(): Promise<ReturnType<typeof createClient<paths>>> {
  const session = await server.loggedInSession();
  return createClient<paths>({ baseUrl: API, fetch: createAuthFetch(session, { allowedOrigins: [API] }) });
}

describe('openapi-fetch', () => {
  it(`${N} concurrent calls meet a 401: one refresh, all succeed, every retry carries the new token`, async () => {
    const client = await apiClient();
    server.expireToken();
    server.holdApiUntil(N);
    const ids = Array.from({ length: N }, (_, i) => String(i));

    const results = await Promise.all(ids.map((id) => client.GET('/api/items/{id}', { params: { path: { id } } })));

    expect(results.map(({ data, error }) => data?.path ?? error)).toEqual(ids.map((id) => `/api/items/${id}`));
    expectOneRefreshAndEachRetriedOnce(
      server,
      ids.map((id) => `/api/items/${id}`),
    );
  });

  it('a POST with a JSON body is retried with the same body and content type', async () => {
    const client = await apiClient();
    server.expireToken();
    const body = { name: 'Ada', tags: ['a', 'b'] };

    const { data, error } = await client.POST('/api/items', { body });

    expect(error).toBeUndefined();
    expect(data).toMatchObject({ ok: true, method: 'POST', path: '/api/items' });
    expect(server.refreshCalls).toBe(1);
    const [first, retry] = server.calls;
    expect([first?.authorization, retry?.authorization]).toEqual(['Bearer access-1', 'Bearer access-2']);
    expect(JSON.parse(first?.body ?? '')).toEqual(body);
    expect(retry?.bytes).toBe(first?.bytes);
    expect(first?.contentType).toBe('application/json');
    expect(retry?.contentType).toBe('application/json');
  });
});
