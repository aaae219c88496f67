import { type AttachAuthOptions, attachAuth, type DetachAuth, isTokenRejected } from '@authmachine/axios';
import type { AuthSession } from '@authmachine/core';
import axios, {
  type AxiosError,
  type AxiosInstance,
  type AxiosRequestConfig,
  type CreateAxiosDefaults,
  type InternalAxiosRequestConfig,
} from 'axios';
import { describe, expectTypeOf, it } from 'vitest';

declare const session: AuthSession;

type IsIdentical<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
declare const api: AxiosInstance;

describe('skipAuth on axios request configs (module augmentation, from importing @authmachine/axios)', () => {
  it('is an optional boolean on the config users write and on the one interceptors receive', () => {
    expectTypeOf<AxiosRequestConfig['skipAuth']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<InternalAxiosRequestConfig['skipAuth']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<CreateAxiosDefaults>().toHaveProperty('skipAuth');
  });

  it('is accepted without a cast by every request method and by request()', () => {
    void api.post('/auth/refresh', { refreshToken: 'r' }, { skipAuth: true });
    void api.get('/public', { skipAuth: true });
    void api.request({ url: '/auth/login', method: 'post', skipAuth: false });
    void axios.get('/public', { skipAuth: true });
    api.interceptors.request.use((config) => {
      expectTypeOf(config.skipAuth).toEqualTypeOf<boolean | undefined>();
      return config;
    });
  });

  it('rejects a value that is not a boolean', () => {
    // @ts-expect-error skipAuth is a boolean
    void api.get('/public', { skipAuth: 'yes' });
  });
});

describe('attachAuth', () => {
  it('takes an instance, a session and optional options, and returns detach()', () => {
    // Identity by TypeScript's own check: expect-type's deep comparison trips over XState's types in AuthSession.
    expectTypeOf<
      IsIdentical<Parameters<typeof attachAuth>, [AxiosInstance, AuthSession, (AttachAuthOptions | undefined)?]>
    >().toEqualTypeOf<true>();
    expectTypeOf(attachAuth).returns.toEqualTypeOf<DetachAuth>();
    expectTypeOf<DetachAuth>().toEqualTypeOf<() => void>();
    expectTypeOf(attachAuth(api, session)).toEqualTypeOf<() => void>();
  });

  it('does not accept what is not an axios instance or a session', () => {
    // @ts-expect-error an instance is required
    attachAuth({}, session);
    // @ts-expect-error a session is required
    attachAuth(api);
  });
});

describe('AttachAuthOptions', () => {
  it('has exactly the documented optional fields', () => {
    expectTypeOf<AttachAuthOptions>().toEqualTypeOf<{
      shouldRefresh?: ((error: AxiosError) => boolean) | undefined;
      allowedOrigins?: string[] | undefined;
      headerName?: string | undefined;
      scheme?: string | undefined;
      queueTimeout?: number | undefined;
    }>();
  });

  it('accepts every field, and isTokenRejected as shouldRefresh', () => {
    const options: AttachAuthOptions = {
      shouldRefresh: isTokenRejected,
      allowedOrigins: ['https://api.example.com'],
      headerName: 'Authorization',
      scheme: 'Bearer',
      queueTimeout: 5_000,
    };
    attachAuth(api, session, options);
    attachAuth(api, session, {});
  });

  it('takes each option held as `T | undefined` as it is: undefined means the default (exactOptionalPropertyTypes)', () => {
    const config: {
      shouldRefresh?: ((error: AxiosError) => boolean) | undefined;
      allowedOrigins?: string[] | undefined;
      headerName?: string | undefined;
      scheme?: string | undefined;
      queueTimeout?: number | undefined;
    } = {};
    attachAuth(api, session, {
      shouldRefresh: config.shouldRefresh,
      allowedOrigins: config.allowedOrigins,
      headerName: config.headerName,
      scheme: config.scheme,
      queueTimeout: config.queueTimeout,
    });
    attachAuth(api, session, { scheme: undefined, queueTimeout: undefined });
    const skipAuth: boolean | undefined = config.queueTimeout === undefined ? undefined : true;
    void api.get('/public', { skipAuth });
  });

  it('rejects unknown fields and wrong types', () => {
    // @ts-expect-error no such option
    attachAuth(api, session, { allowedOrigin: ['https://api.example.com'] });
    // @ts-expect-error origins are an array
    attachAuth(api, session, { allowedOrigins: 'https://api.example.com' });
    // @ts-expect-error queueTimeout is a number of ms
    attachAuth(api, session, { queueTimeout: '5s' });
    // @ts-expect-error shouldRefresh answers with a boolean
    attachAuth(api, session, { shouldRefresh: () => 'yes' });
    // @ts-expect-error null is not "the default": leave the option out, or pass undefined
    attachAuth(api, session, { queueTimeout: null });
  });
});

describe('isTokenRejected', () => {
  it('is a predicate over an AxiosError', () => {
    expectTypeOf(isTokenRejected).toEqualTypeOf<(error: AxiosError) => boolean>();
  });
});
