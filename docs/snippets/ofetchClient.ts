import { skipAuth } from '@authmachine/fetch';
import { ofetch } from 'ofetch';
import { authFetch } from './authFetch.js';
import type { Order } from './kyClient.js';

// ofetch takes the fetch to call in its second argument (its global options); the first holds the
// per-request defaults.
export const api = ofetch.create({ baseURL: 'https://api.example.com' }, { fetch: authFetch });

export function createOrder(total: number): Promise<Order> {
  // A JSON body is a string by the time it reaches authFetch: a retry after a refresh sends it again.
  return api<Order>('/orders', { method: 'POST', body: { total } });
}

export function loadStatus(): Promise<string> {
  return api('/status', { headers: skipAuth(), responseType: 'text' });
}
