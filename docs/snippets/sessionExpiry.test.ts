import { attachAuth } from '@authmachine/axios';
import { createAuthSession, SessionExpiredError } from '@authmachine/core';
import axios, { type AxiosAdapter, AxiosError, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import { describe, expect, it } from 'vitest';

// A fake API as an axios adapter: the real session and interceptors run, only the network is fake.
function fakeApi(refreshAnswer: 'new tokens' | 'invalid_grant') {
  const server = { validToken: 'access-1' as string | null, refreshCalls: 0, tokensSeen: [] as string[] };
  const reply = (config: InternalAxiosRequestConfig, status: number, data: unknown): AxiosResponse => {
    const response = { status, statusText: String(status), data, headers: {}, config, request: {} };
    if (status >= 400) throw new AxiosError(`HTTP ${status}`, AxiosError.ERR_BAD_REQUEST, config, {}, response);
    return response;
  };
  const adapter: AxiosAdapter = async (config) => {
    if (config.url === '/auth/refresh') {
      server.refreshCalls += 1;
      if (refreshAnswer === 'invalid_grant') return reply(config, 400, { error: 'invalid_grant' });
      server.validToken = `access-${server.refreshCalls + 1}`;
      return reply(config, 200, { accessToken: server.validToken, refreshToken: 'refresh-2', expiresIn: 900 });
    }
    const token = String(config.headers.get('Authorization') ?? '').replace('Bearer ', '');
    server.tokensSeen.push(token);
    return token === server.validToken ? reply(config, 200, { ok: true }) : reply(config, 401, {});
  };
  return { server, adapter };
}

function createApp(adapter: AxiosAdapter) {
  const api = axios.create({ baseURL: 'https://api.example.com', adapter });
  const session = createAuthSession({
    refresh: async ({ refreshToken, signal }) =>
      (await api.post('/auth/refresh', { refreshToken }, { signal, skipAuth: true })).data,
  });
  attachAuth(api, session);
  return { api, session };
}

describe('my app when the access token expires', () => {
  it('makes one refresh call for three rejected requests, and retries each with the new token', async () => {
    const { server, adapter } = fakeApi('new tokens');
    const { api, session } = createApp(adapter);
    await session.login({ accessToken: 'access-1', refreshToken: 'refresh-1' });
    server.validToken = null; // time passes: the server no longer accepts access-1

    const responses = await Promise.all(['/me', '/orders', '/invoices'].map((url) => api.get(url)));

    expect(responses.map((response) => response.status)).toEqual([200, 200, 200]);
    expect(server.refreshCalls).toBe(1);
    expect(server.tokensSeen.filter((token) => token === 'access-2')).toHaveLength(3);
    expect(session.getSnapshot().status).toBe('authenticated');
    session.stop();
  });

  it('ends the session once when the refresh token is rejected', async () => {
    const { server, adapter } = fakeApi('invalid_grant');
    const { api, session } = createApp(adapter);
    const ended: unknown[] = [];
    session.on('sessionExpired', ({ error }) => ended.push(error));
    await session.login({ accessToken: 'access-1', refreshToken: 'refresh-1' });
    server.validToken = null;

    const results = await Promise.allSettled([api.get('/me'), api.get('/orders')]);

    expect(results.map((result) => result.status === 'rejected' && result.reason)).toEqual([
      expect.any(SessionExpiredError),
      expect.any(SessionExpiredError),
    ]);
    expect(server.refreshCalls).toBe(1);
    expect(ended).toHaveLength(1);
    expect(session.getSnapshot().status).toBe('expired');
    session.stop();
  });
});
