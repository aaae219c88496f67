import { attachAuth } from '@authmachine/axios';
import { type AuthSession, createAuthSession, memoryStorage, webStorage } from '@authmachine/core';
import axios, { type AxiosInstance } from 'axios';
import type { AppConfig } from './appConfig.js';

export interface AuthClient {
  session: AuthSession;
  /** The app's axios instance: the token goes to the auth server's origin only. */
  api: AxiosInstance;
}

/** One session for the whole page, created outside React so that axios and React share it. */
export function createAuthClient(config: AppConfig): AuthClient {
  const api = axios.create({ baseURL: config.serverUrl });
  const session = createAuthSession({
    refresh: async ({ refreshToken, signal }) =>
      (await api.post('/auth/refresh', { refreshToken }, { signal, skipAuth: true })).data,
    storage: config.storage === 'local' ? webStorage(window.localStorage) : memoryStorage(),
    ...(config.proactiveRefresh ? {} : { refreshLeeway: false }),
    crossTab: config.crossTab,
  });
  attachAuth(api, session);
  return { session, api };
}
