import { createAuthFetch } from '@authmachine/fetch';
import ky, { type Options } from 'ky';
import { describe, expect, it } from 'vitest';
import type { ApiAnswer } from './apiPaths.js';
import { expectOneRefreshAndEachRetriedOnce } from './stormExpectations.js';
import { API, useTokenServer } from './tokenServer.js';

/*
 * ky 2 with `ky.create({ fetch: createAuthFetch(session, ...) })`. ky builds a `Request` from its
 * options and calls `fetch(request, init)` with only the init fields a Request does not keep (none
 * here). With its own retry on (the default limit is 2), ky clones that Request before each call,
 * keeping a copy for its next attempt; so the adapter gets an unread Request either way and sends
 * a clone of it, keeping the original's body for the retry after the refresh. ky's retry is for
 * 408/413/429/5xx and network errors, never 401: a 401 is the adapter's, and the adapter's retry
 * happens inside the one fetch call ky makes, so ky sees only the retry's response.
 */

const server = useTokenServer();
const N = 200;

const kyRetries: Array<[string, Options]> = [
  ['its own retry off (retry: 0)', { retry: 0 }],
  ['its own retry at the default', {}],
];

describe.each(kyRetries)('ky with %s', (_, retryOptions) => {
  async function kyClient(): Promise<typeof ky> {
    const session = await server.loggedInSession();
    return ky.create({ prefix: API, fetch: createAuthFetch(session, { allowedOrigins: [API] }), ...retryOptions });
  }

  it(`${N} concurrent calls meet a 401: one refresh, all succeed, every retry carries the new token`, async () => {
    const api = await kyClient();
    server.expireToken();
    server.holdApiUntil(N);
    const paths = Array.from({ length: N }, (_, i) => `/api/items/${i}`);

    const answers = await Promise.all(paths.map((path) => api.get(path.slice(1)).json<ApiAnswer>()));

    expect(answers.map((answer) => answer.path)).toEqual(paths);
    expectOneRefreshAndEachRetriedOnce(server, paths);
  });

  it('a POST with a JSON body is retried with the same body and content type', async () => {
    const api = await kyClient();
    server.expireToken();
    const payload = { name: 'Ada', tags: ['a', 'b'], nested: { n: 1, empty: null } };

    const answer = await api.post('api/items', { json: payload }).json<ApiAnswer>();

    expect(answer).toMatchObject({ ok: true, method: 'POST', path: '/api/items' });
    expect(server.refreshCalls).toBe(1);
    const [first, retry] = server.calls;
    expect([first?.authorization, retry?.authorization]).toEqual(['Bearer access-1', 'Bearer access-2']);
    expect(JSON.parse(first?.body ?? '')).toEqual(payload);
    expect(retry?.bytes).toBe(first?.bytes);
    expect(first?.contentType).toBe('application/json');
    expect(retry?.contentType).toBe('application/json');
  });
});
