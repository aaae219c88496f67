import {
  AuthError,
  type AuthErrorCode,
  type AuthEventMap,
  type AuthEventName,
  type AuthMachineInput,
  type AuthSession,
  type AuthSessionOptions,
  type AuthState,
  type AuthStatus,
  type authMachine,
  type CrossTabChannel,
  type CrossTabLocks,
  type CrossTabOptions,
  createAuthSession,
  DEFAULT_STORAGE_KEY,
  decodeJwtExpiry,
  type InvalidTokenResponseError,
  inProcessLocks,
  isSessionEndedByDefault,
  memoryStorage,
  type OAuthErrorBody,
  OAuthResponseError,
  type OAuthTokenResponse,
  oauth2Refresh,
  type RefreshContext,
  type RevokeContext,
  SessionExpiredError,
  type SessionInspector,
  TokenRefreshError,
  type TokenResult,
  type TokenSet,
  type TokenStorage,
  type WaitOptions,
  webStorage,
} from '@authmachine/core';
import { describe, expectTypeOf, it } from 'vitest';
import type { Actor, InspectionEvent, Observer } from 'xstate';

declare const session: AuthSession;

/** A token endpoint's JSON body, as an app types it (RFC 6749 §5.1). */
interface OAuthTokenBody {
  access_token: string;
  token_type: string;
  refresh_token?: string | undefined;
  expires_in?: number | undefined;
}
declare const oauthBody: OAuthTokenBody;

describe('AuthState', () => {
  it('has the documented fields and statuses', () => {
    expectTypeOf<AuthStatus>().toEqualTypeOf<
      'restoring' | 'anonymous' | 'authenticating' | 'authenticated' | 'refreshing' | 'expired'
    >();
    expectTypeOf<AuthState>().toEqualTypeOf<{
      status: AuthStatus;
      isAuthenticated: boolean;
      accessToken: string | null;
      expiresAt: number | null;
      error: unknown | null;
    }>();
  });
});

describe('TokenSet', () => {
  it('needs only accessToken; the rest is optional', () => {
    expectTypeOf({ accessToken: 'a' }).toExtend<TokenSet>();
    expectTypeOf({ accessToken: 'a', refreshToken: 'r', expiresAt: 1, expiresIn: 60 }).toExtend<TokenSet>();
    expectTypeOf<{ refreshToken: string }>().not.toExtend<TokenSet>();
    expectTypeOf<{ accessToken: number }>().not.toExtend<TokenSet>();
  });

  it('takes undefined for an optional field, as absent (exactOptionalPropertyTypes)', () => {
    expectTypeOf<{ accessToken: string; refreshToken: undefined }>().toExtend<TokenSet>();
    expectTypeOf<{ accessToken: string; expiresAt: undefined; expiresIn: undefined }>().toExtend<TokenSet>();
    expectTypeOf<{ accessToken: undefined }>().not.toExtend<TokenSet>();
    expectTypeOf<TokenSet['refreshToken']>().toEqualTypeOf<string | undefined>();
  });

  it('is what an OAuth token response maps to, field by field, without a spread or a cast', () => {
    // RFC 6749 §5.1: refresh_token and expires_in are optional, so a typed body holds them as `T | undefined`.
    const toTokens = (body: OAuthTokenBody) => ({
      accessToken: body.access_token,
      refreshToken: body.refresh_token,
      expiresIn: body.expires_in,
    });
    expectTypeOf(toTokens).returns.toExtend<TokenSet>();
    const tokens: TokenSet = toTokens(oauthBody);
    expectTypeOf(session.login).toBeCallableWith(tokens);
    expectTypeOf(session.login).toBeCallableWith(async () => toTokens(oauthBody));
    createAuthSession({ refresh: async () => toTokens(oauthBody) });
    createAuthSession({
      refresh: async () => ({
        accessToken: oauthBody.access_token,
        refreshToken: oauthBody.refresh_token,
        expiresAt: oauthBody.expires_in === undefined ? undefined : Date.now() + oauthBody.expires_in * 1000,
      }),
    });
    const stored: TokenStorage = { get: () => toTokens(oauthBody), set: () => undefined, clear: () => undefined };
    expectTypeOf(stored).toExtend<TokenStorage>();
  });
});

describe('AuthSession', () => {
  it('createAuthSession takes AuthSessionOptions and returns an AuthSession', () => {
    expectTypeOf(createAuthSession).parameters.toEqualTypeOf<[AuthSessionOptions]>();
    expectTypeOf(createAuthSession).returns.toEqualTypeOf<AuthSession>();
  });

  it('has the documented methods', () => {
    expectTypeOf(session.actor).toEqualTypeOf<Actor<typeof authMachine>>();
    expectTypeOf(session.getSnapshot).toEqualTypeOf<() => AuthState>();
    expectTypeOf(session.subscribe).toEqualTypeOf<(listener: (state: AuthState) => void) => () => void>();
    expectTypeOf(session.login).toEqualTypeOf<(tokens: TokenResult | (() => Promise<TokenResult>)) => Promise<void>>();
    expectTypeOf(session.logout).toEqualTypeOf<() => Promise<void>>();
    expectTypeOf(session.refresh).toEqualTypeOf<() => Promise<string>>();
    expectTypeOf(session.getAccessToken).toEqualTypeOf<() => string | null>();
    expectTypeOf(session.tokenRejected).toEqualTypeOf<(accessToken: string) => void>();
    expectTypeOf(session.waitForAccessToken).toEqualTypeOf<(options?: WaitOptions) => Promise<string | null>>();
    expectTypeOf(session.stop).toEqualTypeOf<() => void>();
  });

  it('waitForAccessToken takes an optional signal and timeout', () => {
    expectTypeOf<WaitOptions>().toEqualTypeOf<{ signal?: AbortSignal | undefined; timeout?: number | undefined }>();
    expectTypeOf(session.waitForAccessToken).toBeCallableWith();
    expectTypeOf(session.waitForAccessToken).toBeCallableWith({ signal: new AbortController().signal, timeout: 5 });
  });

  it('login takes tokens or a function returning them', () => {
    expectTypeOf(session.login).toBeCallableWith({ accessToken: 'a' });
    expectTypeOf(session.login).toBeCallableWith(async () => ({ accessToken: 'a', expiresIn: 60 }));
    // @ts-expect-error a token string is not a TokenSet
    session.login('access-token');
  });

  it('actor is readonly', () => {
    const other = createAuthSession({ refresh: async () => ({ accessToken: 'a' }) });
    // @ts-expect-error the actor cannot be replaced
    session.actor = other.actor;
  });
});

describe('session.on()', () => {
  it('knows the seven event names', () => {
    expectTypeOf<AuthEventName>().toEqualTypeOf<
      'loggedIn' | 'refreshed' | 'loggedOut' | 'sessionExpired' | 'refreshFailed' | 'storageFailed' | 'revokeFailed'
    >();
    // @ts-expect-error not an event of the session
    session.on('tokenRefreshed', () => undefined);
  });

  it('types each handler’s payload by event name', () => {
    session.on('loggedIn', (payload) => expectTypeOf(payload).toEqualTypeOf<{ expiresAt: number | null }>());
    session.on('refreshed', (payload) => expectTypeOf(payload).toEqualTypeOf<{ expiresAt: number | null }>());
    session.on('loggedOut', (payload) => expectTypeOf(payload).toEqualTypeOf<Record<string, never>>());
    session.on('sessionExpired', (payload) => expectTypeOf(payload).toEqualTypeOf<{ error: SessionExpiredError }>());
    session.on('refreshFailed', (payload) => expectTypeOf(payload).toEqualTypeOf<{ error: TokenRefreshError }>());
    session.on('storageFailed', (payload) => expectTypeOf(payload).toEqualTypeOf<{ error: AuthError }>());
    expectTypeOf<AuthEventMap['sessionExpired']['error']['code']>().toEqualTypeOf<'SESSION_EXPIRED'>();
  });

  it('returns an unsubscribe function', () => {
    expectTypeOf(session.on('loggedOut', () => undefined)).toEqualTypeOf<() => void>();
  });

  it('rejects a handler for the wrong payload', () => {
    // @ts-expect-error sessionExpired carries a SessionExpiredError, not expiresAt
    session.on('sessionExpired', (payload: { expiresAt: number }) => payload);
  });
});

describe('errors', () => {
  it('each class is an AuthError with a literal code', () => {
    expectTypeOf<SessionExpiredError>().toExtend<AuthError>();
    expectTypeOf<TokenRefreshError>().toExtend<AuthError>();
    expectTypeOf<InvalidTokenResponseError>().toExtend<AuthError>();
    expectTypeOf<AuthError>().toExtend<Error>();
    expectTypeOf<SessionExpiredError['code']>().toEqualTypeOf<'SESSION_EXPIRED'>();
    expectTypeOf<TokenRefreshError['code']>().toEqualTypeOf<'REFRESH_FAILED'>();
    expectTypeOf<InvalidTokenResponseError['code']>().toEqualTypeOf<'INVALID_TOKEN_RESPONSE'>();
    expectTypeOf<AuthError['code']>().toEqualTypeOf<AuthErrorCode>();
  });

  it('AuthErrorCode names the documented codes', () => {
    expectTypeOf<'SESSION_STOPPED'>().toExtend<AuthErrorCode>();
    expectTypeOf<'INVALID_OPTIONS'>().toExtend<AuthErrorCode>();
    expectTypeOf<'STORAGE_FAILED'>().toExtend<AuthErrorCode>();
    expectTypeOf<'LOGIN_CANCELLED'>().toExtend<AuthErrorCode>();
    expectTypeOf<'NOT_A_CODE'>().not.toExtend<AuthErrorCode>();
  });

  it('narrows on code', () => {
    const error = new AuthError('SESSION_STOPPED', 'stopped') as AuthError | SessionExpiredError;
    if (error instanceof SessionExpiredError) expectTypeOf(error.code).toEqualTypeOf<'SESSION_EXPIRED'>();
    expectTypeOf(new TokenRefreshError(new Error('x')).cause).toEqualTypeOf<unknown>();
  });
});

describe('createAuthSession options', () => {
  it('needs refresh, typed with its context', () => {
    expectTypeOf<RefreshContext>().toEqualTypeOf<{ refreshToken: string; signal: AbortSignal }>();
    expectTypeOf<AuthSessionOptions['refresh']>().toEqualTypeOf<(ctx: RefreshContext) => Promise<TokenResult>>();
    // @ts-expect-error refresh is required
    createAuthSession({});
    createAuthSession({
      refresh: async ({ refreshToken, signal }) => ({ accessToken: refreshToken + String(signal.aborted) }),
    });
  });

  it('types every optional option', () => {
    expectTypeOf<AuthSessionOptions>().toEqualTypeOf<{
      refresh: (ctx: RefreshContext) => Promise<TokenResult>;
      storage?: TokenStorage | undefined;
      refreshLeeway?: number | false | undefined;
      refreshTimeout?: number | undefined;
      refreshRetries?: number | undefined;
      isSessionEnded?: ((error: unknown) => boolean) | undefined;
      now?: (() => number) | undefined;
      crossTab?: boolean | CrossTabOptions | undefined;
      inspect?: SessionInspector | undefined;
      inspectTokens?: boolean | undefined;
      revoke?: ((ctx: RevokeContext) => Promise<void> | void) | undefined;
    }>();
    expectTypeOf<SessionInspector>().toEqualTypeOf<Observer<InspectionEvent> | ((event: InspectionEvent) => void)>();
    expectTypeOf<CrossTabOptions>().toEqualTypeOf<{
      name?: string | undefined;
      locks?: CrossTabLocks | null | undefined;
      channel?: ((name: string) => CrossTabChannel) | undefined;
      handoffDelay?: number | undefined;
      lockTimeout?: number | undefined;
    }>();
    // navigator.locks and BroadcastChannel fit the defaults' slots.
    expectTypeOf<LockManager>().toMatchTypeOf<CrossTabLocks>();
    expectTypeOf<BroadcastChannel>().toMatchTypeOf<CrossTabChannel>();
    expectTypeOf(inProcessLocks()).toEqualTypeOf<CrossTabLocks>();
    // @ts-expect-error refreshLeeway true is meaningless
    createAuthSession({ refresh: async () => ({ accessToken: 'a' }), refreshLeeway: true });
  });

  it('storage may be sync or async', () => {
    expectTypeOf<TokenStorage['get']>().returns.toEqualTypeOf<TokenResult | null | Promise<TokenResult | null>>();
    const asyncStorage: TokenStorage = {
      get: async () => null,
      set: async () => undefined,
      clear: async () => undefined,
    };
    const syncStorage: TokenStorage = { get: () => null, set: () => undefined, clear: () => undefined };
    expectTypeOf(asyncStorage).toExtend<TokenStorage>();
    expectTypeOf(syncStorage).toExtend<TokenStorage>();
    expectTypeOf(memoryStorage).returns.toEqualTypeOf<TokenStorage>();
    expectTypeOf(webStorage).returns.toEqualTypeOf<TokenStorage>();
    expectTypeOf(webStorage).toBeCallableWith(localStorage);
    expectTypeOf(webStorage).toBeCallableWith(sessionStorage, 'my-key');
    expectTypeOf(DEFAULT_STORAGE_KEY).toBeString();
  });
});

describe('helpers', () => {
  it('decodeJwtExpiry and isSessionEndedByDefault', () => {
    expectTypeOf(decodeJwtExpiry).returns.toEqualTypeOf<number | null>();
    expectTypeOf(decodeJwtExpiry).toBeCallableWith('a.b.c');
    expectTypeOf(isSessionEndedByDefault).toEqualTypeOf<(error: unknown) => boolean>();
  });
});

// What an app passes on from its own config, where each setting may be unset.
interface AppConfig {
  storage?: TokenStorage | undefined;
  refreshLeeway?: number | false | undefined;
  refreshTimeout?: number | undefined;
  refreshRetries?: number | undefined;
  isSessionEnded?: ((error: unknown) => boolean) | undefined;
  now?: (() => number) | undefined;
  crossTab?: boolean | CrossTabOptions | undefined;
  tabName?: string | undefined;
  locks?: CrossTabLocks | null | undefined;
  channel?: ((name: string) => CrossTabChannel) | undefined;
  handoffDelay?: number | undefined;
  signal?: AbortSignal | undefined;
  timeout?: number | undefined;
}
declare const config: AppConfig;

describe('optional options held as `T | undefined` (exactOptionalPropertyTypes)', () => {
  const refresh = async (): Promise<TokenSet> => ({ accessToken: 'a' });

  it('passes each one through to createAuthSession as it is', () => {
    createAuthSession({
      refresh,
      storage: config.storage,
      refreshLeeway: config.refreshLeeway,
      refreshTimeout: config.refreshTimeout,
      refreshRetries: config.refreshRetries,
      isSessionEnded: config.isSessionEnded,
      now: config.now,
      crossTab: config.crossTab,
    });
    createAuthSession({
      refresh,
      crossTab: {
        name: config.tabName,
        locks: config.locks,
        channel: config.channel,
        handoffDelay: config.handoffDelay,
      },
    });
    const options: AuthSessionOptions = { refresh, refreshTimeout: undefined, crossTab: undefined };
    expectTypeOf(options).toExtend<AuthSessionOptions>();
  });

  it('passes the machine config through to authMachine’s input', () => {
    expectTypeOf<{
      refreshTimeout: number | undefined;
      refreshLeeway: number | false | undefined;
    }>().toExtend<AuthMachineInput>();
  });

  it('passes signal and timeout through to waitForAccessToken', () => {
    expectTypeOf(session.waitForAccessToken).toBeCallableWith({ signal: config.signal, timeout: config.timeout });
  });

  it('still rejects a wrong type, and null where null means nothing', () => {
    // @ts-expect-error refreshTimeout is a number of ms
    createAuthSession({ refresh, refreshTimeout: '10s' });
    // @ts-expect-error null is not "use the default" here: only locks takes null (no lock)
    createAuthSession({ refresh, refreshTimeout: null });
    // @ts-expect-error accessToken is required, and undefined is no token
    createAuthSession({ refresh: async () => ({ accessToken: oauthBody.refresh_token }) });
  });
});

describe('OAuthResponseError', () => {
  it('takes an error body whose optional fields were read as `string | undefined`', () => {
    const parsed: { error: string | undefined; error_description: string | undefined } = {
      error: oauthBody.refresh_token,
      error_description: undefined,
    };
    const error = new OAuthResponseError('/oauth/token', 400, parsed);
    expectTypeOf(error.body).toEqualTypeOf<OAuthErrorBody>();
    expectTypeOf(error.body.error).toEqualTypeOf<string | undefined>();
    // @ts-expect-error the status is a number
    new OAuthResponseError('/oauth/token', '400', {});
  });
});

describe('the RFC 6749 token response', () => {
  const tokenEndpointBody = {
    access_token: 'a',
    refresh_token: 'r',
    expires_in: 300,
    token_type: 'Bearer',
    scope: 'openid offline_access',
  };

  it('is what login, refresh and storage reads may return, as the server sent it', () => {
    expectTypeOf(tokenEndpointBody).toExtend<OAuthTokenResponse>();
    expectTypeOf(session.login).toBeCallableWith(tokenEndpointBody);
    expectTypeOf(session.login).toBeCallableWith(async () => tokenEndpointBody);
    createAuthSession({ refresh: async () => tokenEndpointBody });
    createAuthSession({ refresh: async () => ({ access_token: 'a', expires_in: '3600' }) });
    const storage: TokenStorage = { get: () => tokenEndpointBody, set: () => undefined, clear: () => undefined };
    expectTypeOf(storage).toExtend<TokenStorage>();
    expectTypeOf(oauth2Refresh({ tokenEndpoint: 'https://auth.test/token', clientId: 'spa' })).returns.toEqualTypeOf<
      Promise<OAuthTokenResponse>
    >();
  });

  it('still needs an access token under one name or the other', () => {
    // @ts-expect-error no access token at all
    createAuthSession({ refresh: async () => ({ refresh_token: 'r', expires_in: 300 }) });
    // @ts-expect-error access_token is a string
    session.login({ access_token: 42 });
  });
});
