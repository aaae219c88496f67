import { describe, expect, it } from 'vitest';
import { bearerError, startTestServer } from './support/testServer.js';

describe('POST /auth/logout', () => {
  it('with the refresh token: revokes the family, its access token included', async () => {
    const server = await startTestServer();
    const { accessToken, refreshToken } = await server.login();

    expect((await server.post('/auth/logout', { refreshToken })).status).toBe(204);
    const refresh = await server.post('/auth/refresh', { refreshToken });
    expect(refresh.status).toBe(400);
    expect((await refresh.json()).error).toBe('invalid_grant');
    const api = await server.get('/api/me', accessToken);
    expect(api.status).toBe(401);
    expect(bearerError(api)).toBe('invalid_token');
    expect(server.stats().logouts).toBe(1);
  });

  it('with the access token in the Authorization header and no body', async () => {
    const server = await startTestServer();
    const { accessToken, refreshToken } = await server.login();
    const response = await fetch(`${server.url}/auth/logout`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${accessToken}` },
    });

    expect(response.status).toBe(204);
    expect((await server.post('/auth/refresh', { refreshToken })).status).toBe(400);
  });

  it('answers 204 for an unknown or already revoked token, and counts only real logouts', async () => {
    const server = await startTestServer();
    const { refreshToken } = await server.login();
    expect((await server.post('/auth/logout', { refreshToken })).status).toBe(204);
    expect((await server.post('/auth/logout', { refreshToken })).status).toBe(204);
    expect((await server.post('/auth/logout', { refreshToken: 'unknown' })).status).toBe(204);
    expect(server.stats().logouts).toBe(1);
  });

  it('answers 400 when it gets neither token, and 401 for an invalid access token', async () => {
    const server = await startTestServer();
    const neither = await fetch(`${server.url}/auth/logout`, { method: 'POST' });
    expect(neither.status).toBe(400);
    expect((await neither.json()).message).toBe(
      'Send {"refreshToken": "..."} or an Authorization: Bearer header to log out.',
    );

    const invalid = await fetch(`${server.url}/auth/logout`, {
      method: 'POST',
      headers: { Authorization: 'Bearer not.a.token' },
    });
    expect(invalid.status).toBe(401);
  });
});
