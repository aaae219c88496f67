import {
  type AuthSession,
  createAuthSession,
  SessionExpiredError,
  TokenRefreshError,
  type TokenResult,
} from '@authmachine/core';
import { type RefreshFault, type RunningAuthServer, startAuthServer } from '@authmachine/example-server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type ApiClient, type CallOutcome, drivers } from './support/clients.js';

// A refresh call that times out may have rotated the token on the server already. These tests run
// the session against the reference server, whose reuse detection revokes the whole session when a
// rotated refresh token comes back, with faults injected into chosen refresh calls.

const REFRESH_TIMEOUT = 200;
const BURST = 10;

let server: RunningAuthServer | undefined;
let session: AuthSession | undefined;
afterEach(async () => {
  session?.stop();
  await server?.close();
  session = undefined;
  server = undefined;
});

/** The reference server, failing refresh number n (1-based) with `faults[n - 1]`, the others not. */
async function serverWithFaults(faults: Array<RefreshFault | undefined>): Promise<RunningAuthServer> {
  server = await startAuthServer({ accessTtl: 60, refreshFault: ({ count }) => faults[count - 1] });
  return server;
}

/** The refresh function an app writes for this server: its own JSON shape, an error with the status. */
function refreshAgainst(origin: string) {
  return async ({ refreshToken, signal }: { refreshToken: string; signal: AbortSignal }): Promise<TokenResult> => {
    const response = await fetch(`${origin}/auth/refresh`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ refreshToken }),
      signal,
    });
    const body = (await response.json()) as TokenResult & { error?: string };
    if (!response.ok)
      throw Object.assign(new Error(`refresh: HTTP ${response.status}`), { status: response.status, body });
    return body;
  };
}

async function loggedIn(origin: string, refreshRetries: number): Promise<AuthSession> {
  session = createAuthSession({
    refresh: refreshAgainst(origin),
    refreshTimeout: REFRESH_TIMEOUT,
    refreshRetries,
    refreshLeeway: false,
  });
  await session.login(async () => {
    const response = await fetch(`${origin}/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'ada', password: 'lovelace' }),
    });
    return (await response.json()) as TokenResult;
  });
  return session;
}

/** BURST requests made while the refresh is under way: they wait for it. */
async function burstDuringRefresh(tab: AuthSession, api: ApiClient): Promise<CallOutcome[]> {
  await vi.waitFor(() => expect(tab.getSnapshot().status).toBe('refreshing'), { interval: 1 });
  return Promise.all(Array.from({ length: BURST }, (_, index) => api.get(`/api/items/${index + 1}`)));
}

function statusesOf(outcomes: CallOutcome[]): unknown[] {
  return outcomes.map((outcome) => ('status' in outcome ? outcome.status : outcome.error?.constructor.name));
}

describe.each(drivers)('a refresh that times out, against rotating refresh tokens: $name', (driver) => {
  it('an answer slower than refreshTimeout, after the server rotated: no second call, the late tokens are taken, no reuse', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0); // backoff before the retry: 500 ms
    const { url } = await serverWithFaults([{ type: 'delayAfterRotation', ms: 3 * REFRESH_TIMEOUT }]);
    const tab = await loggedIn(url, 2);
    const api = driver.connect(tab, url);
    const before = tab.getAccessToken();

    const refreshed = tab.refresh();
    const outcomes = await burstDuringRefresh(tab, api);

    await expect(refreshed).resolves.toEqual(expect.any(String));
    expect(statusesOf(outcomes)).toEqual(Array(BURST).fill(200));
    expect(tab.getSnapshot()).toMatchObject({ status: 'authenticated', error: null });
    expect(tab.getAccessToken()).not.toBe(before);
    expect(server?.stats()).toMatchObject({ refreshRequests: 1, refreshes: 1, reuseDetections: 0 });
    // The session holds the rotated refresh token: the next refresh goes through.
    await tab.refresh();
    expect(server?.stats()).toMatchObject({ refreshRequests: 2, refreshes: 2, reuseDetections: 0 });
  });

  it('a call that never answers is sent once, not once per retry; the waiting requests fail with TokenRefreshError and the next refresh calls again', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0); // backoffs: 500 ms, 1 s
    const { url } = await serverWithFaults([{ type: 'hang' }]);
    const tab = await loggedIn(url, 2);
    const api = driver.connect(tab, url);

    const refreshed = tab.refresh().catch((error: unknown) => error);
    const outcomes = await burstDuringRefresh(tab, api);

    expect(await refreshed).toBeInstanceOf(TokenRefreshError);
    expect(statusesOf(outcomes)).toEqual(Array(BURST).fill('TokenRefreshError'));
    expect(server?.stats()).toMatchObject({ refreshRequests: 1, refreshes: 0, reuseDetections: 0 });
    expect(tab.getSnapshot()).toMatchObject({ status: 'authenticated' });
    // The hanging call was aborted when the refresh gave up; nothing rotated, the token still works.
    await tab.refresh();
    expect(server?.stats()).toMatchObject({ refreshRequests: 2, refreshes: 1, reuseDetections: 0 });
  });

  it('an error answer (503) rotated nothing: it is retried, and the retry succeeds', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const { url } = await serverWithFaults([{ type: 'status', status: 503 }]);
    const tab = await loggedIn(url, 2);
    const api = driver.connect(tab, url);

    const refreshed = tab.refresh();
    const outcomes = await burstDuringRefresh(tab, api);
    await refreshed;
    expect(statusesOf(outcomes)).toEqual(Array(BURST).fill(200));
    expect(server?.stats()).toMatchObject({ refreshRequests: 2, refreshes: 1, reuseDetections: 0 });
  });

  it('a connection lost after the server rotated: the new token is gone for any client; the retry meets reuse detection and the session ends cleanly, no loop', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const { url } = await serverWithFaults([{ type: 'dropAfterRotation' }]);
    const tab = await loggedIn(url, 2);
    const api = driver.connect(tab, url);

    const refreshed = tab.refresh().catch((error: unknown) => error);
    const outcomes = await burstDuringRefresh(tab, api);

    expect(await refreshed).toBeInstanceOf(SessionExpiredError);
    expect(statusesOf(outcomes)).toEqual(Array(BURST).fill('SessionExpiredError'));
    expect(tab.getSnapshot().status).toBe('expired');
    expect(tab.getSnapshot().error).toBeInstanceOf(SessionExpiredError);
    expect(server?.stats()).toMatchObject({ refreshRequests: 2, refreshes: 1, reuseDetections: 1 });
  });
});
