import { AuthError } from '@authmachine/core';
import type { AxiosInstance, InternalAxiosRequestConfig } from 'axios';

/** Decides, per request, whether its URL points at an origin that may receive the token. */
export type OriginCheck = (config: InternalAxiosRequestConfig) => boolean;

export function createOriginCheck(instance: AxiosInstance, allowedOrigins: string[] | undefined): OriginCheck {
  if (allowedOrigins !== undefined && !Array.isArray(allowedOrigins)) {
    throw new AuthError('INVALID_OPTIONS', 'allowedOrigins must be an array of origins: ["https://api.example.com"].');
  }
  const pageOrigin = currentPageOrigin();
  const origins = new Set(
    allowedOrigins === undefined
      ? [defaultOrigin(instance.defaults.baseURL, pageOrigin)]
      : allowedOrigins.map(toOrigin),
  );
  return (config) => {
    const origin = requestOriginOf(config, pageOrigin);
    return origin !== null && origins.has(origin);
  };
}

// Scheme-relative (`//host`) counts as absolute, as it does in browsers and in axios.
const ABSOLUTE_URL = /^(?:[a-z][a-z\d+\-.]*:)?\/\//i;

/** The origin the request will go to, resolved as axios does: `url` against `baseURL`. */
function requestOriginOf(config: InternalAxiosRequestConfig, pageOrigin: string | undefined): string | null {
  const url = config.url ?? '';
  const isAbsolute = ABSOLUTE_URL.test(url) && config.allowAbsoluteUrls !== false;
  const fullUrl = isAbsolute || !config.baseURL ? url : joinUrl(config.baseURL, url);
  return originOrNull(fullUrl, pageOrigin);
}

function joinUrl(baseURL: string, url: string): string {
  return url ? `${baseURL.replace(/\/?\/$/, '')}/${url.replace(/^\/+/, '')}` : baseURL;
}

function originOrNull(url: string, base: string | undefined): string | null {
  try {
    return new URL(url, base).origin;
  } catch {
    // A URL we cannot place (relative, with no base to resolve it against) gets no token.
    return null;
  }
}

function defaultOrigin(baseURL: string | undefined, pageOrigin: string | undefined): string {
  const origin = baseURL === undefined ? (pageOrigin ?? null) : originOrNull(baseURL, pageOrigin);
  if (origin === null || origin === 'null') {
    throw new AuthError(
      'INVALID_OPTIONS',
      'attachAuth cannot tell which origin may receive the token: give the axios instance an absolute baseURL, or pass allowedOrigins: ["https://api.example.com"].',
    );
  }
  return origin;
}

function toOrigin(allowed: string): string {
  const origin = originOrNull(allowed, undefined);
  if (origin === null || origin === 'null') {
    throw new AuthError(
      'INVALID_OPTIONS',
      `allowedOrigins holds "${allowed}", which is not an absolute URL: write origins as "https://api.example.com".`,
    );
  }
  return origin;
}

function currentPageOrigin(): string | undefined {
  const origin = (globalThis as { location?: { origin?: unknown } }).location?.origin;
  return typeof origin === 'string' && origin !== 'null' ? origin : undefined;
}
