import { attachAuth } from '@authmachine/axios';
import { createAuthSession } from '@authmachine/core';
import axios, { type AxiosInstance } from 'axios';
import { type AxiosAuthRefreshOptions, createAuthRefresh } from 'axios-auth-refresh';
import { API_ORIGIN, type MemoryServer, REFRESH_PATH } from './transport.js';

/** A client set up the way one library's README says, talking to the in-memory server. */
export interface BenchClient {
  /** One GET of an API path; rejects unless the answer (after the library's retry) is a 2xx. */
  get(path: string): Promise<unknown>;
  close(): void;
}

export interface ClientSetup {
  /** Stable id, used as the key in results/latest.json. */
  id: string;
  /** What the tables print. */
  label: string;
  create(server: MemoryServer): Promise<BenchClient>;
}

const REFRESH_TOKEN = 'refresh-1';

export function axiosFor(server: MemoryServer): AxiosInstance {
  return axios.create({ baseURL: API_ORIGIN, adapter: server.adapter });
}

async function refreshedAccessToken(server: MemoryServer, signal?: AbortSignal): Promise<string> {
  const response = await axiosFor(server).post<{ accessToken: string }>(
    REFRESH_PATH,
    { refreshToken: REFRESH_TOKEN },
    signal ? { signal } : {},
  );
  return response.data.accessToken;
}

export const bareAxios: ClientSetup = {
  id: 'bare-axios',
  label: 'bare axios',
  async create(server) {
    const api = axiosFor(server);
    return { get: (path) => api.get(path), close: () => undefined };
  },
};

export const authmachine: ClientSetup = {
  id: 'authmachine',
  label: 'authmachine',
  async create(server) {
    const api = axiosFor(server);
    const session = createAuthSession({
      // The refresh goes through its own instance, as it would to an auth server of its own.
      refresh: async ({ signal }) => ({ accessToken: await refreshedAccessToken(server, signal) }),
      refreshLeeway: false,
    });
    await session.login({ accessToken: server.currentToken ?? server.issueToken(), refreshToken: REFRESH_TOKEN });
    const detach = attachAuth(api, session);
    return {
      get: (path) => api.get(path),
      close() {
        detach();
        session.stop();
      },
    };
  },
};

/**
 * axios-auth-refresh as its README sets it up: a request interceptor putting the token variable in
 * the Authorization header, and a refresh function that updates the variable and the failed request.
 */
function axiosAuthRefresh(id: string, label: string, options: AxiosAuthRefreshOptions): ClientSetup {
  return {
    id,
    label,
    async create(server) {
      const api = axiosFor(server);
      let token = server.currentToken ?? server.issueToken();
      const requestInterceptor = api.interceptors.request.use((request) => {
        request.headers.Authorization = `Bearer ${token}`;
        return request;
      });
      const responseInterceptor = createAuthRefresh(
        api,
        async (failedRequest: { response: { config: { headers: Record<string, string> } } }) => {
          token = await refreshedAccessToken(server);
          failedRequest.response.config.headers.Authorization = `Bearer ${token}`;
        },
        options,
      );
      return {
        get: (path) => api.get(path),
        close() {
          api.interceptors.request.eject(requestInterceptor);
          api.interceptors.response.eject(responseInterceptor);
        },
      };
    },
  };
}

export const axiosAuthRefreshDefault = axiosAuthRefresh('axios-auth-refresh', 'axios-auth-refresh (defaults)', {});

export const axiosAuthRefreshNoDedup = axiosAuthRefresh(
  'axios-auth-refresh-no-dedup',
  'axios-auth-refresh (deduplicateRefresh: false)',
  { deduplicateRefresh: false },
);
