import { attachAuth } from '@authmachine/axios';
import type { AuthSession } from '@authmachine/core';
import axios from 'axios';
import type { ApiClient } from './apiClient.js';

/** An axios instance with the session attached: the token goes to the server's origin (its baseURL) only. */
export function axiosApiClient(serverUrl: string, session: AuthSession): ApiClient {
  const api = axios.create({ baseURL: serverUrl });
  attachAuth(api, session);
  return {
    kind: 'axios',
    label: 'axios + attachAuth',
    get: async (path, options = {}) => (await api.get(path, options)).data,
    post: async (path, body, options = {}) => (await api.post(path, body, options)).data,
  };
}
