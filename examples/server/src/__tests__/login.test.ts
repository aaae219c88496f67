import { describe, expect, it } from 'vitest';
import { startTestServer } from './support/testServer.js';

describe('POST /auth/login', () => {
  it('answers a token pair for good credentials, not to be cached', async () => {
    const server = await startTestServer({ accessTtl: 1.5 });
    const response = await server.post('/auth/login', { username: 'ada', password: 'lovelace' });

    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = await response.json();
    expect(body).toEqual({
      accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      refreshToken: expect.stringMatching(/^[\w-]{43}$/),
      expiresIn: 1.5,
      tokenType: 'Bearer',
      scope: 'read admin',
    });
    expect((await server.get('/api/me', body.accessToken)).status).toBe(200);
    expect(server.stats()).toMatchObject({ logins: 1, loginFailures: 0 });
  });

  it.each([
    ['a wrong password', { username: 'ada', password: 'hopper' }],
    ['an unknown user', { username: 'mallory', password: 'lovelace' }],
    ['another user’s password', { username: 'grace', password: 'lovelace' }],
  ])('answers 401 invalid_credentials for %s', async (_, credentials) => {
    const server = await startTestServer();
    const response = await server.post('/auth/login', credentials);

    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: 'invalid_credentials',
      message: 'Unknown username or wrong password.',
    });
    expect(server.stats()).toMatchObject({ logins: 0, loginFailures: 1, unauthorized: 1 });
  });

  it('takes the users it is given', async () => {
    const server = await startTestServer({
      users: [{ username: 'linus', password: 'pauling', name: 'Linus Pauling', scope: ['read'] }],
    });
    expect((await server.post('/auth/login', { username: 'linus', password: 'pauling' })).status).toBe(200);
    expect((await server.post('/auth/login', { username: 'ada', password: 'lovelace' })).status).toBe(401);
  });
});
