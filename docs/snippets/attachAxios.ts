import { attachAuth } from '@authmachine/axios';
import axios from 'axios';
import { session } from './createSession.js';

export const api = axios.create({ baseURL: 'https://api.example.com' });

// The token goes to https://api.example.com only; 401s refresh once and are retried once.
export const detach = attachAuth(api, session);

export async function logIn(username: string, password: string): Promise<void> {
  // skipAuth: the login call sends no token and its 401 means wrong credentials, not a refresh.
  const response = await api.post('/auth/login', { username, password }, { skipAuth: true });
  await session.login(response.data);
}
