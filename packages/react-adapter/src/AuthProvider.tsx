'use client';

import type { AuthSession, AuthState } from '@authmachine/core';
import { type ReactElement, type ReactNode, useMemo } from 'react';
import { AuthContext, type AuthContextValue } from './authContext.js';
import { INITIAL_AUTH_STATE } from './initialAuthState.js';

export interface AuthProviderProps {
  /** Created outside React (so that axios and React share it); the provider never stops it. */
  session: AuthSession;
  /**
   * The state to render on the server and to hydrate with on the client; both sides must pass the
   * same value. Default: the state every session starts in (`restoring`), which needs no passing.
   */
  serverState?: AuthState | undefined;
  children?: ReactNode;
}

/** Makes a session available to the hooks and `<Authenticated>` below it. */
export function AuthProvider({ session, serverState = INITIAL_AUTH_STATE, children }: AuthProviderProps): ReactElement {
  // A JavaScript caller can forget the prop; fail here rather than in a hook far below.
  if (typeof session?.subscribe !== 'function' || typeof session.getSnapshot !== 'function') {
    throw new TypeError('<AuthProvider> needs a session: pass session={createAuthSession({ refresh })}.');
  }
  const value = useMemo<AuthContextValue>(() => ({ session, serverState }), [session, serverState]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
