import { createRequire } from 'node:module';
import {
  AuthError,
  createAuthSession,
  InvalidTokenResponseError,
  SessionExpiredError,
  TokenRefreshError,
  webStorage,
} from '@authmachine/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flush, loggedInSession, makeJwt, recordEvents, rejectionOf, T0, track } from './support/testKit.js';

const ACCESS = makeJwt({ sub: 'user-1', exp: T0 / 1000 + 3600, secret: 'access-secret-4b1d' });
const REFRESH = 'refresh-secret-77aa';

describe('error classes', () => {
  it.each([
    ['SessionExpiredError', new SessionExpiredError(), 'SESSION_EXPIRED'],
    ['TokenRefreshError', new TokenRefreshError(new Error('down')), 'REFRESH_FAILED'],
    ['InvalidTokenResponseError', new InvalidTokenResponseError('accessToken is missing'), 'INVALID_TOKEN_RESPONSE'],
    ['AuthError', new AuthError('SESSION_STOPPED', 'stopped'), 'SESSION_STOPPED'],
  ])('%s is an Error and an AuthError with its stable code and name', (name, error, code) => {
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(AuthError);
    expect(error.code).toBe(code);
    expect(error.name).toBe(name);
    expect(error.message).not.toBe('');
  });

  it('TokenRefreshError keeps the original failure as its cause', () => {
    const cause = new TypeError('fetch failed');
    expect(new TokenRefreshError(cause).cause).toBe(cause);
  });

  it('SessionExpiredError takes an optional message and cause', () => {
    const cause = { status: 401 };
    const error = new SessionExpiredError('Log in again.', { cause });
    expect(error.message).toBe('Log in again. (The server answered HTTP 401.)');
    expect(new SessionExpiredError('Log in again.').message).toBe('Log in again.');
    expect(error.cause).toBe(cause);
  });

  it('the subclasses are told apart with instanceof', () => {
    expect(new SessionExpiredError()).not.toBeInstanceOf(TokenRefreshError);
    expect(new TokenRefreshError(null)).not.toBeInstanceOf(SessionExpiredError);
    expect(new InvalidTokenResponseError('x')).not.toBeInstanceOf(TokenRefreshError);
  });

  it.each([
    ['an Error whose message quotes the token', new Error(`401 for ${ACCESS} with ${REFRESH}`)],
    ['an object holding the tokens', { accessToken: ACCESS, refreshToken: REFRESH, status: 500 }],
    ['the token itself', ACCESS],
    ['an AuthError quoting the token', new AuthError('REFRESH_FAILED', `bad ${REFRESH}`)],
  ])('TokenRefreshError never puts a token from its cause into its message: %s', (_, cause) => {
    const error = new TokenRefreshError(cause);
    expect(error.message).not.toContain(ACCESS);
    expect(error.message).not.toContain(REFRESH);
    expect(error.message).not.toContain('access-secret');
  });
});

describe('messages that say what the server answered', () => {
  it('SessionExpiredError names the status and the OAuth error and description; the cause stays', () => {
    const cause = {
      response: { status: 400, data: { error: 'invalid_grant', error_description: 'Token is not active' } },
    };
    const error = new SessionExpiredError('The server rejected the refresh token: log in again.', { cause });
    expect(error.message).toBe(
      'The server rejected the refresh token: log in again. (The server answered HTTP 400, invalid_grant: Token is not active.)',
    );
    expect(error.cause).toBe(cause);
  });

  it('TokenRefreshError names the kind of failure and the status', () => {
    const cause = Object.assign(new Error('Request failed with status code 503'), {
      name: 'AxiosError',
      response: { status: 503 },
    });
    expect(new TokenRefreshError(cause).message).toContain('(AxiosError, HTTP 503)');
    expect(
      new TokenRefreshError({
        status: 400,
        body: { error: 'invalid_request', error_description: 'refreshToken missing' },
      }).message,
    ).toContain('HTTP 400, invalid_request: refreshToken missing');
  });

  it('masks anything token-like a server echoes in its description, and control characters', () => {
    const cause = {
      status: 400,
      data: { error: 'invalid_grant', error_description: `grant ${REFRESH}-0123456789 of ${ACCESS}\nrevoked` },
    };
    const message = new SessionExpiredError('Ended.', { cause }).message;
    expect(message).not.toContain(REFRESH);
    expect(message).not.toContain(ACCESS.slice(0, 20));
    expect(message).not.toContain('\n');
    expect(message).toContain('invalid_grant: grant … of … revoked');
  });

  it("the session ends with the server's reason in its SessionExpiredError", async () => {
    vi.useFakeTimers({ now: T0 });
    try {
      const { session, refresh } = await loggedInSession();
      const refreshed = track(session.refresh());
      await flush();
      refresh.last().reject({
        response: { status: 400, data: { error: 'invalid_grant', error_description: 'Session not active' } },
      });
      await flush();
      const error = rejectionOf(refreshed);
      expect(error).toBeInstanceOf(SessionExpiredError);
      expect((error as Error).message).toContain('HTTP 400, invalid_grant: Session not active');
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('error classes across two copies of the package (a require and an import in one app)', () => {
  // The built CommonJS copy next to the ESM source these tests import: two copies of every class.
  const commonJs = createRequire(import.meta.url)('../../dist/index.cjs') as typeof import('@authmachine/core');

  it('instanceof recognises an error of the other copy, both ways', () => {
    expect(commonJs.SessionExpiredError).not.toBe(SessionExpiredError);
    expect(new commonJs.SessionExpiredError()).toBeInstanceOf(SessionExpiredError);
    expect(new commonJs.SessionExpiredError()).toBeInstanceOf(AuthError);
    expect(new SessionExpiredError()).toBeInstanceOf(commonJs.SessionExpiredError);
    expect(new TokenRefreshError(null)).toBeInstanceOf(commonJs.AuthError);
    expect(new commonJs.InvalidTokenResponseError('x')).toBeInstanceOf(InvalidTokenResponseError);
  });

  it('and still tells the classes apart, and plain errors from ours', () => {
    expect(new commonJs.TokenRefreshError(null)).not.toBeInstanceOf(SessionExpiredError);
    expect(new SessionExpiredError()).not.toBeInstanceOf(commonJs.TokenRefreshError);
    expect(new Error('SessionExpiredError')).not.toBeInstanceOf(SessionExpiredError);
    expect({ name: 'SessionExpiredError', code: 'SESSION_EXPIRED' }).not.toBeInstanceOf(AuthError);
    expect(null).not.toBeInstanceOf(AuthError);
  });
});

describe('errors raised by a session', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: T0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** The library's own messages along an error's cause chain (the app's own errors are theirs to word). */
  function libraryMessages(error: unknown): string[] {
    const messages: string[] = [];
    let current = error;
    while (current instanceof AuthError) {
      messages.push(current.message);
      current = current.cause;
    }
    return messages;
  }

  it('never puts a token into any message, whatever the failure', async () => {
    const collected: unknown[] = [];
    const { session, refresh } = await loggedInSession({ accessToken: ACCESS, refreshToken: REFRESH });
    const events = recordEvents(session);
    const collect = <T>(promise: Promise<T>): Promise<void> =>
      promise.then(
        () => undefined,
        (error: unknown) => {
          collected.push(error);
        },
      );

    // A transient failure whose error quotes both tokens.
    const transient = collect(session.refresh());
    await flush();
    refresh.last().reject(new Error(`upstream said no to ${REFRESH} / ${ACCESS}`));
    await vi.advanceTimersByTimeAsync(60_000);
    refresh.last().reject(new Error(`again ${REFRESH}`));
    await vi.advanceTimersByTimeAsync(60_000);
    refresh.last().reject(Object.assign(new Error('down'), { accessToken: ACCESS }));
    await transient;

    // A malformed result that holds the tokens in the wrong fields.
    const malformed = collect(session.refresh());
    await flush();
    refresh.last().resolve({ accessToken: 42, refreshToken: REFRESH, token: ACCESS });
    await malformed;

    // A timeout.
    const timedOut = collect(session.refresh());
    await vi.advanceTimersByTimeAsync(120_000);
    await timedOut;

    // The end of the session.
    const ended = collect(session.refresh());
    await flush();
    refresh.last().reject({ response: { status: 401, data: { error: 'invalid_grant', token: REFRESH } } });
    await ended;

    // A garbage login result and garbage tokens.
    await collect(session.login(async () => ({ token: ACCESS, refresh_token: REFRESH }) as never));
    await collect(session.login({ accessToken: '', refreshToken: REFRESH }));
    await collect(session.login({ accessToken: ACCESS, refreshToken: REFRESH, expiresIn: Number.NaN }));
    // Commands after stop().
    session.stop();
    await collect(session.refresh());

    for (const { payload } of events) collected.push((payload as { error?: unknown }).error);
    const messages = collected.flatMap(libraryMessages);
    expect(messages.length).toBeGreaterThanOrEqual(10);
    for (const message of messages) {
      expect(message).not.toContain(ACCESS);
      expect(message).not.toContain(REFRESH);
      expect(message).not.toContain('access-secret');
    }
    // What the user sees were the errors documented for each case.
    expect(collected.map((error) => (error instanceof AuthError ? error.code : error))).toEqual(
      expect.arrayContaining(['REFRESH_FAILED', 'SESSION_EXPIRED', 'INVALID_TOKEN_RESPONSE', 'SESSION_STOPPED']),
    );
  });

  it('does not quote a stored value that is not JSON in the storage error message', async () => {
    const raw = `not-json ${REFRESH}`;
    const local = { getItem: () => raw, setItem: () => undefined, removeItem: () => undefined };
    const session = createAuthSession({ refresh: vi.fn(), storage: webStorage(local) });
    const events = recordEvents(session);
    const waited = track(session.waitForAccessToken());
    await flush();

    expect(waited.current).toEqual({ status: 'resolved', value: null });
    const error = session.getSnapshot().error;
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).code).toBe('STORAGE_FAILED');
    expect((error as AuthError).message).not.toContain(REFRESH);
    expect(events).toEqual([{ name: 'storageFailed', payload: { error } }]);
  });
});
