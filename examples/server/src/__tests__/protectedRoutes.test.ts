import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { bearerError, startTestServer } from './support/testServer.js';

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString());
}

describe('GET /api/...', () => {
  it('answers the user, items and the admin area to a valid token with the scope', async () => {
    const server = await startTestServer();
    const { accessToken } = await server.login();

    expect(await (await server.get('/api/me', accessToken)).json()).toEqual({
      username: 'ada',
      name: 'Ada Lovelace',
      scope: ['read', 'admin'],
    });
    expect(await (await server.get('/api/items/7', accessToken)).json()).toEqual({ id: 7, name: 'Item 7' });
    expect((await (await server.get('/api/items', accessToken)).json()).items).toHaveLength(10);
    expect((await server.get('/api/admin', accessToken)).status).toBe(200);
    expect(server.stats()).toMatchObject({ apiRequests: 4, apiSucceeded: 4, unauthorized: 0 });
  });

  it('answers 404 for an item that does not exist', async () => {
    const server = await startTestServer();
    const { accessToken } = await server.login();
    for (const id of ['0', '1001', '07', 'abc', '1e3']) {
      expect((await server.get(`/api/items/${id}`, accessToken)).status).toBe(404);
    }
  });

  it('answers 401 with a bare Bearer challenge when no token was sent (RFC 6750 §3.1)', async () => {
    const server = await startTestServer();
    for (const headers of [{}, { Authorization: 'Basic YWRhOmxvdmVsYWNl' }, { Authorization: 'Bearer' }]) {
      const response = await server.get('/api/me', undefined, headers);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="authmachine-example"');
    }
    expect(server.stats()).toMatchObject({ unauthorized: 3, apiSucceeded: 0 });
  });

  it('answers 401 invalid_token once the access token expired, to the millisecond', async () => {
    const server = await startTestServer({ accessTtl: 1.5 });
    const { accessToken } = await server.login();

    server.clock.advance(1.499);
    expect((await server.get('/api/me', accessToken)).status).toBe(200);
    server.clock.advance(0.001);
    const response = await server.get('/api/me', accessToken);

    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(
      'Bearer realm="authmachine-example", error="invalid_token", error_description="The access token expired."',
    );
    expect(await response.json()).toEqual({ error: 'invalid_token', message: 'The access token expired.' });
  });

  it('counts each expired token once in stats.expiredTokens, however often it comes back', async () => {
    const server = await startTestServer({ accessTtl: 10 });
    const first = await server.login();
    const second = await server.login('grace', 'hopper');
    server.clock.advance(3600);
    for (const token of [first.accessToken, first.accessToken, second.accessToken, first.accessToken]) {
      expect((await server.get('/api/me', token)).status).toBe(401);
    }
    expect(server.stats()).toMatchObject({ expiredTokens: 2, unauthorized: 4 });
  });

  it('puts the exact expiry in the JWT exp claim, fractional seconds included', async () => {
    const server = await startTestServer({ accessTtl: 1.5 });
    const { accessToken } = await server.login();
    expect(claimsOf(accessToken).exp).toBe(server.clock.now() / 1000 + 1.5);
  });

  it('answers 401 invalid_token for forged, tampered and malformed tokens', async () => {
    const server = await startTestServer();
    const { accessToken, refreshToken } = await server.login();
    const claims = claimsOf(accessToken);
    const [header, , signature] = accessToken.split('.');
    const otherKey = new Uint8Array(32).fill(7);
    const forgeries: Record<string, string> = {
      'signed with another key': await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
        .sign(otherKey),
      'alg none': `${base64url({ alg: 'none', typ: 'at+jwt' })}.${base64url(claims)}.`,
      'alg none with the real signature': `${base64url({ alg: 'none', typ: 'at+jwt' })}.${base64url(claims)}.${signature}`,
      'a widened scope under the real signature': `${header}.${base64url({ ...claims, scope: 'read admin root' })}.${signature}`,
      'the refresh token': refreshToken,
      garbage: 'a.b.c',
    };
    for (const [forgery, token] of Object.entries(forgeries)) {
      const response = await server.get('/api/me', token);
      expect({ forgery, status: response.status, error: bearerError(response) }).toEqual({
        forgery,
        status: 401,
        error: 'invalid_token',
      });
    }
    expect(server.stats()).toMatchObject({ unauthorized: Object.keys(forgeries).length, expiredTokens: 0 });
  });

  it('answers 403 insufficient_scope when the token lacks the route’s scope, and 401s never', async () => {
    const server = await startTestServer();
    const { accessToken } = await server.login('grace', 'hopper');
    const response = await server.get('/api/admin', accessToken);

    expect(response.status).toBe(403);
    expect(bearerError(response)).toBe('insufficient_scope');
    expect(response.headers.get('www-authenticate')).toContain('scope="admin"');
    expect(await response.json()).toEqual({
      error: 'insufficient_scope',
      message: 'This route needs the "admin" scope.',
    });
    expect((await server.get('/api/me', accessToken)).status).toBe(200);
    expect(server.stats()).toMatchObject({ forbidden: 1, unauthorized: 0 });
  });
});
