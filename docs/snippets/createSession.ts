import { createAuthSession } from '@authmachine/core';

// Created once, outside any framework: axios and React share it.
export const session = createAuthSession({
  refresh: async ({ refreshToken, signal }) => {
    const response = await fetch('https://api.example.com/auth/refresh', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken }),
      signal,
    });
    // A 400/401/403 or `invalid_grant` ends the session; anything else is retried with backoff.
    if (!response.ok) throw Object.assign(new Error('refresh failed'), { status: response.status });
    return response.json(); // { accessToken, refreshToken?, expiresIn? }
  },
});

session.on('sessionExpired', () => {
  window.location.assign('/login?expired=1');
});
