import { checkQueueTimeout, createOriginPolicy, isTokenRejection, toAuthHeaderFormat } from '@authmachine/core';
import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => vi.unstubAllGlobals());

const owner = { owner: 'createAuthFetch', missingOriginHint: 'pass allowedOrigins.' };

describe('createOriginPolicy', () => {
  it('gives the token to listed origins only, resolving relative URLs against the page', () => {
    vi.stubGlobal('location', { origin: 'https://app.test' });
    const isAllowed = createOriginPolicy({
      ...owner,
      allowedOrigins: ['https://api.test/ignored/path', 'https://app.test'],
    });
    expect(isAllowed('https://api.test/items')).toBe(true);
    expect(isAllowed('HTTPS://API.TEST:443/items')).toBe(true);
    expect(isAllowed('/items')).toBe(true);
    expect(isAllowed('//evil.test/items')).toBe(false);
    expect(isAllowed('https://api.test.evil.test/')).toBe(false);
    expect(isAllowed('http://api.test/items')).toBe(false);
  });

  it('defaults to the base URL’s origin, else the page’s; without either it says what to pass, naming its caller', () => {
    expect(
      createOriginPolicy({ ...owner, defaultBaseURL: 'https://api.test/v1' })('items', 'https://api.test/v1'),
    ).toBe(true);
    expect(() => createOriginPolicy(owner)).toThrow(
      expect.objectContaining({
        code: 'INVALID_OPTIONS',
        message: expect.stringMatching(/^createAuthFetch .*allowedOrigins/),
      }),
    );
    vi.stubGlobal('location', { origin: 'https://app.test' });
    expect(createOriginPolicy(owner)('/x')).toBe(true);
  });

  it('a base URL joins like axios: a relative URL cannot leave the base’s origin; allowAbsoluteUrls: false keeps absolute ones under it', () => {
    const isAllowed = createOriginPolicy({ ...owner, allowedOrigins: ['https://api.test'] });
    expect(isAllowed('@evil.test/x', 'https://api.test')).toBe(true);
    expect(isAllowed('https://evil.test/x', 'https://api.test')).toBe(false);
    expect(isAllowed('https://evil.test/x', 'https://api.test', false)).toBe(true);
  });

  it('rejects a list that is not one, and entries that are not absolute URLs', () => {
    expect(() => createOriginPolicy({ ...owner, allowedOrigins: 'https://api.test' as never })).toThrow(
      /must be an array/,
    );
    expect(() => createOriginPolicy({ ...owner, allowedOrigins: ['api.test'] })).toThrow(
      /"api.test", which is not an absolute URL/,
    );
    expect(() => createOriginPolicy({ ...owner, allowedOrigins: [42 as never] })).toThrow(/not an absolute URL/);
  });

  it.each(['ftp://files.test', 'file:///etc/passwd', 'chrome-extension://abcdef', 'ws://api.test'])(
    'rejects %s: only http(s) origins receive the token',
    (allowed) => {
      expect(() => createOriginPolicy({ ...owner, allowedOrigins: [allowed] })).toThrow(/not an http\(s\) origin/);
    },
  );
});

describe('isTokenRejection(status, wwwAuthenticate)', () => {
  it.each([
    [401, null, true],
    [401, 'Bearer realm="api"', true],
    [401, 'Bearer error="invalid_token", error_description="expired"', true],
    [401, 'Bearer error=invalid_token', true],
    [401, 'Bearer error="insufficient_scope"', false],
    [401, 'Bearer error="invalid_request"', false],
    [401, 'Bearer error_description="error=invalid_token", error="insufficient_scope"', false],
    [403, null, false],
    [400, null, false],
    [undefined, null, false],
  ])('%s with %s → %s', (status, challenge, expected) => {
    expect(isTokenRejection(status, challenge)).toBe(expected);
  });
});

describe('the options every adapter checks alike', () => {
  it('header format: Bearer by default, a bare token with scheme "", clear errors otherwise', () => {
    expect(toAuthHeaderFormat().valueFor('t')).toBe('Bearer t');
    expect(toAuthHeaderFormat(' X-Token ', '').name).toBe('X-Token');
    expect(toAuthHeaderFormat('X-Token', '').valueFor('t')).toBe('t');
    expect(() => toAuthHeaderFormat('  ')).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
    expect(() => toAuthHeaderFormat('Authorization', 7)).toThrow(/scheme must be a string/);
  });

  it('queueTimeout: absent, or a positive number of ms', () => {
    expect(checkQueueTimeout(undefined)).toBeUndefined();
    expect(checkQueueTimeout(250)).toBe(250);
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, '100']) {
      expect(() => checkQueueTimeout(bad)).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
    }
  });
});
