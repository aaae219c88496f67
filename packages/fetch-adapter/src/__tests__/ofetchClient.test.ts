import { createAuthFetch } from '@authmachine/fetch';
import { ofetch } from 'ofetch';
import { describe, expect, it } from 'vitest';
import type { ApiAnswer } from './apiPaths.js';
import { expectOneRefreshAndEachRetriedOnce } from './stormExpectations.js';
import { API, useTokenServer } from './tokenServer.js';

/*
 * ofetch with `ofetch.create(defaults, { fetch: createAuthFetch(session, ...) })`: the fetch is a
 * global option, the second argument (in the first it would be a request default, and ofetch would
 * go on calling the global fetch). ofetch calls `fetch(url, options)` with a string URL (the
 * baseURL joined) and its own options object as the init: method, headers as a `Headers`, the
 * body already serialised (JSON as a string), plus its own fields, which fetch ignores. A string
 * body is read without being used up, so the retry sends the same init again. ofetch's retry
 * (GET only by default, on 408/409/425/429/5xx) never fires on 401.
 */

const server = useTokenServer();
const N = 200;

async function ofetchClient(): Promise<typeof ofetch> {
  const session = await server.loggedInSession();
  return ofetch.create({ baseURL: API }, { fetch: createAuthFetch(session, { allowedOrigins: [API] }) });
}

describe('ofetch', () => {
  it(`${N} concurrent calls meet a 401: one refresh, all succeed, every retry carries the new token`, async () => {
    const api = await ofetchClient();
    server.expireToken();
    server.holdApiUntil(N);
    const paths = Array.from({ length: N }, (_, i) => `/api/items/${i}`);

    const answers = await Promise.all(paths.map((path) => api<ApiAnswer>(path)));

    expect(answers.map((answer) => answer.path)).toEqual(paths);
    expectOneRefreshAndEachRetriedOnce(server, paths);
  });

  it('a POST with a JSON body is retried with the same body and content type', async () => {
    const api = await ofetchClient();
    server.expireToken();
    const payload = { name: 'Ada', tags: ['a', 'b'], nested: { n: 1, empty: null } };

    const answer = await api<ApiAnswer>('/api/items', { method: 'POST', body: payload });

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
