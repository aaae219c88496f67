import type { AuthSession } from '@authmachine/core';
import { axiosDemoHttp } from './axiosDemoHttp.js';
import { fetchDemoHttp } from './fetchDemoHttp.js';

/** Which adapter the scripted client makes its calls through (`--client`). */
export type DemoClientKind = 'axios' | 'fetch';

export const DEMO_CLIENT_KINDS: readonly DemoClientKind[] = ['axios', 'fetch'];

export interface DemoRequestOptions {
  /** Sent without the session's token, and its 401 never refreshes: the login and refresh calls. */
  skipAuth?: boolean;
  signal?: AbortSignal;
}

/**
 * The few calls the demo makes, the same for both adapters, so that the script and its checked
 * summary do not depend on which one runs. A non-2xx answer rejects (as axios does); the body
 * comes back parsed.
 */
export interface DemoHttp {
  post<T>(path: string, body: unknown, options?: DemoRequestOptions): Promise<T>;
  get<T>(path: string): Promise<T>;
  /** Lets go of the session (axios: ejects the interceptors). */
  close(): void;
}

/** The adapter of `kind` over `session`, for calls to `baseURL` (the only origin that gets the token). */
export function createDemoHttp(kind: DemoClientKind, baseURL: string, session: AuthSession): DemoHttp {
  return kind === 'fetch' ? fetchDemoHttp(baseURL, session) : axiosDemoHttp(baseURL, session);
}

/** How the run's header line names the client. */
export function describeDemoClient(kind: DemoClientKind): string {
  return kind === 'fetch'
    ? "@authmachine/fetch (createAuthFetch over Node's fetch)"
    : '@authmachine/axios (an axios instance with attachAuth)';
}
