import { AuthError, createAuthSession } from '@authmachine/core';
import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => vi.restoreAllMocks());

describe('options a JavaScript caller got wrong', () => {
  it('an unknown option of createAuthSession warns once, naming it and the options there are', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const options = { refresh: async () => ({ accessToken: 'a' }), refreshLeway: 5_000 } as never;
    createAuthSession(options).stop();
    createAuthSession(options).stop();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toMatch(/createAuthSession has no option "refreshLeway".*refreshLeeway/);
  });

  it('known options, also given as undefined, warn nothing', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    createAuthSession({
      refresh: async () => ({ accessToken: 'a' }),
      refreshTimeout: undefined,
      revoke: undefined,
    }).stop();
    expect(warn).not.toHaveBeenCalled();
  });

  it('a wrong refresh is an INVALID_OPTIONS error that says what to pass', () => {
    expect(() => createAuthSession({} as never)).toThrow(AuthError);
    expect(() => createAuthSession(undefined as never)).toThrow(/refresh must be a function/);
  });
});
