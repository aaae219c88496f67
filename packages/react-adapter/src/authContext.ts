'use client';

import type { AuthSession, AuthState } from '@authmachine/core';
import { createContext, useContext } from 'react';

/** What `<AuthProvider>` hands down: the session, and the state that server rendering and hydration use. */
export interface AuthContextValue {
  session: AuthSession;
  /** The server's state when the app passed one; null: the state every session starts in. */
  serverState: AuthState | null;
}

export const AuthContext = createContext<AuthContextValue | null>(null);
AuthContext.displayName = 'AuthContext';

/** The provider's value, or an error that names the caller and says how to fix the tree. */
export function useAuthContext(caller: string): AuthContextValue {
  const value = useContext(AuthContext);
  if (value === null) {
    throw new Error(
      `${caller} was used outside <AuthProvider>. Wrap the component tree in ` +
        '<AuthProvider session={session}>, passing the session you created with createAuthSession().',
    );
  }
  return value;
}
