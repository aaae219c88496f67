import { createAuthFetch } from '@authmachine/fetch';
import { describe, expect, it } from 'vitest';
import { API, useTokenServer } from './tokenServer.js';

/*
 * fetch resolves on HTTP errors, so a retry that is refused again is not an error either: the call
 * resolves with the retry's 401 Response. One refresh, one retry, no loop.
 */

const server = useTokenServer();

describe('the retry gets a 401 too', () => {
  it("resolves with the retry's 401 Response (readable); exactly one refresh", async () => {
    const session = await server.loggedInSession();
    const authFetch = createAuthFetch(session, { allowedOrigins: [API] });
    server.rejectEveryToken();

    const response = await authFetch(`${API}/api/items`, { method: 'POST', body: 'x' });

    expect(response.status).toBe(401);
    // The response of the second attempt, the one sent with the new token.
    expect(response.headers.get('x-seen-authorization')).toBe('Bearer access-2');
    expect(await response.json()).toEqual({ error: 'invalid_token' });
    expect(server.refreshCalls).toBe(1);
    expect(server.authorizations()).toEqual(['Bearer access-1', 'Bearer access-2']);
    expect(session.getSnapshot()).toMatchObject({ status: 'authenticated', accessToken: 'access-2' });
  });

  it('20 concurrent calls refused twice: one refresh, 40 attempts, each call resolves with its second 401', async () => {
    const session = await server.loggedInSession();
    const authFetch = createAuthFetch(session, { allowedOrigins: [API] });
    server.rejectEveryToken();
    server.holdApiUntil(20);

    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => authFetch(`${API}/api/items/${i}`)));

    expect(responses.map((response) => response.headers.get('x-seen-authorization'))).toEqual(
      Array(20).fill('Bearer access-2'),
    );
    expect(responses.every((response) => response.status === 401)).toBe(true);
    expect(server.refreshCalls).toBe(1);
    expect(server.calls).toHaveLength(40);
  });

  it('the next call after it starts the next refresh (the new token was rejected too)', async () => {
    const session = await server.loggedInSession();
    const authFetch = createAuthFetch(session, { allowedOrigins: [API] });
    server.rejectEveryToken();

    await authFetch(`${API}/api/items`);
    const next = await authFetch(`${API}/api/items`);

    expect(next.headers.get('x-seen-authorization')).toBe('Bearer access-3');
    expect(server.refreshCalls).toBe(2);
  });
});
