import { AuthError } from '../errors.js';

/**
 * Whether a request's URL points at an origin that may receive the token. `baseURL` is the base the
 * client resolves a relative `url` against (axios' `baseURL`); `absoluteUrlOverridesBase: false` is
 * axios' `allowAbsoluteUrls: false`, where even an absolute `url` is appended to the base.
 */
export type OriginPolicy = ((url: string, baseURL?: string, absoluteUrlOverridesBase?: boolean) => boolean) & {
  /** The allowed origins, normalised (for messages). */
  readonly origins: readonly string[];
};

export interface OriginPolicyOptions {
  /** Origins that may receive the token (`https://api.example.com`); checked and normalised here. */
  allowedOrigins?: readonly string[] | undefined;
  /** The allowed origin without a list: the origin of this URL (axios' `baseURL`), else the page's. */
  defaultBaseURL?: string | undefined;
  /** Named in errors: the function the user called (`attachAuth`, `createAuthFetch`). */
  owner: string;
  /** What the user can do when no origin can be derived, ending the error message. */
  missingOriginHint: string;
}

/**
 * The origin allow-list every adapter shares: a request resolves its URL the way its client does,
 * and only an exact origin match gets the token. A URL that cannot be placed gets no token.
 */
export function createOriginPolicy(options: OriginPolicyOptions): OriginPolicy {
  const { allowedOrigins } = options;
  if (allowedOrigins !== undefined && !Array.isArray(allowedOrigins)) {
    throw new AuthError('INVALID_OPTIONS', 'allowedOrigins must be an array of origins: ["https://api.example.com"].');
  }
  const pageOrigin = currentPageOrigin();
  const origins = new Set(
    allowedOrigins === undefined ? [defaultOrigin(options, pageOrigin)] : allowedOrigins.map(toOrigin),
  );
  const baseOriginOf = createBaseOriginCache();
  const isAllowed = (url: string, baseURL?: string, absoluteUrlOverridesBase = true): boolean => {
    const origin = requestOriginOf(url, baseURL, absoluteUrlOverridesBase, pageOrigin, baseOriginOf);
    return origin !== null && origins.has(origin);
  };
  return Object.assign(isAllowed, { origins: Object.freeze([...origins]) });
}

// Scheme-relative (`//host`) counts as absolute, as it does in browsers and in axios.
const ABSOLUTE_URL = /^(?:[a-z][a-z\d+\-.]*:)?\/\//i;

/** The origin the request will go to: `url` joined to `baseURL` as axios does, then against the page. */
function requestOriginOf(
  url: string,
  baseURL: string | undefined,
  absoluteUrlOverridesBase: boolean,
  pageOrigin: string | undefined,
  baseOriginOf: (baseURL: string) => string | null,
): string | null {
  const isAbsolute = absoluteUrlOverridesBase && ABSOLUTE_URL.test(url);
  if (isAbsolute || !baseURL) return originOrNull(url, pageOrigin);
  if (url !== '') {
    const origin = baseOriginOf(baseURL);
    if (origin !== null) return origin;
  }
  return originOrNull(joinUrl(baseURL, url), pageOrigin);
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
 * request was a third of the axios adapter's cost on the happy path. Only bases whose origin no
 * relative URL can change are kept; for any other base, and for a base that does not parse, the
 * full URL is parsed per request (null here).
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

function defaultOrigin(options: OriginPolicyOptions, pageOrigin: string | undefined): string {
  const { defaultBaseURL } = options;
  const origin = defaultBaseURL === undefined ? (pageOrigin ?? null) : originOrNull(defaultBaseURL, pageOrigin);
  if (origin === null || origin === 'null') {
    throw new AuthError(
      'INVALID_OPTIONS',
      `${options.owner} cannot tell which origin may receive the token: ${options.missingOriginHint}`,
    );
  }
  return origin;
}

function toOrigin(allowed: string): string {
  const origin = typeof allowed === 'string' ? originOrNull(allowed, undefined) : null;
  // Only http(s) origins receive tokens: `file:`, `data:` or an extension's scheme have no origin a
  // server could hold, and `ws:` connections never go through these adapters.
  if (origin !== null && !/^https?:\/\//.test(origin)) {
    throw new AuthError(
      'INVALID_OPTIONS',
      `allowedOrigins holds "${allowed}", which is not an http(s) origin: write origins as "https://api.example.com".`,
    );
  }
  if (origin === null || origin === 'null') {
    throw new AuthError(
      'INVALID_OPTIONS',
      `allowedOrigins holds "${String(allowed)}", which is not an absolute URL: write origins as "https://api.example.com".`,
    );
  }
  return origin;
}

function currentPageOrigin(): string | undefined {
  const origin = (globalThis as { location?: { origin?: unknown } }).location?.origin;
  return typeof origin === 'string' && origin !== 'null' ? origin : undefined;
}
