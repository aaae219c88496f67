'use client';

import type { AuthSession, AuthState, ServerAuthState } from '@authmachine/core';
import { type ReactElement, type ReactNode, useMemo } from 'react';
import { AuthContext, type AuthContextValue } from './authContext.js';
import { INITIAL_AUTH_STATE } from './initialAuthState.js';

export interface AuthProviderProps {
  /** Created outside React (so that axios and React share it); the provider never stops it. */
  session: AuthSession;
  /**
   * The state to render on the server and to hydrate with on the client; both sides must pass the
   * same value, made with `toServerAuthState(session.getSnapshot())`: it carries no access token,
   * since it is serialised into the page. While the client's session still restores, the hooks keep
   * showing it (no signed-out flash). Default: the state every session starts in (`restoring`).
   */
  serverState?: ServerAuthState | undefined;
  children?: ReactNode;
}

/** Makes a session available to the hooks and `<Authenticated>` below it. */
export function AuthProvider({ session, serverState, children }: AuthProviderProps): ReactElement {
  // A JavaScript caller can forget the prop; fail here rather than in a hook far below.
  if (typeof session?.subscribe !== 'function' || typeof session.getSnapshot !== 'function') {
    throw new TypeError('<AuthProvider> needs a session: pass session={createAuthSession({ refresh })}.');
  }
  const given = serverState !== undefined;
  const { status, isAuthenticated, expiresAt = null } = serverState ?? INITIAL_AUTH_STATE;
  // Keyed on the fields, not the object: a state rebuilt at each render (parsed from the page's
  // JSON) is the same state. Rebuilt from its fields, a token that reached the prop anyway (a cast,
  // plain JavaScript) is never rendered.
  const value = useMemo<AuthContextValue>(
    () => ({
      session,
      serverState: given
        ? Object.freeze<AuthState>({ status, isAuthenticated, accessToken: null, expiresAt, error: null })
        : null,
    }),
    [session, given, status, isAuthenticated, expiresAt],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
