'use client';

import type { AuthSession, AuthState } from '@authmachine/core';
import { useMemo } from 'react';
import { type AuthContextValue, useAuthContext } from './authContext.js';
import { INITIAL_AUTH_STATE } from './initialAuthState.js';

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
    // A page rendered signed in stays so while the client's session restores its tokens, instead of
    // flashing `restoring` between the server's HTML and the restored state.
    getSnapshot: () => {
      const state = session.getSnapshot();
      return serverState && state.status === 'restoring' ? serverState : state;
    },
    getServerSnapshot: () => serverState ?? INITIAL_AUTH_STATE,
  };
}
