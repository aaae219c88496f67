import { describe, expect, it, vi } from 'vitest';
import type { RefreshFault, RefreshFaultInfo, TokenResponse } from '../index.js';
import { startAuthServer } from '../index.js';
import { startTestServer, type TestServer } from './support/testServer.js';

// `refreshFault` makes chosen refreshes fail the ways a real token endpoint does, so that a client's
// handling of each can be tested against the real rotation. What matters for each: what the client
// sees, and whether the server rotated the token (then the old one is spent: sending it again is reuse).

/** A server whose first refresh fails with `fault`; later ones go through. */
function serverFailingFirstRefresh(fault: RefreshFault, refreshDelay = 0): Promise<TestServer> {
  return startTestServer({ refreshDelay, refreshFault: ({ count }) => (count === 1 ? fault : undefined) });
}

function refresh(server: TestServer, refreshToken: string, signal?: AbortSignal): Promise<Response> {
  return fetch(`${server.url}/auth/refresh`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ refreshToken }),
    ...(signal ? { signal } : {}),
  });
}

/** The token was not rotated: it works once more, and nobody is taken for a thief. */
async function expectStillValid(server: TestServer, refreshToken: string): Promise<void> {
  const again = await refresh(server, refreshToken);
  expect(again.status).toBe(200);
  expect(server.stats()).toMatchObject({ refreshes: 1, reuseDetections: 0 });
}

/** The token was rotated: presenting it again is reuse, and the family (the new token too) is revoked. */
async function expectSpent(server: TestServer, refreshToken: string): Promise<void> {
  const again = await refresh(server, refreshToken);
  expect(again.status).toBe(400);
  expect(await again.json()).toMatchObject({ error: 'invalid_grant' });
  expect(server.stats()).toMatchObject({ refreshes: 1, reuseDetections: 1 });
}

describe('refreshFault', () => {
  it.each([
    [429, 'temporarily_unavailable'],
    [500, 'server_error'],
    [502, 'server_error'],
    [503, 'temporarily_unavailable'],
  ] as const)('status %i: a JSON %s answer, nothing rotated', async (status, error) => {
    const server = await serverFailingFirstRefresh({ type: 'status', status });
    const { refreshToken } = await server.login();

    const response = await refresh(server, refreshToken);
    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({ error });
    expect(server.stats()).toMatchObject({ refreshRequests: 1, refreshFaults: 1, refreshes: 0, refreshFailures: 0 });
    await expectStillValid(server, refreshToken);
  });

  it('invalidGrant: 400 invalid_grant, nothing rotated, the family not revoked', async () => {
    const server = await serverFailingFirstRefresh({ type: 'invalidGrant' });
    const login = await server.login();

    const response = await refresh(server, login.refreshToken);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
    // The access token of the family is still honoured.
    expect((await server.get('/api/me', login.accessToken)).status).toBe(200);
    await expectStillValid(server, login.refreshToken);
  });

  it('drop: the client sees a network error, nothing rotated', async () => {
    const server = await serverFailingFirstRefresh({ type: 'drop' });
    const { refreshToken } = await server.login();

    await expect(refresh(server, refreshToken)).rejects.toThrow(TypeError);
    expect(server.stats()).toMatchObject({ refreshRequests: 1, refreshFaults: 1, refreshes: 0 });
    await expectStillValid(server, refreshToken);
  });

  it('hang: no answer until the client gives up, nothing rotated', async () => {
    const server = await serverFailingFirstRefresh({ type: 'hang' });
    const { refreshToken } = await server.login();
    const abort = new AbortController();

    const hung = refresh(server, refreshToken, abort.signal);
    const settled = vi.fn();
    hung.then(settled, settled);
    await vi.waitFor(() => expect(server.stats().refreshFaults).toBe(1));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(settled).not.toHaveBeenCalled();

    abort.abort();
    await expect(hung).rejects.toThrow();
    expect(server.stats()).toMatchObject({ refreshes: 0, refreshFailures: 0 });
    await expectStillValid(server, refreshToken);
  });

  it('hang: closing the server ends the hung exchange', async () => {
    const server = await startAuthServer({ refreshFault: () => ({ type: 'hang' }) });
    const login = (await (
      await fetch(`${server.url}/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: 'ada', password: 'lovelace' }),
      })
    ).json()) as TokenResponse;
    const hung = fetch(`${server.url}/auth/refresh`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ refreshToken: login.refreshToken }),
    });
    await vi.waitFor(() => expect(server.stats().refreshFaults).toBe(1));
    await server.close();
    await expect(hung).rejects.toThrow(TypeError);
  });

  it('dropAfterRotation: the client sees a network error, but the token rotated: sending it again is reuse', async () => {
    const server = await serverFailingFirstRefresh({ type: 'dropAfterRotation' });
    const { refreshToken } = await server.login();

    await expect(refresh(server, refreshToken)).rejects.toThrow(TypeError);
    expect(server.stats()).toMatchObject({ refreshRequests: 1, refreshFaults: 1, refreshes: 1, reuseDetections: 0 });
    await expectSpent(server, refreshToken);
  });

  it('delayAfterRotation: the answer comes after ms, and the rotation happened before it', async () => {
    const server = await serverFailingFirstRefresh({ type: 'delayAfterRotation', ms: 400 });
    const { refreshToken } = await server.login();
    const started = performance.now();

    const slow = refresh(server, refreshToken);
    await vi.waitFor(() => expect(server.stats().refreshes).toBe(1));
    const response = await slow;
    expect(performance.now() - started).toBeGreaterThanOrEqual(390);
    expect(response.status).toBe(200);
    const rotated = (await response.json()) as TokenResponse;
    expect(rotated.refreshToken).not.toBe(refreshToken);
    await expectSpent(server, refreshToken);
  });

  it('delayAfterRotation: a retry with the same token while the answer is on its way is reuse', async () => {
    const server = await serverFailingFirstRefresh({ type: 'delayAfterRotation', ms: 2_000 });
    const { refreshToken } = await server.login();
    const abort = new AbortController();

    const slow = refresh(server, refreshToken, abort.signal);
    await vi.waitFor(() => expect(server.stats().refreshes).toBe(1));
    // A client that timed out and re-sends the token it holds.
    abort.abort();
    await expect(slow).rejects.toThrow();
    await expectSpent(server, refreshToken);
  });

  it('gives the hook each refresh token and a 1-based count that a stats reset leaves be', async () => {
    const seen: RefreshFaultInfo[] = [];
    const server = await startTestServer({
      refreshFault: (info) => {
        seen.push(info);
        return undefined;
      },
    });
    const first = await server.login();
    const second = (await (await refresh(server, first.refreshToken)).json()) as TokenResponse;
    server.resetStats();
    expect((await refresh(server, second.refreshToken)).status).toBe(200);

    expect(seen).toEqual([
      { refreshToken: first.refreshToken, count: 1 },
      { refreshToken: second.refreshToken, count: 2 },
    ]);
    expect(server.stats()).toMatchObject({ refreshRequests: 1, refreshFaults: 0, refreshes: 1 });
  });

  it('applies after refreshDelay, which still holds the refresh first', async () => {
    const server = await serverFailingFirstRefresh({ type: 'status', status: 503 }, 300);
    const { refreshToken } = await server.login();
    const started = performance.now();

    const response = await refresh(server, refreshToken);
    expect(response.status).toBe(503);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('answers 500 when the hook returns something that is not a fault, rather than refreshing', async () => {
    const server = await startTestServer({
      refreshFault: () => ({ type: 'status', status: 404 }) as unknown as RefreshFault,
    });
    const { refreshToken } = await server.login();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});

    const response = await refresh(server, refreshToken);
    expect(response.status).toBe(500);
    expect(errors).toHaveBeenCalledWith(expect.stringContaining('not a RefreshFault'));
    errors.mockRestore();
    expect(server.stats()).toMatchObject({ refreshes: 0 });
  });

  it('refuses a refreshFault that is not a function at start', async () => {
    await expect(startAuthServer({ refreshFault: 'drop' as never })).rejects.toThrow(
      'startAuthServer: refreshFault must be a function.',
    );
  });
});
