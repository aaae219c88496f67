'use client';

import type { AuthSession, AuthState } from '@authmachine/core';
import { useMemo } from 'react';
import { type AuthContextValue, useAuthContext } from './authContext.js';

/** The session and the three functions `useSyncExternalStore` needs, stable while the provider's value is. */
export interface SessionStore {
  session: AuthSession;
  subscribe(onStoreChange: () => void): () => void;
  getSnapshot(): AuthState;
  getServerSnapshot(): AuthState;
}

export function useSessionStore(caller: string): SessionStore {
  const context = useAuthContext(caller);
  // New functions on every render would make React unsubscribe and subscribe again each time.
  return useMemo(() => toSessionStore(context), [context]);
}

function toSessionStore({ session, serverState }: AuthContextValue): SessionStore {
  return {
    session,
    // Called through the session rather than passed as they are, so methods that use `this` work too.
    subscribe: (onStoreChange) => session.subscribe(() => onStoreChange()),
    getSnapshot: () => session.getSnapshot(),
    getServerSnapshot: () => serverState,
  };
}
