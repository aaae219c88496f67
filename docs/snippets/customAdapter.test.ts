import { createAuthSession, SessionExpiredError } from '@authmachine/core';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { type Reply, withSessionToken } from './customAdapter.js';

// The adapter-author snippet on the core API page, around plain fetch, against a fake API (msw).
const api = { validToken: 'access-1', refreshCalls: 0, refreshAnswer: 'new tokens', tokensSeen: [] as string[] };
const server = setupServer(
  http.post('https://api.example.com/auth/refresh', () => {
    api.refreshCalls += 1;
    if (api.refreshAnswer === 'invalid_grant') return HttpResponse.json({ error: 'invalid_grant' }, { status: 400 });
    api.validToken = `access-${api.refreshCalls + 1}`;
    return HttpResponse.json({ accessToken: api.validToken });
  }),
  http.get('https://api.example.com/me', ({ request }) => {
    const token = request.headers.get('authorization') ?? 'none';
    api.tokensSeen.push(token);
    return token === `Bearer ${api.validToken}`
      ? HttpResponse.json({ name: 'Ada' })
      : new HttpResponse(null, { status: 401 });
  }),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() =>
  Object.assign(api, { validToken: 'access-1', refreshCalls: 0, refreshAnswer: 'new tokens', tokensSeen: [] }),
);
afterAll(() => server.close());

function createApp() {
  const session = createAuthSession({
    refresh: async ({ signal }) => {
      const response = await fetch('https://api.example.com/auth/refresh', { method: 'POST', signal });
      if (!response.ok) throw Object.assign(new Error('refresh failed'), { status: response.status });
      return response.json();
    },
  });
  const getMe = (): Promise<Reply> =>
    withSessionToken(session, async (token) => {
      const response = await fetch('https://api.example.com/me', {
        headers: token === null ? {} : { authorization: `Bearer ${token}` },
      });
      return { status: response.status, wwwAuthenticate: response.headers.get('www-authenticate') };
    });
  return { session, getMe };
}

it('makes one refresh call for three rejected calls and sends each again with the new token', async () => {
  const { session, getMe } = createApp();
  await session.login({ accessToken: 'access-1', refreshToken: 'refresh-1' });
  api.validToken = 'none yet';

  const replies = await Promise.all([getMe(), getMe(), getMe()]);

  expect(replies.map((reply) => reply.status)).toEqual([200, 200, 200]);
  expect(api.refreshCalls).toBe(1);
  expect(api.tokensSeen).toEqual([...Array(3).fill('Bearer access-1'), ...Array(3).fill('Bearer access-2')]);
  session.stop();
});

it('fails with SessionExpiredError once the refresh token is rejected, and sends nothing more while expired', async () => {
  const { session, getMe } = createApp();
  await session.login({ accessToken: 'access-1', refreshToken: 'refresh-1' });
  api.validToken = 'none yet';
  api.refreshAnswer = 'invalid_grant';

  const error = await getMe().catch((reason: unknown) => reason);
  expect(error).toBeInstanceOf(SessionExpiredError);
  await expect(getMe()).rejects.toBe(error);
  expect(api.tokensSeen).toEqual(['Bearer access-1']);

  await session.logout();
  await expect(getMe()).resolves.toEqual({ status: 401, wwwAuthenticate: null });
  expect(api.tokensSeen).toEqual(['Bearer access-1', 'none']);
  session.stop();
});
