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
  const baseOriginOf = createBaseOriginCache();
  return (config) => {
    const origin = requestOriginOf(config, pageOrigin, baseOriginOf);
    return origin !== null && origins.has(origin);
  };
}

// Scheme-relative (`//host`) counts as absolute, as it does in browsers and in axios.
const ABSOLUTE_URL = /^(?:[a-z][a-z\d+\-.]*:)?\/\//i;

/** The origin the request will go to, resolved as axios does: `url` against `baseURL`. */
function requestOriginOf(
  config: InternalAxiosRequestConfig,
  pageOrigin: string | undefined,
  baseOriginOf: (baseURL: string) => string | null,
): string | null {
  const url = config.url ?? '';
  const isAbsolute = ABSOLUTE_URL.test(url) && config.allowAbsoluteUrls !== false;
  if (isAbsolute || !config.baseURL) return originOrNull(url, pageOrigin);
  if (url !== '') {
    const origin = baseOriginOf(config.baseURL);
    if (origin !== null) return origin;
  }
  return originOrNull(joinUrl(config.baseURL, url), pageOrigin);
}

/**
 * `http(s)://` and then a character that starts the host, with no tab or line break anywhere (the
 * URL parser drops those, which could join what we see apart). With such a base, the authority
 * begins inside the base and ends at the latest at the `/` that joinUrl puts after it: whatever
 * the relative URL holds (`\\evil.test`, `@evil.test`, `..`) lands in the path, so the request's
 * origin is the base's.
 */
const BASE_WITH_HOST = /^https?:\/\/[^/\\?#\t\n\r]/i;
const LINE_BREAK_OR_TAB = /[\t\n\r]/;
/** An app has a few baseURLs; a per-request baseURL built from data must not grow the cache forever. */
const MAX_CACHED_BASES = 32;

/**
 * The origin of each `baseURL` a relative request goes through, computed once: parsing a URL per
 * request was a third of the adapter's cost on the happy path. Only bases whose origin no relative
 * URL can change are kept; for any other base, and for a base that does not parse, the full URL is
 * parsed per request as before (null here).
 */
function createBaseOriginCache(): (baseURL: string) => string | null {
  const origins = new Map<string, string>();
  return (baseURL) => {
    const cached = origins.get(baseURL);
    if (cached !== undefined) return cached;
    if (!BASE_WITH_HOST.test(baseURL) || LINE_BREAK_OR_TAB.test(baseURL)) return null;
    const origin = originOrNull(`${baseURL.replace(/\/?\/$/, '')}/`, undefined);
    if (origin === null || origin === 'null') return null;
    if (origins.size >= MAX_CACHED_BASES) origins.clear();
    origins.set(baseURL, origin);
    return origin;
  };
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
