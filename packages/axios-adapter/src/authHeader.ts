import { AuthError } from '@authmachine/core';
import { AxiosHeaders, type InternalAxiosRequestConfig } from 'axios';

/** The header this library writes: its name, and how a token becomes its value. */
export interface AuthHeader {
  set(config: InternalAxiosRequestConfig, token: string): void;
  /** A copy of the request's headers without ours, for a retry that must not resend the old token. */
  headersWithout(config: InternalAxiosRequestConfig): AxiosHeaders;
}

export function createAuthHeader(name = 'Authorization', scheme = 'Bearer'): AuthHeader {
  if (typeof name !== 'string' || name.trim() === '') {
    throw new AuthError('INVALID_OPTIONS', 'headerName must be a header name such as "Authorization".');
  }
  if (typeof scheme !== 'string') {
    throw new AuthError('INVALID_OPTIONS', 'scheme must be a string such as "Bearer" ("" sends the bare token).');
  }
  const prefix = scheme === '' ? '' : `${scheme} `;
  return {
    set(config, token) {
      config.headers.set(name, prefix + token);
    },
    headersWithout(config) {
      const headers = new AxiosHeaders(config.headers);
      headers.delete(name);
      return headers;
    },
  };
}
