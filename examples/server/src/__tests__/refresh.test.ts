import { describe, expect, it } from 'vitest';
import type { TokenResponse } from '../index.js';
import { bearerError, startTestServer, type TestServer } from './support/testServer.js';

async function refresh(server: TestServer, refreshToken: string): Promise<Response> {
  return server.post('/auth/refresh', { refreshToken });
}

async function refreshOk(server: TestServer, refreshToken: string): Promise<TokenResponse> {
  const response = await refresh(server, refreshToken);
  expect(response.status).toBe(200);
  return (await response.json()) as TokenResponse;
}

async function expectInvalidGrant(response: Response, message: string): Promise<void> {
  expect(response.status).toBe(400);
  expect(await response.json()).toEqual({ error: 'invalid_grant', message });
}

describe('POST /auth/refresh', () => {
  it('rotates: each refresh answers a new pair, and the new access token works', async () => {
    const server = await startTestServer({ accessTtl: 60 });
    const login = await server.login();
    const first = await refreshOk(server, login.refreshToken);
    const second = await refreshOk(server, first.refreshToken);

    expect(new Set([login.refreshToken, first.refreshToken, second.refreshToken]).size).toBe(3);
    expect(new Set([login.accessToken, first.accessToken, second.accessToken]).size).toBe(3);
    expect(second).toMatchObject({ expiresIn: 60, tokenType: 'Bearer', scope: 'read admin' });
    expect((await server.get('/api/me', second.accessToken)).status).toBe(200);
    expect(server.stats()).toMatchObject({ refreshes: 2, refreshFailures: 0, reuseDetections: 0 });
  });

  it('a rotated token presented again revokes its whole family (RFC 9700 §4.14.2)', async () => {
    const server = await startTestServer();
    const login = await server.login();
    const newer = await refreshOk(server, login.refreshToken);
    const otherSession = await server.login();

    await expectInvalidGrant(
      await refresh(server, login.refreshToken),
      'The refresh token was already used: its session is revoked.',
    );
    // The legitimate holder's newer tokens stop working too: the server cannot tell who is the thief.
    await expectInvalidGrant(await refresh(server, newer.refreshToken), 'The refresh token was revoked: log in again.');
    const api = await server.get('/api/me', newer.accessToken);
    expect(api.status).toBe(401);
    expect(bearerError(api)).toBe('invalid_token');
    // Another login of the same user is another family, untouched.
    expect((await server.get('/api/me', otherSession.accessToken)).status).toBe(200);
    await refreshOk(server, otherSession.refreshToken);
    expect(server.stats()).toMatchObject({ refreshes: 2, refreshFailures: 2, reuseDetections: 1 });
  });

  it('answers 400 invalid_grant for an unknown or expired refresh token', async () => {
    const server = await startTestServer({ refreshTtl: 30 });
    await expectInvalidGrant(await refresh(server, 'not-a-token'), 'The refresh token is unknown.');

    const login = await server.login();
    server.clock.advance(29.9);
    const fresh = await refreshOk(server, login.refreshToken);
    server.clock.advance(30);
    await expectInvalidGrant(await refresh(server, fresh.refreshToken), 'The refresh token expired: log in again.');
    expect(server.stats()).toMatchObject({ refreshes: 1, refreshFailures: 2, reuseDetections: 0 });
  });

  it('tokens of one server start are worthless to the next', async () => {
    const first = await startTestServer();
    const second = await startTestServer();
    const login = await first.login();

    await expectInvalidGrant(await refresh(second, login.refreshToken), 'The refresh token is unknown.');
    const api = await second.get('/api/me', login.accessToken);
    expect(api.status).toBe(401);
    expect((await api.json()).message).toBe('The access token signature is not valid.');
  });
});
