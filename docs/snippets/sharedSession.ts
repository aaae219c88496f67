import { api } from './attachAxios.js';
import { authFetch, type Profile } from './authFetch.js';
import type { Order } from './kyClient.js';

// The axios instance and authFetch wrap the same session: when the token expires, their 401s
// together make one refresh call, and each request is retried with the one new token.
export async function loadDashboard(): Promise<{ profile: Profile; orders: Order[] }> {
  const [profile, orders] = await Promise.all([
    api.get<Profile>('/me').then((response) => response.data),
    authFetch('https://api.example.com/orders').then((response): Promise<Order[]> => response.json()),
  ]);
  return { profile, orders };
}
