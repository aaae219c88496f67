import { API_ORIGIN, FakeAuthApi, type SeenApiRequest } from '@authmachine/test-kit';
import { http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type AttachedClient, attachedClient } from './support/attachedClient.js';

let fake = new FakeAuthApi();
/** Every API request's full URL and headers, recorded before the fake answers it. */
let seenHeaders: Array<{ url: string; headers: Headers }> = [];
const server = setupServer();
let client: AttachedClient | undefined;

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());
afterEach(() => {
  client?.detach();
  client?.session.stop();
  client = undefined;
});

/** Logged in with access-1, which the server has just stopped accepting: the next request is retried. */
async function startWithExpiredToken(): Promise<AttachedClient> {
  fake = new FakeAuthApi();
  seenHeaders = [];
  server.resetHandlers(
    // Returns nothing, so msw goes on to the fake's own handler, which answers.
    http.all(`${API_ORIGIN}/api/*`, ({ request }) => {
      seenHeaders.push({ url: request.url, headers: new Headers(request.headers) });
    }),
    ...fake.handlers,
  );
  client = await attachedClient(fake);
  fake.expireAccessToken();
  return client;
}

/** The two attempts the server saw (first with the rejected token, then the retry), or a failed assertion. */
function bothAttempts(): [SeenApiRequest, SeenApiRequest] {
  expect(fake.refreshCalls).toHaveLength(1);
  expect(fake.authorizationsSeen()).toEqual(['Bearer access-1', 'Bearer access-2']);
  const [first, retry] = fake.apiRequests;
  if (!first || !retry) throw new Error('expected two attempts');
  return [first, retry];
}

async function formFields(attempt: SeenApiRequest): Promise<Array<[string, unknown]>> {
  const form = await new Response(attempt.body, { headers: { 'content-type': attempt.contentType ?? '' } }).formData();
  const fields: Array<[string, unknown]> = [];
  for (const [name, value] of form) {
    fields.push([
      name,
      typeof value === 'string' ? value : { name: value.name, type: value.type, text: await value.text() },
    ]);
  }
  return fields;
}

describe('a request retried after a refresh is the same request, as the server sees it', () => {
  it('POST with a JSON object: same method, path, body and content type', async () => {
    const { api } = await startWithExpiredToken();
    const payload = { name: 'Ada', tags: ['a', 'b'], nested: { n: 1, empty: null } };

    const response = await api.post('/api/items', payload);

    const [first, retry] = bothAttempts();
    expect(retry).toEqual({ ...first, authorization: 'Bearer access-2' });
    expect(first.method).toBe('POST');
    expect(first.contentType).toMatch(/^application\/json/);
    expect(JSON.parse(first.body)).toEqual(payload);
    expect(response.data).toMatchObject({ method: 'POST', path: '/api/items', body: first.body });
  });

  it('POST with URLSearchParams: the same urlencoded body and content type', async () => {
    const { api } = await startWithExpiredToken();

    await api.post('/api/form', new URLSearchParams({ user: 'ada lovelace', next: '/a?b=c&d' }));

    const [first, retry] = bothAttempts();
    expect(retry).toEqual({ ...first, authorization: 'Bearer access-2' });
    expect(first.contentType).toMatch(/^application\/x-www-form-urlencoded/);
    expect(Object.fromEntries(new URLSearchParams(first.body))).toEqual({ user: 'ada lovelace', next: '/a?b=c&d' });
  });

  it('POST with FormData (Node 20 global): the same fields and file, multipart both times', async () => {
    const { api } = await startWithExpiredToken();
    const form = new FormData();
    form.append('title', 'report');
    form.append('title', 'second value');
    form.append('file', new Blob(['col1,col2\n1,2\n'], { type: 'text/csv' }), 'report.csv');

    await api.post('/api/upload', form);

    const [first, retry] = bothAttempts();
    expect(retry.method).toBe('POST');
    expect(retry.path).toBe(first.path);
    // axios draws a new multipart boundary per attempt; everything else is the same.
    expect(first.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(retry.contentType).toMatch(/^multipart\/form-data; boundary=/);
    const fields = await formFields(first);
    expect(fields).toEqual([
      ['title', 'report'],
      ['title', 'second value'],
      ['file', { name: 'report.csv', type: 'text/csv', text: 'col1,col2\n1,2\n' }],
    ]);
    expect(await formFields(retry)).toEqual(fields);
  });

  it('POST with a string body and a custom content type', async () => {
    const { api } = await startWithExpiredToken();
    const xml = '<order id="7"><item qty="2">tea</item></order>';

    await api.post('/api/orders', xml, { headers: { 'Content-Type': 'application/xml; charset=utf-8' } });

    const [first, retry] = bothAttempts();
    expect(retry).toEqual({ ...first, authorization: 'Bearer access-2' });
    expect(first).toMatchObject({ method: 'POST', contentType: 'application/xml; charset=utf-8', body: xml });
  });

  it.each(['put', 'patch', 'delete'] as const)('%s keeps its method and body', async (method) => {
    const { api } = await startWithExpiredToken();

    await api.request({ method, url: '/api/items/7', data: { done: true } });

    const [first, retry] = bothAttempts();
    expect(retry).toEqual({ ...first, authorization: 'Bearer access-2' });
    expect(first).toMatchObject({ method: method.toUpperCase(), path: '/api/items/7', body: '{"done":true}' });
  });

  it('custom headers and query parameters are kept; only the token changes', async () => {
    const { api } = await startWithExpiredToken();

    await api.post(
      '/api/search',
      { q: 'tea' },
      { headers: { 'X-Request-Id': 'req-42', 'Accept-Language': 'fr' }, params: { page: 2, sort: 'name' } },
    );

    bothAttempts();
    expect(seenHeaders).toHaveLength(2);
    const [first, retry] = seenHeaders;
    expect(retry?.url).toBe(`${API_ORIGIN}/api/search?page=2&sort=name`);
    expect(first?.url).toBe(retry?.url);
    for (const attempt of [first, retry]) {
      expect(attempt?.headers.get('x-request-id')).toBe('req-42');
      expect(attempt?.headers.get('accept-language')).toBe('fr');
    }
    const withoutToken = (headers: Headers | undefined): Array<[string, string]> =>
      [...(headers ?? [])].filter(([name]) => name !== 'authorization');
    expect(withoutToken(retry?.headers)).toEqual(withoutToken(first?.headers));
    // One Authorization header with the new token, not the old one beside it.
    expect(retry?.headers.get('authorization')).toBe('Bearer access-2');
  });
});
