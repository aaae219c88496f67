import { describe, expect, it } from 'vitest';
import { startTestServer } from './support/testServer.js';

const ADMIN_KEY = 'test-admin-key';

describe('admin routes and /stats', () => {
  it('POST /admin/revoke ends every session of the user, and no one else’s', async () => {
    const server = await startTestServer({ adminKey: ADMIN_KEY });
    const laptop = await server.login();
    const phone = await server.login();
    const grace = await server.login('grace', 'hopper');

    const response = await server.post('/admin/revoke', { username: 'ada' }, { 'X-Admin-Key': ADMIN_KEY });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ username: 'ada', revoked: 2 });
    for (const { accessToken, refreshToken } of [laptop, phone]) {
      expect((await server.get('/api/me', accessToken)).status).toBe(401);
      expect((await server.post('/auth/refresh', { refreshToken })).status).toBe(400);
    }
    expect((await server.get('/api/me', grace.accessToken)).status).toBe(200);
    expect(server.stats().adminRevocations).toBe(2);
  });

  it('refuses the admin routes without the right key', async () => {
    const server = await startTestServer({ adminKey: ADMIN_KEY });
    const { accessToken } = await server.login();
    for (const headers of [{}, { 'X-Admin-Key': 'wrong-key!' }, { Authorization: `Bearer ${accessToken}` }]) {
      const response = await server.post('/admin/revoke', { username: 'ada' }, headers);
      expect(response.status).toBe(403);
      expect((await server.post('/stats/reset', {}, headers)).status).toBe(403);
    }
    expect((await server.get('/api/me', accessToken)).status).toBe(200);
  });

  it('generates an admin key when none is given, and revokeUser works in-process too', async () => {
    const server = await startTestServer();
    const { accessToken } = await server.login();
    expect(server.adminKey).toMatch(/^[\w-]{24}$/);

    expect(server.revokeUser('ada')).toBe(1);
    expect(server.revokeUser('ada')).toBe(0);
    expect((await server.get('/api/me', accessToken)).status).toBe(401);
  });

  it('GET /stats counts what was served, not itself; POST /stats/reset zeroes it', async () => {
    const server = await startTestServer({ adminKey: ADMIN_KEY });
    const { accessToken } = await server.login();
    await server.post('/auth/login', { username: 'ada', password: 'nope' });
    await server.get('/api/me', accessToken);
    await server.get('/api/me');

    const stats = await (await server.get('/stats')).json();
    expect(stats).toEqual({
      requests: 4,
      logins: 1,
      loginFailures: 1,
      refreshRequests: 0,
      refreshesAbandoned: 0,
      refreshFaults: 0,
      refreshes: 0,
      refreshFailures: 0,
      reuseDetections: 0,
      logouts: 0,
      adminRevocations: 0,
      apiRequests: 2,
      apiSucceeded: 1,
      expiredTokens: 0,
      unauthorized: 2,
      forbidden: 0,
    });
    expect(server.stats()).toEqual(stats);

    expect((await server.post('/stats/reset', {}, { 'X-Admin-Key': ADMIN_KEY })).status).toBe(204);
    expect(Object.values(await (await server.get('/stats')).json()).every((value) => value === 0)).toBe(true);
    await server.post('/auth/login', { username: 'ada', password: 'lovelace' });
    expect(server.stats()).toMatchObject({ requests: 1, logins: 1 });
    server.resetStats();
    expect(server.stats().logins).toBe(0);
  });
});
