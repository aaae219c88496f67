import { InvalidTokenResponseError, TokenRefreshError, type TokenSet } from '@authmachine/core';
import { describe, expect, it } from 'vitest';
import {
  flush,
  HOUR,
  loggedInSession,
  rejectionOf,
  spyStorage,
  startSession,
  T0,
  track,
  useFakeClock,
} from './support/testKit.js';

useFakeClock();

/** What Keycloak, Auth0, Cognito, Okta and oidc-provider answer (RFC 6749 §5.1), returned as it is. */
const STANDARD_BODY = {
  access_token: 'access-2',
  token_type: 'Bearer',
  expires_in: 300,
  refresh_token: 'refresh-2',
  scope: 'openid offline_access',
};

describe('RFC 6749 token responses, returned as the server sent them', () => {
  it('a login result in the standard shape logs in, with expires_in counted from receipt', async () => {
    const storage = spyStorage();
    const session = await startSession({ refresh: async () => ({ accessToken: 'unused' }), storage });
    await session.login(async () => STANDARD_BODY as unknown as TokenSet);

    expect(session.getSnapshot()).toMatchObject({
      status: 'authenticated',
      accessToken: 'access-2',
      expiresAt: T0 + 300_000,
    });
    expect(storage.set).toHaveBeenCalledWith({
      accessToken: 'access-2',
      refreshToken: 'refresh-2',
      expiresAt: T0 + 300_000,
    });
  });

  it('a refresh result in the standard shape rotates the refresh token in one storage write', async () => {
    const { session, refresh, storage } = await loggedInSession();
    const refreshed = track(session.refresh());
    await flush();
    refresh.last().resolve(STANDARD_BODY as unknown as TokenSet);
    await flush();

    expect(refreshed.current).toEqual({ status: 'resolved', value: 'access-2' });
    expect(storage.set).toHaveBeenCalledTimes(1);
    expect(storage.set).toHaveBeenCalledWith({
      accessToken: 'access-2',
      refreshToken: 'refresh-2',
      expiresAt: T0 + 300_000,
    });

    // The next refresh sends the rotated token, not the consumed one.
    void session.refresh();
    await flush();
    expect(refresh.last().ctx.refreshToken).toBe('refresh-2');
  });

  it('a refresh result without refresh_token keeps the refresh token (RFC 6749 §6)', async () => {
    const { session, refresh } = await loggedInSession();
    const refreshed = track(session.refresh());
    await flush();
    refresh.last().resolve({ access_token: 'access-2', expires_in: 60 } as unknown as TokenSet);
    await flush();
    expect(refreshed.current).toEqual({ status: 'resolved', value: 'access-2' });

    void session.refresh();
    await flush();
    expect(refresh.last().ctx.refreshToken).toBe('refresh-1');
  });

  it('expires_in sent as a string of digits (Azure AD v1) counts as seconds', async () => {
    const session = await startSession({ refresh: async () => ({ accessToken: 'unused' }) });
    await session.login({ access_token: 'access-1', expires_in: '3599' } as unknown as TokenSet);
    expect(session.getSnapshot().expiresAt).toBe(T0 + 3599_000);
  });

  it('a stored session in the standard shape is restored', async () => {
    const storage = spyStorage({ access_token: 'access-1', refresh_token: 'refresh-1', expires_in: 3600 });
    const session = await startSession({ refresh: async () => ({ accessToken: 'unused' }), storage });
    expect(session.getSnapshot()).toMatchObject({
      status: 'authenticated',
      accessToken: 'access-1',
      expiresAt: T0 + HOUR,
    });
  });

  it('our own names win when a result has both (a hand mapping over a spread body)', async () => {
    const session = await startSession({ refresh: async () => ({ accessToken: 'unused' }) });
    await session.login({ ...STANDARD_BODY, accessToken: 'mapped', expiresIn: 60 } as unknown as TokenSet);
    expect(session.getSnapshot()).toMatchObject({ accessToken: 'mapped', expiresAt: T0 + 60_000 });
  });
});

describe('a result that matches neither shape', () => {
  it('names the fields it expected and the keys it got, never a value', async () => {
    const session = await startSession({ refresh: async () => ({ accessToken: 'unused' }) });
    const loggedIn = track(
      session.login(async () => ({ token: 'secret-token-value', refresh: 'secret-refresh' }) as never),
    );
    await flush();

    const error = rejectionOf(loggedIn);
    expect(error).toBeInstanceOf(InvalidTokenResponseError);
    const { message } = error as Error;
    expect(message).toContain('accessToken');
    expect(message).toContain('access_token');
    expect(message).toContain('"token", "refresh"');
    expect(message).not.toContain('secret');
  });

  it('a malformed refresh result reaches the caller as the cause of a TokenRefreshError that names the keys', async () => {
    const { session, refresh } = await loggedInSession();
    const refreshed = track(session.refresh());
    await flush();
    refresh.last().resolve({ data: { access_token: 'secret-nested' } } as unknown as TokenSet);
    await flush();

    const error = rejectionOf(refreshed);
    expect(error).toBeInstanceOf(TokenRefreshError);
    const cause = (error as TokenRefreshError).cause;
    expect(cause).toBeInstanceOf(InvalidTokenResponseError);
    expect((cause as Error).message).toContain('"data"');
    expect((cause as Error).message).not.toContain('secret');
  });

  it('rejects expiresAt given in seconds, saying so', async () => {
    const session = await startSession({ refresh: async () => ({ accessToken: 'unused' }) });
    const loggedIn = track(session.login(async () => ({ accessToken: 'access-1', expiresAt: Math.floor(T0 / 1000) })));
    await flush();
    expect((rejectionOf(loggedIn) as Error).message).toMatch(/expiresAt looks like seconds.*milliseconds/);
    expect(session.getSnapshot().status).toBe('anonymous');
  });
});
