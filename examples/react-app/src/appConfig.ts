import type { ApiClientKind } from './apiClient.js';

/** Where the app finds the auth server, where it keeps tokens and how it calls: read from the page's URL (`?server=`, `?storage=local`, `?proactive=off`, `?crossTab=on`, `?client=fetch`). */
export interface AppConfig {
  /**
   * The auth server's origin: `?server=`, else `VITE_AUTH_SERVER_URL` at build time, else the page's
   * own (the example server serves this app with `pnpm demo --serve`). Another origin must be in the
   * server's `allowedOrigins` (CORS).
   */
  serverUrl: string;
  /** `memory` (default: a reload logs out) or `local` (tokens in localStorage survive a reload). */
  storage: 'memory' | 'local';
  /** Refresh before expiry (default), or only when a request finds the token expired or rejected (`?proactive=off`). */
  proactiveRefresh: boolean;
  /** Share the session with the app's other tabs of this origin (`?crossTab=on`): one refresh for all, logout everywhere. */
  crossTab: boolean;
  /** The adapter requests go through: `axios` (default: an instance with `attachAuth`) or `fetch` (`createAuthFetch`). */
  client: ApiClientKind;
}

export function readAppConfig(location: Location): AppConfig {
  const params = new URLSearchParams(location.search);
  return {
    serverUrl: params.get('server') || import.meta.env.VITE_AUTH_SERVER_URL || location.origin,
    storage: params.get('storage') === 'local' ? 'local' : 'memory',
    proactiveRefresh: params.get('proactive') !== 'off',
    crossTab: params.get('crossTab') === 'on',
    client: params.get('client') === 'fetch' ? 'fetch' : 'axios',
  };
}
