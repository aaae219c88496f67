import type { AuthSession } from '@authmachine/core';
import { type AuthFetchOptions, createAuthFetch, type SKIP_AUTH_HEADER, skipAuth } from '@authmachine/fetch';
import { describe, expectTypeOf, it } from 'vitest';

declare const session: AuthSession;

describe('createAuthFetch', () => {
  it('takes a session and optional options, and returns a fetch', () => {
    expectTypeOf(createAuthFetch).parameters.toEqualTypeOf<[AuthSession, (AuthFetchOptions | undefined)?]>();
    expectTypeOf(createAuthFetch(session)).toEqualTypeOf<typeof fetch>();
  });

  it('does not accept what is not a session', () => {
    // @ts-expect-error a session is required
    createAuthFetch();
    // @ts-expect-error a session is required
    createAuthFetch({});
  });
});

describe('AuthFetchOptions', () => {
  it('has exactly the documented optional fields, each of which takes undefined', () => {
    expectTypeOf<AuthFetchOptions>().toEqualTypeOf<{
      fetch?: typeof fetch | undefined;
      allowedOrigins?: string[] | undefined;
      shouldRefresh?: ((response: Response, request: Request) => boolean) | undefined;
      headerName?: string | undefined;
      scheme?: string | undefined;
      queueTimeout?: number | undefined;
    }>();
  });

  it('takes each option held as `T | undefined` as it is: undefined means the default (exactOptionalPropertyTypes)', () => {
    const config: {
      fetch?: typeof fetch | undefined;
      allowedOrigins?: string[] | undefined;
      shouldRefresh?: ((response: Response) => boolean) | undefined;
      headerName?: string | undefined;
      scheme?: string | undefined;
      queueTimeout?: number | undefined;
    } = {};
    createAuthFetch(session, {
      fetch: config.fetch,
      allowedOrigins: config.allowedOrigins,
      shouldRefresh: config.shouldRefresh,
      headerName: config.headerName,
      scheme: config.scheme,
      queueTimeout: config.queueTimeout,
    });
    createAuthFetch(session, { allowedOrigins: ['https://api.example.com'], queueTimeout: undefined });
  });

  it('rejects unknown fields and wrong types', () => {
    // @ts-expect-error no such option
    createAuthFetch(session, { allowedOrigin: ['https://api.example.com'] });
    // @ts-expect-error origins are an array
    createAuthFetch(session, { allowedOrigins: 'https://api.example.com' });
    // @ts-expect-error queueTimeout is a number of ms
    createAuthFetch(session, { queueTimeout: '5s' });
    // @ts-expect-error shouldRefresh answers with a boolean
    createAuthFetch(session, { shouldRefresh: () => 'yes' });
    // @ts-expect-error null is not "the default": leave the option out, or pass undefined
    createAuthFetch(session, { queueTimeout: null });
  });
});

describe('skipAuth', () => {
  it('marks any HeadersInit, or none', () => {
    expectTypeOf(skipAuth).toEqualTypeOf<(headers?: HeadersInit) => Headers>();
    expectTypeOf(skipAuth).toBeCallableWith(undefined);
    expectTypeOf(skipAuth).toBeCallableWith({ accept: 'application/json' });
    expectTypeOf<typeof SKIP_AUTH_HEADER>().toEqualTypeOf<'x-authmachine-skip-auth'>();
  });
});
