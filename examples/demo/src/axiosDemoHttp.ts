import { attachAuth } from '@authmachine/axios';
import type { AuthSession } from '@authmachine/core';
import axios from 'axios';
import type { DemoHttp } from './demoHttp.js';

/** What an axios app does: one instance with the session attached; `skipAuth` goes on the request config. */
export function axiosDemoHttp(baseURL: string, session: AuthSession): DemoHttp {
  const api = axios.create({ baseURL });
  const detach = attachAuth(api, session);
  return {
    post: async (path, body, options = {}) => (await api.post(path, body, options)).data,
    get: async (path) => (await api.get(path)).data,
    close: detach,
  };
}
