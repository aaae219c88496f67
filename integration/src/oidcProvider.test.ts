import {
  type AuthSession,
  type AuthSessionOptions,
  createAuthSession,
  oauth2Refresh,
  oauth2Revoke,
} from '@authmachine/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
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
  await session.login({
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
    expiresIn: tokens.expires_in,
  });
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
    expect(oauth.refreshGrants()).toEqual([
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
});
