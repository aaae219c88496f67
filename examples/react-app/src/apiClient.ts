/** Which adapter the app's requests go through (`?client=`). */
export type ApiClientKind = 'axios' | 'fetch';

export interface ApiRequestOptions {
  /** Sent without the session's token, and its 401 never refreshes: the login and refresh calls. */
  skipAuth?: boolean;
  signal?: AbortSignal;
}

/**
 * The app's requests to its server, the same for both adapters, so that no component knows which
 * one runs. Paths are relative to the server's origin; a non-2xx answer rejects (as axios does);
 * the body comes back parsed.
 */
export interface ApiClient {
  readonly kind: ApiClientKind;
  /** How the page names the client in use. */
  readonly label: string;
  get<T>(path: string, options?: ApiRequestOptions): Promise<T>;
  post<T>(path: string, body?: unknown, options?: ApiRequestOptions): Promise<T>;
}
