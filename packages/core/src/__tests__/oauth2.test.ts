import {
  createAuthSession,
  OAuthResponseError,
  oauth2Refresh,
  oauth2Revoke,
  SessionExpiredError,
  TokenRefreshError,
} from '@authmachine/core';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

const TOKEN_ENDPOINT = 'https://auth.example.com/oauth/token';
const REVOCATION_ENDPOINT = 'https://auth.example.com/oauth/revoke';

interface Seen {
  contentType: string | null;
  authorization: string | null;
  form: Record<string, string>;
}
const seen: Seen[] = [];
let tokenAnswer: () => Response = () => HttpResponse.json({});
let revokeAnswer: () => Response | Promise<Response> = () => new HttpResponse(null, { status: 200 });

const record = async (request: Request): Promise<void> => {
  seen.push({
    contentType: request.headers.get('content-type'),
    authorization: request.headers.get('authorization'),
    form: Object.fromEntries(new URLSearchParams(await request.text())),
  });
};
const server = setupServer(
  http.post(TOKEN_ENDPOINT, async ({ request }) => {
    await record(request);
    return tokenAnswer();
  }),
  http.post(REVOCATION_ENDPOINT, async ({ request }) => {
    await record(request);
    return revokeAnswer();
  }),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  seen.length = 0;
  server.resetHandlers();
});
afterAll(() => server.close());

/** What a rotating RFC 6749 server answers: the standard body, a new refresh token each time. */
const rotated = (generation: number) => () =>
  HttpResponse.json({
    access_token: `access-${generation}`,
    token_type: 'Bearer',
    expires_in: 300,
    refresh_token: `refresh-${generation}`,
  });

describe('oauth2Refresh: a refresh function for a standard token endpoint', () => {
  it('a public client posts grant_type=refresh_token form-encoded with its client_id; the session takes the body as it is', async () => {
    tokenAnswer = rotated(2);
    const session = createAuthSession({ refresh: oauth2Refresh({ tokenEndpoint: TOKEN_ENDPOINT, clientId: 'spa' }) });
    await session.login({ access_token: 'access-1', refresh_token: 'refresh-1', expires_in: 300 } as never);

    await expect(session.refresh()).resolves.toBe('access-2');
    tokenAnswer = rotated(3);
    await expect(session.refresh()).resolves.toBe('access-3');
    session.stop();

    expect(seen).toEqual([
      {
        contentType: 'application/x-www-form-urlencoded',
        authorization: null,
        form: { grant_type: 'refresh_token', refresh_token: 'refresh-1', client_id: 'spa' },
      },
      {
        contentType: 'application/x-www-form-urlencoded',
        authorization: null,
        form: { grant_type: 'refresh_token', refresh_token: 'refresh-2', client_id: 'spa' },
      },
    ]);
  });

  it('a confidential client authenticates with HTTP Basic by default (RFC 6749 §2.3.1), or in the body', async () => {
    tokenAnswer = rotated(2);
    const basic = oauth2Refresh({
      tokenEndpoint: TOKEN_ENDPOINT,
      clientId: 'api client',
      clientSecret: 's3cr:t',
      scope: 'read',
    });
    const inBody = oauth2Refresh({
      tokenEndpoint: new URL(TOKEN_ENDPOINT),
      clientId: 'app',
      clientSecret: 'secret',
      clientAuthentication: 'body',
    });
    const signal = new AbortController().signal;
    await basic({ refreshToken: 'refresh-1', signal });
    await inBody({ refreshToken: 'refresh-1', signal });

    expect(seen[0]?.authorization).toBe(`Basic ${btoa('api+client:s3cr%3At')}`);
    expect(seen[0]?.form).toEqual({ grant_type: 'refresh_token', refresh_token: 'refresh-1', scope: 'read' });
    expect(seen[1]?.authorization).toBeNull();
    expect(seen[1]?.form).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'refresh-1',
      client_id: 'app',
      client_secret: 'secret',
    });
  });

  it('invalid_grant ends the session with one call, and the error says what the server said', async () => {
    tokenAnswer = () =>
      HttpResponse.json({ error: 'invalid_grant', error_description: 'Token is not active' }, { status: 400 });
    const session = createAuthSession({
      refresh: oauth2Refresh({ tokenEndpoint: TOKEN_ENDPOINT, clientId: 'spa' }),
      refreshRetries: 2,
    });
    await session.login({ accessToken: 'access-1', refreshToken: 'refresh-1' });
    const error = await session.refresh().catch((reason: unknown) => reason);
    session.stop();

    expect(error).toBeInstanceOf(SessionExpiredError);
    expect((error as Error).message).toContain('HTTP 400, invalid_grant: Token is not active');
    expect((error as Error).message).not.toContain('refresh-1');
    expect((error as SessionExpiredError).cause).toBeInstanceOf(OAuthResponseError);
    expect(seen).toHaveLength(1);
  });

  it('a 503 is transient: TokenRefreshError naming the status, the tokens kept', async () => {
    tokenAnswer = () => HttpResponse.json({ error: 'temporarily_unavailable' }, { status: 503 });
    const session = createAuthSession({
      refresh: oauth2Refresh({ tokenEndpoint: TOKEN_ENDPOINT, clientId: 'spa' }),
      refreshRetries: 0,
    });
    await session.login({ accessToken: 'access-1', refreshToken: 'refresh-1' });
    const error = await session.refresh().catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(TokenRefreshError);
    expect((error as Error).message).toContain('HTTP 503, temporarily_unavailable');
    expect(session.getAccessToken()).toBe('access-1');
    session.stop();
  });

  it('rejects wrong options at once, with what to write', () => {
    expect(() => oauth2Refresh({ tokenEndpoint: '/token', clientId: 'spa' })).toThrow(
      /tokenEndpoint must be an absolute URL/,
    );
    expect(() => oauth2Refresh({ tokenEndpoint: TOKEN_ENDPOINT, clientId: '' })).toThrow(/clientId/);
    expect(() =>
      oauth2Refresh({ tokenEndpoint: TOKEN_ENDPOINT, clientId: 'a', clientAuthentication: 'jwt' as never }),
    ).toThrow(/clientAuthentication/);
    expect(() => oauth2Revoke({ revocationEndpoint: 42 as never, clientId: 'a' })).toThrow(/revocationEndpoint/);
  });
});

describe('logout with revoke: the session ends on the server too', () => {
  it('logout() is local at once; the revocation endpoint gets the refresh token (RFC 7009)', async () => {
    let answer: (response: Response) => void = () => undefined;
    revokeAnswer = () => new Promise((resolve) => (answer = resolve));
    const session = createAuthSession({
      refresh: async () => ({ accessToken: 'unused' }),
      revoke: oauth2Revoke({ revocationEndpoint: REVOCATION_ENDPOINT, clientId: 'spa' }),
    });
    await session.login({ accessToken: 'access-1', refreshToken: 'refresh-1' });
    await session.logout();
    // The revoke has not answered yet: the user is logged out here anyway.
    expect(session.getSnapshot()).toMatchObject({ status: 'anonymous', accessToken: null });
    await vi.waitFor(() => expect(seen).toHaveLength(1));
    expect(seen[0]?.form).toEqual({ token: 'refresh-1', token_type_hint: 'refresh_token', client_id: 'spa' });
    answer(new HttpResponse(null, { status: 200 }));
    session.stop();
  });

  it('without a refresh token it revokes the access token', async () => {
    const revoke = vi.fn(oauth2Revoke({ revocationEndpoint: REVOCATION_ENDPOINT, clientId: 'spa' }));
    const session = createAuthSession({ refresh: async () => ({ accessToken: 'unused' }), revoke });
    await session.login({ accessToken: 'access-1' });
    await session.logout();
    await vi.waitFor(() => expect(seen).toHaveLength(1));
    expect(seen[0]?.form).toMatchObject({ token: 'access-1', token_type_hint: 'access_token' });
    // Logged out already: nothing to revoke.
    await session.logout();
    expect(revoke).toHaveBeenCalledTimes(1);
    session.stop();
  });

  it('a failing revoke is reported on revokeFailed, never thrown, and does not undo the logout', async () => {
    revokeAnswer = () => HttpResponse.json({ error: 'invalid_client' }, { status: 401 });
    const session = createAuthSession({
      refresh: async () => ({ accessToken: 'unused' }),
      revoke: oauth2Revoke({ revocationEndpoint: REVOCATION_ENDPOINT, clientId: 'spa' }),
    });
    const failures: unknown[] = [];
    session.on('revokeFailed', ({ error }) => failures.push(error));
    await session.login({ accessToken: 'access-1', refreshToken: 'refresh-1' });
    await expect(session.logout()).resolves.toBeUndefined();
    await vi.waitFor(() => expect(failures).toHaveLength(1));
    expect(failures[0]).toBeInstanceOf(OAuthResponseError);
    expect(failures[0]).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect(session.getSnapshot().status).toBe('anonymous');
    session.stop();
  });

  it('a revoke that never answers is aborted after refreshTimeout and reported; stop() aborts quietly', async () => {
    const signals: AbortSignal[] = [];
    const session = createAuthSession({
      refresh: async () => ({ accessToken: 'unused' }),
      refreshTimeout: 50,
      revoke: ({ signal }) => {
        signals.push(signal);
        return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
      },
    });
    const failures: unknown[] = [];
    session.on('revokeFailed', ({ error }) => failures.push(error));
    await session.login({ accessToken: 'access-1', refreshToken: 'refresh-1' });
    await session.logout();
    await vi.waitFor(() => expect(failures).toHaveLength(1));
    expect((failures[0] as Error).message).toMatch(/longer than 50 ms/);

    await session.login({ accessToken: 'access-2', refreshToken: 'refresh-2' });
    await session.logout();
    session.stop();
    await vi.waitFor(() => expect(signals[1]?.aborted).toBe(true));
    expect(failures).toHaveLength(1);
  });

  it('rejects a revoke option that is not a function', () => {
    expect(() => createAuthSession({ refresh: async () => ({ accessToken: 'a' }), revoke: 'yes' as never })).toThrow(
      /revoke must be a function/,
    );
  });
});
