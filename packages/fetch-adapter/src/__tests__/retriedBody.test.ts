import { createAuthFetch } from '@authmachine/fetch';
import { describe, expect, it } from 'vitest';
import { API, type SeenCall, useTokenServer } from './tokenServer.js';

/*
 * A call whose token the server rejected is sent again after the refresh: the server must see the
 * same request twice, only the token changed. fetch reads most bodies without using them up, but
 * a `Request`'s body and a stream are read once: those are the cases that break silently.
 */

const server = useTokenServer();

async function expiredSessionFetch(): Promise<typeof fetch> {
  const session = await server.loggedInSession();
  server.expireToken();
  return createAuthFetch(session, { allowedOrigins: [API] });
}

/** The server's two attempts: the first with the rejected token, the retry with the new one, one refresh between. */
function bothAttempts(): [SeenCall, SeenCall] {
  expect(server.refreshCalls).toBe(1);
  expect(server.authorizations()).toEqual(['Bearer access-1', 'Bearer access-2']);
  const [first, retry] = server.calls;
  if (!first || !retry) throw new Error('expected two attempts');
  expect(retry.method).toBe(first.method);
  expect(retry.path).toBe(first.path);
  return [first, retry];
}

const bytes = Uint8Array.from([0, 1, 2, 250, 255, 10, 13, 0x7f]);

const replayableBodies: Array<[string, () => BodyInit, string | null]> = [
  ['a string', () => 'plain text, ünïcode ✓', 'text/plain;charset=UTF-8'],
  ['a JSON string', () => JSON.stringify({ name: 'Ada', tags: ['a', 'b'], nested: { n: 1 } }), 'application/json'],
  [
    'URLSearchParams',
    () => new URLSearchParams({ user: 'ada lovelace', next: '/a?b=c&d' }),
    'application/x-www-form-urlencoded;charset=UTF-8',
  ],
  ['a Blob', () => new Blob(['col1,col2\n1,2\n'], { type: 'text/csv' }), 'text/csv'],
  ['an ArrayBuffer', () => bytes.slice().buffer, null],
  ['a Uint8Array', () => bytes.slice(), null],
  ['a Float64Array', () => Float64Array.from([1.5, -2, Number.MAX_VALUE]), null],
  ['a DataView', () => new DataView(bytes.slice().buffer, 2, 4), null],
  ['a Uint8Array view into a larger buffer', () => bytes.slice().subarray(2, 6), null],
];

describe('a retried call sends the same body, byte for byte, with the new token', () => {
  it.each(replayableBodies)('%s', async (_, makeBody, contentType) => {
    const authFetch = await expiredSessionFetch();
    const headers = contentType === 'application/json' ? { 'content-type': 'application/json' } : undefined;

    const response = await authFetch(`${API}/api/items`, {
      method: 'POST',
      body: makeBody(),
      ...(headers && { headers }),
    });

    expect(response.status).toBe(200);
    const [first, retry] = bothAttempts();
    expect(first.bytes).not.toBe('');
    expect(retry.bytes).toBe(first.bytes);
    expect(first.contentType).toBe(contentType);
    expect(retry.contentType).toBe(contentType);
  });

  it('FormData with a file: the same fields and file (each send draws its own multipart boundary)', async () => {
    const authFetch = await expiredSessionFetch();
    const form = new FormData();
    form.append('title', 'report');
    form.append('title', 'second value');
    form.append('file', new Blob(['col1,col2\n1,2\n'], { type: 'text/csv' }), 'report.csv');

    const response = await authFetch(`${API}/api/upload`, { method: 'POST', body: form });

    expect(response.status).toBe(200);
    const [first, retry] = bothAttempts();
    const expected = [
      ['title', 'report'],
      ['title', 'second value'],
      ['file', { name: 'report.csv', type: 'text/csv', text: 'col1,col2\n1,2\n' }],
    ];
    expect(await formFields(first)).toEqual(expected);
    expect(await formFields(retry)).toEqual(expected);
  });

  it('a Request with a JSON body and its own headers', async () => {
    const authFetch = await expiredSessionFetch();
    const body = JSON.stringify({ order: 7, items: ['tea'] });
    const request = new Request(`${API}/api/orders?draft=1`, {
      method: 'PUT',
      body,
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-7' },
    });

    const response = await authFetch(request);

    expect(response.status).toBe(200);
    const [first, retry] = bothAttempts();
    expect(first).toMatchObject({ method: 'PUT', path: '/api/orders?draft=1', body, contentType: 'application/json' });
    expect(retry.bytes).toBe(first.bytes);
    expect(retry.headers.get('x-request-id')).toBe('req-7');
  });

  it('a Request with a stream body: cloning the Request tees the stream, so the retry has it all', async () => {
    const authFetch = await expiredSessionFetch();
    const request = new Request(`${API}/api/upload`, {
      method: 'POST',
      body: streamOf(['part 1, ', 'part 2']),
      duplex: 'half',
    } as RequestInit);

    const response = await authFetch(request);

    expect(response.status).toBe(200);
    const [first, retry] = bothAttempts();
    expect([first.body, retry.body]).toEqual(['part 1, part 2', 'part 1, part 2']);
  });

  it('a Request with a FormData body: the same bytes, boundary included (its body is read once and kept)', async () => {
    const authFetch = await expiredSessionFetch();
    const form = new FormData();
    form.append('file', new Blob([bytes], { type: 'application/octet-stream' }), 'data.bin');

    await authFetch(new Request(`${API}/api/upload`, { method: 'POST', body: form }));

    const [first, retry] = bothAttempts();
    expect(first.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(retry.contentType).toBe(first.contentType);
    expect(retry.bytes).toBe(first.bytes);
  });
});

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
      controller.close();
    },
  });
}

describe('a ReadableStream body is read by the first send and cannot be sent again', () => {
  it('the call resolves with its 401 Response (readable); the session refreshes; the next call has the new token', async () => {
    const session = await server.loggedInSession();
    server.expireToken();
    const authFetch = createAuthFetch(session, { allowedOrigins: [API] });

    const response = await authFetch(`${API}/api/upload`, {
      method: 'POST',
      body: streamOf(['line 1\n', 'line 2\n']),
      duplex: 'half',
    } as RequestInit);

    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'invalid_token' });
    // Sent once, with its whole body: not retried with an empty one.
    expect(server.calls.map((call) => [call.authorization, call.body])).toEqual([
      ['Bearer access-1', 'line 1\nline 2\n'],
    ]);
    expect(await session.waitForAccessToken()).toBe('access-2');
    expect(server.refreshCalls).toBe(1);

    const next = await authFetch(`${API}/api/items`);
    expect(next.status).toBe(200);
    expect(server.authorizations()).toEqual(['Bearer access-1', 'Bearer access-2']);
  });

  it('a stream sent while the token is accepted goes out once, whole', async () => {
    const session = await server.loggedInSession();
    const authFetch = createAuthFetch(session, { allowedOrigins: [API] });

    const response = await authFetch(`${API}/api/upload`, {
      method: 'POST',
      body: streamOf(['a', 'b', 'c']),
      duplex: 'half',
    } as RequestInit);

    expect(response.status).toBe(200);
    expect(server.calls.map((call) => call.body)).toEqual(['abc']);
    expect(server.refreshCalls).toBe(0);
  });
});

async function formFields(call: SeenCall): Promise<Array<[string, unknown]>> {
  const form = await new Response(Buffer.from(call.bytes, 'hex'), {
    headers: { 'content-type': call.contentType ?? '' },
  }).formData();
  const fields: Array<[string, unknown]> = [];
  for (const [name, value] of form) {
    fields.push([
      name,
      typeof value === 'string' ? value : { name: value.name, type: value.type, text: await value.text() },
    ]);
  }
  return fields;
}
