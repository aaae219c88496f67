import { describe, expect, it } from 'vitest';
import { startTestServer } from './support/testServer.js';

const APP_ORIGIN = 'http://localhost:5173';

function preflight(url: string, origin: string, method = 'POST'): Promise<Response> {
  return fetch(url, {
    method: 'OPTIONS',
    headers: {
      Origin: origin,
      'Access-Control-Request-Method': method,
      'Access-Control-Request-Headers': 'authorization, content-type',
    },
  });
}

describe('CORS for the configured origins', () => {
  it('answers a preflight from an allowed origin with the methods and headers a client needs', async () => {
    const server = await startTestServer({ allowedOrigins: [`${APP_ORIGIN}/`] });
    const response = await preflight(`${server.url}/api/me`, APP_ORIGIN, 'GET');

    expect(response.status).toBe(204);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      'access-control-allow-origin': APP_ORIGIN,
      'access-control-allow-methods': 'GET, POST, OPTIONS',
      'access-control-allow-headers': 'Authorization, Content-Type',
      vary: 'Origin',
    });
    // The preflight is the browser's, not an API call: the API counters leave it out.
    expect(server.stats()).toMatchObject({ requests: 1, apiRequests: 0, apiSucceeded: 0 });
  });

  it('refuses a preflight from another origin and gives it no CORS header', async () => {
    const server = await startTestServer({ allowedOrigins: [APP_ORIGIN] });
    const response = await preflight(`${server.url}/auth/login`, 'https://evil.example');

    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect((await response.json()).error).toBe('origin_not_allowed');
  });

  it('lets the allowed origin read responses, WWW-Authenticate of a 401 included', async () => {
    const server = await startTestServer({ allowedOrigins: [APP_ORIGIN] });
    const response = await server.get('/api/me', 'expired.or.forged', { Origin: APP_ORIGIN });

    expect(response.status).toBe(401);
    expect(response.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    expect(response.headers.get('access-control-expose-headers')).toBe('WWW-Authenticate');

    const login = await server.post('/auth/login', { username: 'ada', password: 'lovelace' }, { Origin: APP_ORIGIN });
    expect(login.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
  });

  it('sends no CORS header to other origins or to requests without an Origin', async () => {
    const server = await startTestServer({ allowedOrigins: [APP_ORIGIN] });
    const other = await server.post(
      '/auth/login',
      { username: 'ada', password: 'lovelace' },
      { Origin: 'http://x.test' },
    );
    const none = await server.post('/auth/login', { username: 'ada', password: 'lovelace' });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(none.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers a plain OPTIONS (not a preflight) with the route’s Allow header', async () => {
    const server = await startTestServer();
    const response = await fetch(`${server.url}/auth/login`, { method: 'OPTIONS' });
    expect(response.status).toBe(204);
    expect(response.headers.get('allow')).toBe('POST, OPTIONS');
  });
});
