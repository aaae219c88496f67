/** Where the app finds the auth server, and where it keeps tokens: read from the page's URL. */
export interface AppConfig {
  /** The auth server's origin; default: the page's own (the example server can serve this app). */
  serverUrl: string;
  /** `memory` (default: a reload logs out) or `local` (tokens in localStorage survive a reload). */
  storage: 'memory' | 'local';
  /** Refresh before expiry (default), or only when a request's token is rejected (`?proactive=off`). */
  proactiveRefresh: boolean;
}

export function readAppConfig(location: Location): AppConfig {
  const params = new URLSearchParams(location.search);
  return {
    serverUrl: params.get('server') ?? location.origin,
    storage: params.get('storage') === 'local' ? 'local' : 'memory',
    proactiveRefresh: params.get('proactive') !== 'off',
  };
}
