import {
  type AuthSession,
  type AuthSessionOptions,
  createAuthSession,
  OAuthResponseError,
  oauth2Refresh,
  oauth2Revoke,
  SessionExpiredError,
  TokenRefreshError,
} from '@authmachine/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type CallOutcome, drivers } from './support/clients.js';
import { CLIENT_ID, type OAuthServer, startOAuthServer, type TokenResponse } from './support/oauthServer.js';
import { type ResourceServer, startResourceServer } from './support/resourceServer.js';

let oauth: OAuthServer;
let api: ResourceServer;
const sessions: AuthSession[] = [];

beforeAll(async () => {
  oauth = await startOAuthServer();
  api = await startResourceServer(oauth.provider);
});

afterAll(async () => {
  await api?.close();
  await oauth?.close();
});

beforeEach(() => {
  oauth.grants.length = 0;
  api.reset();
});

afterEach(() => {
  vi.useRealTimers();
  for (const session of sessions.splice(0)) session.stop();
  // Strictness, as msw's onUnhandledRequest: 'error' would give: nothing hit the API but GET
  // /api/…, and the provider failed on no call.
  expect(api.unexpected).toEqual([]);
  expect(oauth.serverErrors).toEqual([]);
});

/** A session as an app would create it for this provider: the library's RFC 6749/7009 helpers. */
function createSession(options: Partial<AuthSessionOptions> = {}): AuthSession {
  const session = createAuthSession({
    refresh: oauth2Refresh({ tokenEndpoint: oauth.tokenEndpoint, clientId: CLIENT_ID }),
    revoke: oauth2Revoke({ revocationEndpoint: oauth.revocationEndpoint, clientId: CLIENT_ID }),
    ...options,
  });
  sessions.push(session);
  return session;
}

async function logIn(session: AuthSession): Promise<TokenResponse> {
  const tokens = await oauth.login();
  await session.login(tokens); // the token endpoint's RFC 6749 body, as it came
  return tokens;
}

/**
 * What expiry looks like to the client: the provider no longer holds the access token, so the API
 * answers 401 `invalid_token`. The session still believes it valid (its expiry is a minute away),
 * which is the case a 401 has to handle; scenario (d) covers the real clock.
 */
async function expireOnProvider(accessToken: string): Promise<void> {
  const token = await oauth.provider.AccessToken.find(accessToken);
  if (token === undefined) throw new Error('The access token to expire is not on the provider');
  await token.destroy();
}

/** A call from outside the app, with a refresh token it got hold of: the provider's answer. */
async function replayRefreshToken(refreshToken: string): Promise<{ status: number; error: unknown }> {
  const response = await fetch(oauth.tokenEndpoint, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: CLIENT_ID }),
  });
  const body = (await response.json()) as { error?: unknown };
  return { status: response.status, error: body.error };
}

const sessionExpired = { error: expect.any(SessionExpiredError) };

function statusesOf(outcomes: CallOutcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const outcome of outcomes) {
    const key = 'status' in outcome ? String(outcome.status) : (outcome.error as Error).name;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

describe.each(drivers)('against oidc-provider, through $name', (driver) => {
  it('(a) a 100-request storm after expiry makes one refresh_token grant, and logout revokes the grant', async () => {
    const session = createSession();
    const client = driver.connect(session, api.origin);
    const login = await logIn(session);
    expect(await client.get('/api/me')).toEqual({ status: 200 });

    await expireOnProvider(login.access_token);
    const outcomes = await Promise.all(Array.from({ length: 100 }, (_, i) => client.get(`/api/items/${i}`)));

    expect(statusesOf(outcomes)).toEqual({ 200: 100 });
    expect(oauth.refreshGrants()).toMatchObject([
      { grantType: 'refresh_token', refreshToken: login.refresh_token, error: undefined },
    ]);
    // Every request of the storm carried the expired token once, then the one new token.
    expect(api.rejected.length).toBe(100);
    expect(new Set(api.rejected)).toEqual(new Set([login.access_token]));
    expect(new Set(api.accepted.slice(1))).toEqual(new Set([session.getAccessToken()]));
    expect(session.getSnapshot().status).toBe('authenticated');

    // logout() revokes through oauth2Revoke in the background; the provider then ends the grant.
    const revoked = new Promise<string>((resolve) =>
      oauth.provider.once('grant.revoked', (_, grantId) => resolve(grantId)),
    );
    const accessToken = session.getAccessToken() ?? '';
    await session.logout();
    const grantId = await revoked;
    expect(await oauth.provider.Grant.find(grantId)).toBeUndefined();
    expect(await oauth.provider.AccessToken.find(accessToken)).toBeUndefined();
    expect(session.getSnapshot().status).toBe('anonymous');
  });

  it('(b) a grant revoked on the provider ends the session with one refresh call', async () => {
    const session = createSession();
    const client = driver.connect(session, api.origin);
    const login = await logIn(session);
    expect(await client.get('/api/me')).toEqual({ status: 200 });
    const ended: unknown[] = [];
    session.on('sessionExpired', ({ error }) => ended.push(error));

    // The user signs out everywhere from another device: RFC 7009 revocation of the refresh token,
    // which makes oidc-provider revoke the whole grant (its access tokens too).
    const revocation = await fetch(oauth.revocationEndpoint, {
      method: 'POST',
      body: new URLSearchParams({ token: login.refresh_token, client_id: CLIENT_ID }),
    });
    expect(revocation.status).toBe(200);

    const outcomes = await Promise.all(Array.from({ length: 5 }, (_, i) => client.get(`/api/items/${i}`)));

    expect(outcomes).toEqual(Array.from({ length: 5 }, () => sessionExpired));
    expect(oauth.refreshGrants()).toMatchObject([
      { grantType: 'refresh_token', refreshToken: login.refresh_token, error: 'invalid_grant' },
    ]);
    expect(session.getSnapshot().status).toBe('expired');
    expect(ended).toHaveLength(1);
    const cause = (ended[0] as SessionExpiredError).cause;
    expect(cause).toBeInstanceOf(OAuthResponseError);
    expect(cause).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });

    // Until a new login, a request fails at once without reaching the API or the provider.
    const rejectedSoFar = api.rejected.length;
    expect(await client.get('/api/later')).toEqual(sessionExpired);
    expect(api.rejected).toHaveLength(rejectedSoFar);
    expect(oauth.refreshGrants()).toHaveLength(1);
  });

  it('(c) a rotated refresh token replayed from outside ends the session cleanly', async () => {
    const session = createSession();
    const client = driver.connect(session, api.origin);
    const login = await logIn(session);

    // One rotation: the provider consumes the first refresh token and issues a second one.
    await expireOnProvider(login.access_token);
    expect(await client.get('/api/me')).toEqual({ status: 200 });
    expect(oauth.refreshGrants()).toMatchObject([
      { grantType: 'refresh_token', refreshToken: login.refresh_token, error: undefined },
    ]);

    // Someone who copied the first refresh token uses it: reuse detection refuses it and revokes
    // the grant, so the app's current tokens (access and rotated refresh token) die with it.
    const rotatedRefreshToken = oauth.refreshGrants()[0]?.issuedRefreshToken;
    expect(rotatedRefreshToken).toEqual(expect.any(String));
    expect(rotatedRefreshToken).not.toBe(login.refresh_token);
    expect(await replayRefreshToken(login.refresh_token)).toEqual({ status: 400, error: 'invalid_grant' });

    const outcomes = await Promise.all(Array.from({ length: 3 }, (_, i) => client.get(`/api/items/${i}`)));

    expect(outcomes).toEqual(Array.from({ length: 3 }, () => sessionExpired));
    const grants = oauth.refreshGrants();
    expect(grants.map(({ error }) => error)).toEqual([undefined, 'invalid_grant', 'invalid_grant']);
    // The app's one refresh call presented the rotated token it had been given, not the replayed one.
    expect(grants[2]?.refreshToken).toBe(rotatedRefreshToken);
    expect(session.getSnapshot().status).toBe('expired');
    expect(session.getAccessToken()).toBeNull();
    expect(await client.get('/api/later')).toEqual(sessionExpired);
    expect(oauth.refreshGrants()).toHaveLength(3);
  });

  it('(d) a proactive refresh before expiry: the API never answers 401', async () => {
    // One fake clock for the client and the provider (same process): Date and the session's timers.
    // The network I/O stays real; only the waiting for expiry is skipped.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const session = createSession({ refreshLeeway: 10_000 });
    const client = driver.connect(session, api.origin);
    const login = await logIn(session);
    expect(login.expires_in).toBe(60);
    expect(await client.get('/api/me')).toEqual({ status: 200 });

    await vi.advanceTimersByTimeAsync(49_000);
    expect(await client.get('/api/at-49s')).toEqual({ status: 200 });
    expect(oauth.refreshGrants()).toEqual([]);

    // 10 s before expiry (refreshLeeway) the session refreshes on its own.
    const refreshed = new Promise((resolve) => session.on('refreshed', resolve));
    const statuses: string[] = [];
    session.subscribe(({ status }) => statuses.push(status));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(statuses).toContain('refreshing');
    await refreshed;
    expect(oauth.refreshGrants()).toMatchObject([
      { grantType: 'refresh_token', refreshToken: login.refresh_token, error: undefined },
    ]);

    // Past the first token's expiry and the provider's 15 s clockTolerance (at 76 s): the provider
    // no longer accepts it, and the app does not care. The new token is due for refresh at 100 s.
    await vi.advanceTimersByTimeAsync(26_000);
    expect(await oauth.provider.AccessToken.find(login.access_token)).toBeUndefined();
    const outcomes = await Promise.all(Array.from({ length: 10 }, (_, i) => client.get(`/api/items/${i}`)));

    expect(statusesOf(outcomes)).toEqual({ 200: 10 });
    expect(api.rejected).toEqual([]);
    expect(api.accepted).toHaveLength(12);
    expect(oauth.refreshGrants()).toHaveLength(1);
    expect(session.getSnapshot().status).toBe('authenticated');
  });

  it('(e) the provider down during a refresh is a transient failure, and the session recovers when it is back', async () => {
    // No retries: the default two retries would wait 1.5–3 s of real backoff against a closed
    // port; the retry schedule has its own unit tests. Here one failed call is the outage.
    const session = createSession({ refreshRetries: 0 });
    const client = driver.connect(session, api.origin);
    const login = await logIn(session);
    expect(await client.get('/api/me')).toEqual({ status: 200 });
    const ended = vi.fn();
    session.on('sessionExpired', ended);

    await expireOnProvider(login.access_token);
    await oauth.goOffline();
    try {
      const outcome = await client.get('/api/during-outage');
      expect(outcome).toEqual({ error: expect.any(TokenRefreshError) });
      expect(session.getSnapshot().status).toBe('authenticated');
      expect(session.getSnapshot().error).toBeInstanceOf(TokenRefreshError);
      expect(oauth.refreshGrants()).toEqual([]);
    } finally {
      await oauth.goOnline();
    }

    // Same port, same provider and token store: the kept refresh token still works.
    expect(await client.get('/api/after-outage')).toEqual({ status: 200 });
    expect(oauth.refreshGrants()).toMatchObject([
      { grantType: 'refresh_token', refreshToken: login.refresh_token, error: undefined },
    ]);
    expect(session.getSnapshot()).toMatchObject({ status: 'authenticated', error: null });
    expect(ended).not.toHaveBeenCalled();
  });
});
