import { type AuthSession, createAuthSession, memoryStorage, type TokenSet, webStorage } from '@authmachine/core';
import type { ApiClient } from './apiClient.js';
import type { AppConfig } from './appConfig.js';
import { axiosApiClient } from './axiosApiClient.js';
import { fetchApiClient } from './fetchApiClient.js';

export interface AuthClient {
  session: AuthSession;
  /** The app's requests, through axios or fetch (`?client=`): the token goes to the auth server's origin only. */
  api: ApiClient;
}

/** One session for the whole page, created outside React so that the HTTP client and React share it. */
export function createAuthClient(config: AppConfig): AuthClient {
  // The client needs the session and the session's refresh goes through the client (skipAuth). The
  // session first refreshes after its restore, a later tick than this function, so `api` is set by then.
  let api: ApiClient | null = null;
  const session = createAuthSession({
    refresh: async ({ refreshToken, signal }) => {
      if (api === null) throw new Error('The session refreshed before the app’s HTTP client existed.');
      return await api.post<TokenSet>('/auth/refresh', { refreshToken }, { signal, skipAuth: true });
    },
    // logout() forgets the tokens at once; the server revokes the session (its refresh token family)
    // meanwhile, and a failure there never keeps the user logged in on this page.
    revoke: async ({ refreshToken, signal }) => {
      if (api !== null && refreshToken !== null) {
        await api.post('/auth/logout', { refreshToken }, { signal, skipAuth: true });
      }
    },
    storage: config.storage === 'local' ? webStorage(window.localStorage) : memoryStorage(),
    ...(config.proactiveRefresh ? {} : { refreshLeeway: false }),
    crossTab: config.crossTab,
  });
  const client =
    config.client === 'fetch' ? fetchApiClient(config.serverUrl, session) : axiosApiClient(config.serverUrl, session);
  api = client;
  return { session, api: client };
}
