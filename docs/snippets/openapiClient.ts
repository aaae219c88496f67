import { skipAuth } from '@authmachine/fetch';
import createClient from 'openapi-fetch';
import type { paths } from './apiSchema.js';
import { authFetch } from './authFetch.js';

export const api = createClient<paths>({ baseUrl: 'https://api.example.com', fetch: authFetch });

export async function loadOrder(id: string): Promise<{ id: string; total: number }> {
  const { data, response } = await api.GET('/orders/{id}', { params: { path: { id } } });
  // openapi-fetch resolves on HTTP errors, as fetch does: a 401 here is the retry's own answer.
  if (data === undefined) throw new Error(`GET /orders/${id} answered ${response.status}`);
  return data;
}

export async function loadStatus(): Promise<string> {
  const { data } = await api.GET('/status', { headers: skipAuth(), parseAs: 'text' });
  return data ?? 'unknown';
}
