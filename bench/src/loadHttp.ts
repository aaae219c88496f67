import { attachAuth } from '@authmachine/axios';
import type { AuthSession } from '@authmachine/core';
import { createAuthFetch, skipAuth } from '@authmachine/fetch';
import axios from 'axios';
import { SESSION_HEADER } from './loadServerProtocol.js';

export type LoadClientKind = 'axios' | 'fetch';

/** One load session's HTTP client: its own axios instance or auth fetch, as an app has one. */
export interface LoadHttp {
  /** A GET through the adapter; the status of the answer it ends with (axios rejects on non-2xx). */
  get(path: string): Promise<number>;
  /** A POST without the token (login, refresh); rejects unless the answer is a 2xx. */
  post<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T>;
  close(): void;
}

export function createLoadHttp(kind: LoadClientKind, baseURL: string, session: AuthSession, id: string): LoadHttp {
  return kind === 'axios' ? axiosLoadHttp(baseURL, session, id) : fetchLoadHttp(baseURL, session, id);
}

function axiosLoadHttp(baseURL: string, session: AuthSession, id: string): LoadHttp {
  const api = axios.create({ baseURL, headers: { [SESSION_HEADER]: id } });
  const detach = attachAuth(api, session);
  return {
    get: async (path) => (await api.get(path)).status,
    post: async (path, body, signal) =>
      (await api.post(path, body, { skipAuth: true, ...(signal ? { signal } : {}) })).data,
    close: detach,
  };
}

function fetchLoadHttp(baseURL: string, session: AuthSession, id: string): LoadHttp {
  const authFetch = createAuthFetch(session, { allowedOrigins: [new URL(baseURL).origin] });
  return {
    async get(path) {
      const response = await authFetch(new URL(path, baseURL), { headers: { [SESSION_HEADER]: id } });
      // Read to the end, as an app does: an unread body keeps its connection from being reused.
      await response.arrayBuffer();
      return response.status;
    },
    async post(path, body, signal) {
      const init: RequestInit = {
        method: 'POST',
        headers: skipAuth({ 'content-type': 'application/json', [SESSION_HEADER]: id }),
        body: JSON.stringify(body),
      };
      if (signal) init.signal = signal;
      const response = await authFetch(new URL(path, baseURL), init);
      const data: unknown = await response.json();
      if (!response.ok) throw new Error(`POST ${path} answered ${response.status}`);
      return data as never;
    },
    // createAuthFetch keeps nothing between calls: there is nothing to detach.
    close: () => undefined,
  };
}
