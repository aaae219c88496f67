'use client';

import type { AuthState } from '@authmachine/core';

/**
 * The state every session starts in. Server and client agree on it without talking to each other,
 * so it is what both render during hydration unless the app passes the server's state explicitly.
 */
export const INITIAL_AUTH_STATE: AuthState = Object.freeze({
  status: 'restoring',
  isAuthenticated: false,
  accessToken: null,
  expiresAt: null,
  error: null,
});
