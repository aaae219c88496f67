// An app as a user writes it, against the packages as npm ships them: `check.mjs` compiles this
// file with each TypeScript the library supports, and fails on any type error, in our .d.ts files too.
import { attachAuth, isTokenRejected } from '@authmachine/axios';
import {
  type AuthSession,
  type AuthSessionOptions,
  type CrossTabOptions,
  createAuthSession,
  inProcessLocks,
  memoryStorage,
  type ServerAuthState,
  type TokenSet,
  type TokenStorage,
  webStorage,
} from '@authmachine/core';
import { type AuthFetchOptions, createAuthFetch, skipAuth } from '@authmachine/fetch';
import { Authenticated, AuthProvider, type AuthProviderProps, useAuth, useAuthSelector } from '@authmachine/react';
import axios from 'axios';
import { createElement, type ReactElement } from 'react';

/** A token endpoint's body (RFC 6749 §5.1): refresh_token and expires_in may be missing. */
interface TokenResponse {
  access_token: string;
  token_type: string;
  refresh_token?: string | undefined;
  expires_in?: number | undefined;
}

/** The app's settings, each of which may be unset. */
interface AppConfig {
  apiOrigin?: string | undefined;
  refreshTimeout?: number | undefined;
  refreshRetries?: number | undefined;
  refreshLeeway?: number | false | undefined;
  storage?: TokenStorage | undefined;
  crossTab?: boolean | CrossTabOptions | undefined;
  tabName?: string | undefined;
  queueTimeout?: number | undefined;
  scheme?: string | undefined;
  serverState?: ServerAuthState | undefined;
}

const config: AppConfig = { apiOrigin: 'https://api.example.com', refreshTimeout: 5_000 };

function toTokenSet(body: TokenResponse): TokenSet {
  return { accessToken: body.access_token, refreshToken: body.refresh_token, expiresIn: body.expires_in };
}

async function postForm(url: string, form: Record<string, string>, signal: AbortSignal): Promise<TokenResponse> {
  const response = await fetch(url, { method: 'POST', body: new URLSearchParams(form), signal, headers: skipAuth() });
  return (await response.json()) as TokenResponse;
}

const options: AuthSessionOptions = {
  refresh: async ({ refreshToken, signal }) =>
    toTokenSet(await postForm('/oauth/token', { grant_type: 'refresh_token', refresh_token: refreshToken }, signal)),
  storage: config.storage,
  refreshTimeout: config.refreshTimeout,
  refreshRetries: config.refreshRetries,
  refreshLeeway: config.refreshLeeway,
  crossTab: config.crossTab,
};

export const session: AuthSession = createAuthSession(options);
export const oauthSession: AuthSession = createAuthSession({
  refresh: ({ refreshToken, signal }) =>
    postForm('/oauth/token', { grant_type: 'refresh_token', refresh_token: refreshToken }, signal),
  refreshTimeout: config.refreshTimeout,
});
export const sharedSession: AuthSession = createAuthSession({
  refresh: async () => ({ accessToken: 'a', refreshToken: undefined, expiresAt: undefined }),
  storage: typeof localStorage === 'undefined' ? memoryStorage() : webStorage(localStorage),
  crossTab: { name: config.tabName, locks: inProcessLocks(), handoffDelay: undefined },
});

export async function logIn(body: TokenResponse): Promise<string | null> {
  await session.login(toTokenSet(body));
  await session.login(async () => ({ accessToken: body.access_token, expiresIn: body.expires_in }));
  await session.login(body); // the RFC 6749 body as it came
  return session.waitForAccessToken({ signal: undefined, timeout: config.queueTimeout });
}

const allowedOrigins = config.apiOrigin === undefined ? undefined : [config.apiOrigin];
// axios' own options do not take undefined under exactOptionalPropertyTypes: its baseURL is given or left out.
const api = axios.create(config.apiOrigin === undefined ? {} : { baseURL: config.apiOrigin });
export const detach: () => void = attachAuth(api, session, {
  allowedOrigins,
  queueTimeout: config.queueTimeout,
  scheme: config.scheme,
  shouldRefresh: isTokenRejected,
});
export const loadPublic = (): Promise<unknown> => api.get('/public', { skipAuth: true });

const fetchOptions: AuthFetchOptions = { allowedOrigins, queueTimeout: config.queueTimeout, fetch: undefined };
export const authFetch: typeof fetch = createAuthFetch(session, fetchOptions);

function Status(): ReactElement {
  const { status, logout } = useAuth();
  const token = useAuthSelector((state) => state.accessToken);
  return createElement('button', { type: 'button', onClick: () => void logout() }, `${status}: ${token ?? 'none'}`);
}

const providerProps: AuthProviderProps = { session, serverState: config.serverState };
export const app: ReactElement = createElement(
  AuthProvider,
  providerProps,
  createElement(Authenticated, { fallback: undefined }, createElement(Status)),
);

// The types still refuse what is wrong: were they `any` (a .d.ts that failed to resolve), these would compile.
// @ts-expect-error accessToken is required
export const noAccessToken: TokenSet = { refreshToken: 'r' };
// @ts-expect-error queueTimeout is a number of ms
createAuthFetch(session, { queueTimeout: '5s' });
