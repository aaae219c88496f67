'use client';

import type { AuthSession } from '@authmachine/core';
import { useAuthContext } from './authContext.js';

/** The session given to the nearest `<AuthProvider>`. Reading it does not subscribe to its state. */
export function useAuthSession(): AuthSession {
  return useAuthContext('useAuthSession()').session;
}
