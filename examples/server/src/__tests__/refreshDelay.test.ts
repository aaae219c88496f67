import { describe, expect, it, vi } from 'vitest';
import type { TokenResponse } from '../index.js';
import { startTestServer } from './support/testServer.js';

// `refreshDelay` holds each refresh before it rotates anything: what a browser test needs to close
// a tab mid-refresh. A client gone during the wait must leave its refresh token valid.
describe('refreshDelay', () => {
  it('answers after the delay, and the refresh rotates as usual', async () => {
    const server = await startTestServer({ refreshDelay: 300 });
    const login = await server.login();
    const started = performance.now();
    const response = await server.post('/auth/refresh', { refreshToken: login.refreshToken });

    expect(response.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    const rotated = (await response.json()) as TokenResponse;
    expect(rotated.refreshToken).not.toBe(login.refreshToken);
    expect(server.stats()).toMatchObject({ refreshRequests: 1, refreshesAbandoned: 0, refreshes: 1 });
  });

  it('a client that disconnects during the delay rotates nothing: its refresh token still works once', async () => {
    const server = await startTestServer({ refreshDelay: 1_500 });
    const login = await server.login();
    const abort = new AbortController();
    const gone = fetch(`${server.url}/auth/refresh`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ refreshToken: login.refreshToken }),
      signal: abort.signal,
    });
    await vi.waitFor(() => expect(server.stats().refreshRequests).toBe(1));
    abort.abort();
    await expect(gone).rejects.toThrow();
    await vi.waitFor(() => expect(server.stats().refreshesAbandoned).toBe(1), { timeout: 1_000 });

    // The same token again, as another tab holding it would send it: no reuse detection.
    const retry = await server.post('/auth/refresh', { refreshToken: login.refreshToken });
    expect(retry.status).toBe(200);
    expect(server.stats()).toMatchObject({
      refreshRequests: 2,
      refreshesAbandoned: 1,
      refreshes: 1,
      refreshFailures: 0,
      reuseDetections: 0,
    });
  }, 15_000);
});
