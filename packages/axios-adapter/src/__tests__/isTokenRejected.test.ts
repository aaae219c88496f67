import { isTokenRejected } from '@authmachine/axios';
import { AxiosError, AxiosHeaders, type InternalAxiosRequestConfig, type RawAxiosResponseHeaders } from 'axios';
import { describe, expect, it } from 'vitest';

const config = { headers: new AxiosHeaders(), url: '/api/me', method: 'get' } as InternalAxiosRequestConfig;

function answered(status: number, headers: AxiosHeaders | RawAxiosResponseHeaders = new AxiosHeaders()): AxiosError {
  return new AxiosError(
    `Request failed with status code ${status}`,
    'ERR_BAD_REQUEST',
    config,
    {},
    {
      status,
      statusText: '',
      headers,
      config,
      data: {},
    },
  );
}

function challenged(status: number, challenge: string): AxiosError {
  return answered(status, new AxiosHeaders({ 'WWW-Authenticate': challenge }));
}

describe('isTokenRejected: a 401 means "get a new token" unless the server names another problem', () => {
  it('a plain 401 (no WWW-Authenticate) is a rejected token', () => {
    expect(isTokenRejected(answered(401))).toBe(true);
  });

  it.each([
    ['Bearer error="invalid_token"'],
    ['Bearer realm="api", error="invalid_token", error_description="The access token expired"'],
    ['Bearer error=invalid_token'],
    ['Bearer realm="api"'],
    [''],
  ])('401 with WWW-Authenticate: %s → refresh', (challenge) => {
    expect(isTokenRejected(challenged(401, challenge))).toBe(true);
  });

  it.each([
    ['Bearer error="insufficient_scope"'],
    ['Bearer realm="api", error="insufficient_scope", scope="admin"'],
    ['Bearer error="invalid_request"'],
    ['Bearer error=insufficient_scope'],
    ['Bearer ERROR = "insufficient_scope"'],
    // The description merely mentions invalid_token; the error parameter is what counts.
    ['Bearer error_description="invalid_token is not the problem", error="insufficient_scope"'],
    ['Bearer error="insufficient_scope", error_description="not an invalid_token"'],
    // A quoted description may even contain `error=`: it is part of the quoted value, not a parameter.
    ['Bearer error_description="send error=invalid_token again and see", error="insufficient_scope"'],
  ])('401 with WWW-Authenticate: %s → no refresh (a new token would not help)', (challenge) => {
    expect(isTokenRejected(challenged(401, challenge))).toBe(false);
  });

  it('reads the header whatever its case, from AxiosHeaders', () => {
    expect(
      isTokenRejected(answered(401, new AxiosHeaders({ 'www-authenticate': 'Bearer error="invalid_request"' }))),
    ).toBe(false);
    expect(
      isTokenRejected(answered(401, new AxiosHeaders({ 'WWW-AUTHENTICATE': 'Bearer error="invalid_request"' }))),
    ).toBe(false);
  });

  it('reads the header from the plain-object headers of a custom adapter, whatever its case', () => {
    expect(isTokenRejected(answered(401, { 'www-authenticate': 'Bearer error="insufficient_scope"' }))).toBe(false);
    expect(isTokenRejected(answered(401, { 'WWW-Authenticate': 'Bearer error="insufficient_scope"' }))).toBe(false);
    expect(isTokenRejected(answered(401, { 'WWW-Authenticate': 'Bearer error="invalid_token"' }))).toBe(true);
    expect(isTokenRejected(answered(401, {}))).toBe(true);
  });

  it.each([
    [403, 'Bearer error="invalid_token"'],
    [403, 'Bearer error="insufficient_scope"'],
    [400, 'Bearer error="invalid_token"'],
    [500, ''],
  ])('%i never refreshes, even with WWW-Authenticate: %s', (status, challenge) => {
    expect(isTokenRejected(challenged(status, challenge))).toBe(false);
  });

  it('403 without any header never refreshes', () => {
    expect(isTokenRejected(answered(403))).toBe(false);
  });

  it('a network error (no response at all) never refreshes', () => {
    const networkError = new AxiosError('Network Error', AxiosError.ERR_NETWORK, config, {});
    expect(networkError.response).toBeUndefined();
    expect(isTokenRejected(networkError)).toBe(false);
  });

  it('a timeout never refreshes', () => {
    expect(isTokenRejected(new AxiosError('timeout of 10ms exceeded', AxiosError.ECONNABORTED, config, {}))).toBe(
      false,
    );
  });
});
