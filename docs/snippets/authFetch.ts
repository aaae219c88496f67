import { createAuthFetch, skipAuth } from '@authmachine/fetch';
import { session } from './createSession.js';

// The API has its own origin, so name it: only https://api.example.com receives the token. An API
// on the page's own origin needs no allowedOrigins in a browser (in Node, always pass them).
export const authFetch = createAuthFetch(session, { allowedOrigins: ['https://api.example.com'] });

export interface Profile {
  name: string;
}

export async function loadProfile(): Promise<Profile> {
  // While a refresh runs this call waits for it; a 401 refreshes once and is retried once.
  const response = await authFetch('https://api.example.com/me');
  // The status travels with the error, so that a retry policy can tell a 401 from a 503.
  if (!response.ok) throw Object.assign(new Error(`GET /me answered ${response.status}`), { status: response.status });
  return response.json();
}

export async function loadStatus(): Promise<string> {
  // A public endpoint on the API's origin: skipAuth() sends this one call without the token.
  const response = await authFetch('https://api.example.com/status', { headers: skipAuth() });
  return response.text();
}

export async function logIn(username: string, password: string): Promise<void> {
  // The login call uses the unwrapped fetch: it carries no token, and its 401 means wrong
  // credentials, not a token to refresh. The session's refresh call does the same.
  const response = await fetch('https://api.example.com/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!response.ok) throw new Error('Wrong username or password');
  await session.login(await response.json());
}
