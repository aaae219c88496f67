import { skipAuth } from '@authmachine/fetch';
import ky from 'ky';
import { authFetch } from './authFetch.js';

// ky builds each Request and hands it to authFetch, so the token, the refresh and the retry happen
// below ky's hooks, retries and timeout.
export const api = ky.create({ baseUrl: 'https://api.example.com', fetch: authFetch });

export interface Order {
  id: string;
  total: number;
}

export function loadOrders(): Promise<Order[]> {
  return api.get('/orders').json<Order[]>();
}

export function loadStatus(): Promise<string> {
  // A header, not an init field: it survives the Request that ky builds.
  return api.get('/status', { headers: skipAuth() }).text();
}
