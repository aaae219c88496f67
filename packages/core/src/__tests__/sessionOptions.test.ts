import { AuthError, type AuthSessionOptions, createAuthSession } from '@authmachine/core';
import { describe, expect, it, vi } from 'vitest';
import { flush, useFakeClock } from './support/testKit.js';

useFakeClock();

const refresh = async () => ({ accessToken: 'access-2' });

/** What createAuthSession threw for these options (a JavaScript caller can pass anything). */
function thrownBy(options: unknown): unknown {
  try {
    createAuthSession(options as AuthSessionOptions);
  } catch (error) {
    return error;
  }
  throw new Error('createAuthSession did not throw');
}

describe('createAuthSession options', () => {
  it.each<[string, unknown, RegExp]>([
    ['no options at all', undefined, /refresh/],
    ['no refresh', {}, /refresh/],
    ['refresh that is not a function', { refresh: 'https://auth.example.com/refresh' }, /refresh/],
    ['storage without methods', { refresh, storage: {} }, /storage/],
    ['storage without clear()', { refresh, storage: { get: () => null, set: () => undefined } }, /storage/],
    [
      'storage whose get is not a function',
      { refresh, storage: { get: null, set: () => undefined, clear: () => undefined } },
      /storage/,
    ],
    ['storage null', { refresh, storage: null }, /storage/],
    ['a negative refreshLeeway', { refresh, refreshLeeway: -1 }, /refreshLeeway/],
    ['refreshLeeway NaN', { refresh, refreshLeeway: Number.NaN }, /refreshLeeway/],
    ['refreshLeeway true', { refresh, refreshLeeway: true }, /refreshLeeway/],
    ['refreshLeeway as a string', { refresh, refreshLeeway: '30s' }, /refreshLeeway/],
    ['refreshTimeout 0', { refresh, refreshTimeout: 0 }, /refreshTimeout/],
    ['a negative refreshTimeout', { refresh, refreshTimeout: -5 }, /refreshTimeout/],
    ['refreshTimeout Infinity', { refresh, refreshTimeout: Number.POSITIVE_INFINITY }, /refreshTimeout/],
    ['refreshTimeout as a string', { refresh, refreshTimeout: '10000' }, /refreshTimeout/],
    ['a negative refreshRetries', { refresh, refreshRetries: -1 }, /refreshRetries/],
    ['fractional refreshRetries', { refresh, refreshRetries: 1.5 }, /refreshRetries/],
    ['refreshRetries NaN', { refresh, refreshRetries: Number.NaN }, /refreshRetries/],
  ])('%s → AuthError INVALID_OPTIONS naming the option', (_, options, named) => {
    const error = thrownBy(options);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).code).toBe('INVALID_OPTIONS');
    expect((error as AuthError).message).toMatch(named);
  });

  it('accepts valid edge values', async () => {
    const session = createAuthSession({
      refresh,
      refreshLeeway: false,
      refreshTimeout: 1,
      refreshRetries: 0,
      storage: { get: () => null, set: () => undefined, clear: () => undefined },
      isSessionEnded: () => false,
      now: () => Date.now(),
    });
    await flush();
    expect(session.getSnapshot().status).toBe('anonymous');
    session.stop();
    expect(() => createAuthSession({ refresh, refreshLeeway: 0 })).not.toThrow();
  });

  it('accepts explicitly undefined options as the defaults', async () => {
    const session = createAuthSession({
      refresh,
      refreshLeeway: undefined,
      refreshRetries: undefined,
    } as unknown as AuthSessionOptions);
    await session.login({ accessToken: 'access-1', refreshToken: 'refresh-1', expiresIn: 3600 });
    // The default leeway (30 s) applies: one proactive timer runs.
    expect(vi.getTimerCount()).toBe(1);
  });

  it('does not call the refresh function or read storage before a valid session exists', () => {
    const refreshFn = vi.fn();
    const get = vi.fn(() => null);
    thrownBy({
      refresh: refreshFn,
      storage: { get, set: () => undefined, clear: () => undefined },
      refreshRetries: -1,
    });
    expect(refreshFn).not.toHaveBeenCalled();
    expect(get).not.toHaveBeenCalled();
  });
});
