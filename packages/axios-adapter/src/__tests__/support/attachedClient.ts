import { type AttachAuthOptions, attachAuth } from '@authmachine/axios';
import { type AuthSession, type AuthSessionOptions, createAuthSession } from '@authmachine/core';
import { API_ORIGIN, type FakeAuthApi } from '@authmachine/test-kit';
import axios, { type AxiosInstance } from 'axios';

export interface AttachedClient {
  session: AuthSession;
  api: AxiosInstance;
  detach: () => void;
}

/**
 * A logged-in session whose refresh calls the fake token endpoint through the attached instance
 * itself (`skipAuth: true`), as apps do, and an axios instance attached to it.
 */
export async function attachedClient(
  server: FakeAuthApi,
  options: { session?: Partial<AuthSessionOptions>; attach?: AttachAuthOptions; loggedIn?: boolean } = {},
): Promise<AttachedClient> {
  const api = axios.create({ baseURL: API_ORIGIN });
  const session = createAuthSession({
    refresh: async ({ refreshToken, signal }) =>
      (await api.post('/auth/refresh', { refreshToken }, { signal, skipAuth: true })).data,
    refreshLeeway: false,
    refreshRetries: 0,
    refreshTimeout: 200,
    ...options.session,
  });
  const detach = attachAuth(api, session, options.attach);
  if (options.loggedIn !== false) await session.login(server.issueTokens());
  return { session, api, detach };
}

/** Settles every promise and says how each ended, without letting a rejection go unhandled. */
export async function outcomes<T>(promises: Array<Promise<T>>): Promise<Array<PromiseSettledResult<T>>> {
  return Promise.allSettled(promises);
}
