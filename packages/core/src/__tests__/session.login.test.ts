import { AuthError, createAuthSession, InvalidTokenResponseError, type TokenSet } from '@authmachine/core';
import { describe, expect, it, vi } from 'vitest';
import {
  createDeferred,
  flush,
  HOUR,
  loggedInSession,
  makeJwt,
  recordEvents,
  rejectionOf,
  spyStorage,
  startSession,
  T0,
  track,
  useFakeClock,
} from './support/testKit.js';

useFakeClock();

const TOKENS: TokenSet = { accessToken: 'access-1', refreshToken: 'refresh-1', expiresIn: 3600 };

async function anonymousSession(options: { now?: () => number } = {}) {
  const storage = spyStorage();
  const refresh = vi.fn();
  const session = await startSession({ ...options, refresh, storage });
  return { session, storage, refresh };
}

describe('login(tokens)', () => {
  it('authenticates at once, stores the tokens in one call and emits loggedIn', async () => {
    const { session, storage } = await anonymousSession();
    const events = recordEvents(session);
    await session.login(TOKENS);

    expect(session.getSnapshot()).toEqual({
      status: 'authenticated',
      isAuthenticated: true,
      accessToken: 'access-1',
      expiresAt: T0 + HOUR,
      error: null,
    });
    expect(session.getAccessToken()).toBe('access-1');
    expect(storage.set).toHaveBeenCalledTimes(1);
    expect(storage.set).toHaveBeenCalledWith({
      accessToken: 'access-1',
      refreshToken: 'refresh-1',
      expiresAt: T0 + HOUR,
    });
    expect(events).toEqual([{ name: 'loggedIn', payload: { expiresAt: T0 + HOUR } }]);
  });

  it('resolves only once an async storage has written the tokens', async () => {
    const write = createDeferred<void>();
    const storage = { get: () => null, set: vi.fn(() => write.promise), clear: vi.fn() };
    const session = await startSession({ refresh: vi.fn(), storage });
    const loggedIn = track(session.login(TOKENS));
    await flush();

    expect(storage.set).toHaveBeenCalledTimes(1);
    expect(session.getSnapshot().status).toBe('authenticated');
    expect(loggedIn.current.status).toBe('pending');
    write.resolve();
    await flush();
    expect(loggedIn.current.status).toBe('resolved');
  });

  it.each([
    ['null', null],
    ['a string', 'access-1'],
    ['an empty object', {}],
    ['an empty accessToken', { accessToken: '' }],
    ['a numeric accessToken', { accessToken: 42 }],
    ['a numeric refreshToken', { accessToken: 'access-1', refreshToken: 42 }],
    ['expiresIn NaN', { accessToken: 'access-1', expiresIn: Number.NaN }],
    ['expiresAt as a string', { accessToken: 'access-1', expiresAt: 'tomorrow' }],
  ])('rejects garbage (%s) with InvalidTokenResponseError and stores nothing', async (_, garbage) => {
    const { session, storage } = await anonymousSession();
    const events = recordEvents(session);
    const loggedIn = track(session.login(garbage as TokenSet));
    await flush();

    const error = rejectionOf(loggedIn);
    expect(error).toBeInstanceOf(InvalidTokenResponseError);
    expect((error as InvalidTokenResponseError).code).toBe('INVALID_TOKEN_RESPONSE');
    expect(storage.set).not.toHaveBeenCalled();
    expect(session.getSnapshot()).toMatchObject({ status: 'anonymous', accessToken: null });
    expect(events).toEqual([]);
  });

  it('garbage tokens leave a running session as it was', async () => {
    const { session, storage } = await loggedInSession();
    await expect(session.login({ accessToken: '' })).rejects.toBeInstanceOf(InvalidTokenResponseError);

    expect(session.getSnapshot()).toMatchObject({ status: 'authenticated', accessToken: 'access-1' });
    expect(storage.set).not.toHaveBeenCalled();
    expect(storage.clear).not.toHaveBeenCalled();
  });
});

describe('login(loginFunction)', () => {
  it('is authenticating while the call is in flight, then authenticated', async () => {
    const { session, storage } = await anonymousSession();
    const events = recordEvents(session);
    const call = createDeferred<TokenSet>();
    const loggedIn = track(session.login(() => call.promise));
    await flush();

    expect(session.getSnapshot()).toMatchObject({
      status: 'authenticating',
      isAuthenticated: false,
      accessToken: null,
    });
    expect(session.getAccessToken()).toBeNull();
    // Requests made now go out without a token: the wait does not wait for a login.
    expect(await session.waitForAccessToken()).toBeNull();

    call.resolve(TOKENS);
    await flush();
    expect(loggedIn.current).toEqual({ status: 'resolved', value: undefined });
    expect(session.getSnapshot()).toMatchObject({ status: 'authenticated', accessToken: 'access-1', error: null });
    expect(storage.set).toHaveBeenCalledTimes(1);
    expect(storage.set).toHaveBeenCalledWith({
      accessToken: 'access-1',
      refreshToken: 'refresh-1',
      expiresAt: T0 + HOUR,
    });
    expect(events).toEqual([{ name: 'loggedIn', payload: { expiresAt: T0 + HOUR } }]);
  });

  it('a failed login rejects login() with its error, keeps it in the snapshot and stays anonymous', async () => {
    const { session, storage } = await anonymousSession();
    const failure = Object.assign(new Error('wrong password'), { status: 401 });
    const loggedIn = track(session.login(() => Promise.reject(failure)));
    await flush();

    expect(rejectionOf(loggedIn)).toBe(failure);
    expect(session.getSnapshot()).toMatchObject({ status: 'anonymous', isAuthenticated: false, error: failure });
    expect(storage.set).not.toHaveBeenCalled();

    // The next successful login clears the error.
    await session.login(TOKENS);
    expect(session.getSnapshot().error).toBeNull();
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['a string', 'access-1'],
    ['an empty object', {}],
    ['a token under another name', { token: 'access-1', expires_in: 3600 }],
    ['a numeric access_token', { access_token: 42 }],
    ['expiresAt in seconds', { accessToken: 'access-1', expiresAt: 1_900_000_000 }],
    ['an empty accessToken', { accessToken: '', refreshToken: 'refresh-1' }],
    ['a numeric accessToken', { accessToken: 42 }],
    ['a numeric refreshToken', { accessToken: 'access-1', refreshToken: 7 }],
    ['expiresIn NaN', { accessToken: 'access-1', expiresIn: Number.NaN }],
  ])('a malformed result (%s) rejects login() with InvalidTokenResponseError and stores nothing', async (_, result) => {
    const { session, storage } = await anonymousSession();
    const events = recordEvents(session);
    const loggedIn = track(session.login(async () => result as TokenSet));
    await flush();

    const error = rejectionOf(loggedIn);
    expect(error).toBeInstanceOf(InvalidTokenResponseError);
    expect(session.getSnapshot()).toMatchObject({ status: 'anonymous', accessToken: null, error });
    expect(storage.set).not.toHaveBeenCalled();
    expect(events).toEqual([]);
  });

  it('a logout while the login is in flight cancels it; its late result is never stored', async () => {
    const { session, storage } = await anonymousSession();
    const call = createDeferred<TokenSet>();
    const loggedIn = track(session.login(() => call.promise));
    await flush();
    await session.logout();

    const error = rejectionOf(loggedIn);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).code).toBe('LOGIN_CANCELLED');

    call.resolve(TOKENS);
    await flush();
    expect(session.getSnapshot()).toMatchObject({ status: 'anonymous', accessToken: null });
    expect(session.getAccessToken()).toBeNull();
    expect(storage.set).not.toHaveBeenCalled();
    expect(storage.held()).toBeNull();
  });

  it('a newer login supersedes one in flight; the older one rejects and its late result is never stored', async () => {
    const { session, storage } = await anonymousSession();
    const first = createDeferred<TokenSet>();
    const second = createDeferred<TokenSet>();
    const firstLogin = track(session.login(() => first.promise));
    await flush();
    const secondLogin = track(session.login(() => second.promise));
    await flush();

    expect((rejectionOf(firstLogin) as AuthError).code).toBe('LOGIN_CANCELLED');
    first.resolve({ accessToken: 'access-first', refreshToken: 'refresh-first' });
    await flush();
    expect(session.getSnapshot()).toMatchObject({ status: 'authenticating', accessToken: null });
    expect(storage.set).not.toHaveBeenCalled();

    second.resolve({ accessToken: 'access-second', refreshToken: 'refresh-second' });
    await flush();
    expect(secondLogin.current).toEqual({ status: 'resolved', value: undefined });
    expect(session.getSnapshot()).toMatchObject({ status: 'authenticated', accessToken: 'access-second' });
    expect(storage.set.mock.calls).toEqual([[{ accessToken: 'access-second', refreshToken: 'refresh-second' }]]);
  });

  it('login(tokens) supersedes a login function in flight', async () => {
    const { session, storage } = await anonymousSession();
    const pending = createDeferred<TokenSet>();
    const viaFunction = track(session.login(() => pending.promise));
    await flush();
    await session.login({ accessToken: 'access-direct' });
    pending.resolve({ accessToken: 'access-late' });
    await flush();

    expect((rejectionOf(viaFunction) as AuthError).code).toBe('LOGIN_CANCELLED');
    expect(session.getAccessToken()).toBe('access-direct');
    expect(storage.set.mock.calls).toEqual([[{ accessToken: 'access-direct' }]]);
  });

  it('a login during a refresh aborts the refresh and never stores its late result', async () => {
    const { session, refresh, storage } = await loggedInSession();
    const refreshed = track(session.refresh());
    await flush();
    const { signal } = refresh.last().ctx;
    await session.login({ accessToken: 'access-other-user', refreshToken: 'refresh-other-user' });

    expect(signal.aborted).toBe(true);
    refresh.last().resolve({ accessToken: 'access-late', refreshToken: 'refresh-late' });
    await flush();
    expect(session.getAccessToken()).toBe('access-other-user');
    expect(storage.set.mock.calls).toEqual([
      [{ accessToken: 'access-other-user', refreshToken: 'refresh-other-user' }],
    ]);
    // The caller that waited for the refresh gets the new session's token, not the discarded one.
    expect(refreshed.current).toEqual({ status: 'resolved', value: 'access-other-user' });
  });
});

describe('the expiry of a token set', () => {
  const jwt = makeJwt({ sub: 'user-1', exp: T0 / 1000 + 7_200 });

  it.each<[string, TokenSet, number | null]>([
    [
      'expiresAt wins over expiresIn and the JWT exp',
      { accessToken: jwt, expiresAt: T0 + 60_000, expiresIn: 900 },
      T0 + 60_000,
    ],
    ['expiresIn wins over the JWT exp, counted from now()', { accessToken: jwt, expiresIn: 900 }, T0 + 5_000 + 900_000],
    ['the JWT exp when there is no expiresAt or expiresIn', { accessToken: jwt }, T0 + 7_200_000],
    ['unknown (null) for an opaque token without expiresAt or expiresIn', { accessToken: 'opaque' }, null],
    ['expiresIn 0 means already expired (not unknown)', { accessToken: jwt, expiresIn: 0 }, T0 + 5_000],
  ])('%s', async (_, tokens, expected) => {
    // The session's clock runs 5 s ahead of the fake system clock: expiresIn must follow the `now` option.
    const { session, storage } = await anonymousSession({ now: () => Date.now() + 5_000 });
    const events = recordEvents(session);
    await session.login(tokens);

    expect(session.getSnapshot().expiresAt).toBe(expected);
    expect(events).toEqual([{ name: 'loggedIn', payload: { expiresAt: expected } }]);
    const stored = storage.set.mock.calls[0]?.[0];
    expect(stored?.expiresAt).toBe(expected ?? undefined);
    // Storage gets an absolute expiry: a relative one would be wrong when read back later.
    expect(stored).not.toHaveProperty('expiresIn');
  });

  it('the refresh result follows the same precedence', async () => {
    const { session, refresh } = await loggedInSession();
    session.tokenRejected('access-1');
    await flush();
    refresh.last().resolve({ accessToken: jwt });
    await flush();
    expect(session.getSnapshot().expiresAt).toBe(T0 + 7_200_000);
  });
});

describe('login() and the restore', () => {
  it('a session created without storage starts anonymous in memory', async () => {
    const session = createAuthSession({ refresh: vi.fn() });
    expect(session.getSnapshot().status).toBe('restoring');
    await flush();
    expect(session.getSnapshot().status).toBe('anonymous');
    await session.login(TOKENS);
    expect(session.getAccessToken()).toBe('access-1');
  });
});
