import { attachAuth } from '@authmachine/axios';
import type { AuthSession } from '@authmachine/core';
import { createAuthFetch } from '@authmachine/fetch';
import axios, { isAxiosError } from 'axios';

/** What a caller sees of one GET: the status of a response (2xx or not), or the error it threw. */
export type CallOutcome = { status: number } | { error: unknown };

export interface ApiClient {
  get(path: string): Promise<CallOutcome>;
}

/** One HTTP client wired to a session the way its README shows. */
export interface ClientDriver {
  name: string;
  connect(session: AuthSession, apiOrigin: string): ApiClient;
}

export const axiosDriver: ClientDriver = {
  name: 'axios (attachAuth)',
  connect(session, apiOrigin) {
    const api = axios.create({ baseURL: apiOrigin });
    attachAuth(api, session);
    return {
      get: (path) =>
        api.get(path).then(
          (response) => ({ status: response.status }),
          (error: unknown) => (isAxiosError(error) && error.response ? { status: error.response.status } : { error }),
        ),
    };
  },
};

export const fetchDriver: ClientDriver = {
  name: 'fetch (createAuthFetch)',
  connect(session, apiOrigin) {
    const authFetch = createAuthFetch(session, { allowedOrigins: [apiOrigin] });
    return {
      get: (path) =>
        authFetch(new URL(path, apiOrigin)).then(
          async (response) => {
            await response.arrayBuffer();
            return { status: response.status };
          },
          (error: unknown) => ({ error }),
        ),
    };
  },
};

export const drivers: ClientDriver[] = [axiosDriver, fetchDriver];
