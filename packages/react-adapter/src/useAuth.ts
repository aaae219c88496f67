'use client';

import type { AuthSession, AuthState } from '@authmachine/core';
import { useMemo, useSyncExternalStore } from 'react';
import { useSessionStore } from './sessionStore.js';

export type UseAuthResult = AuthState & {
  login: AuthSession['login'];
  logout: AuthSession['logout'];
};

/**
 * The session's state with `login` and `logout`. The two functions keep their identity across
 * renders, so they can go in effect and callback dependencies.
 */
export function useAuth(): UseAuthResult {
  const { session, subscribe, getSnapshot, getServerSnapshot } = useSessionStore('useAuth()');
  const state = useSyncExternalStore(subscribe, getSnapshot, getServerSnapshot);
  const commands = useMemo(() => {
    const login: AuthSession['login'] = (tokens) => session.login(tokens);
    const logout: AuthSession['logout'] = () => session.logout();
    return { login, logout };
  }, [session]);
  return useMemo(() => ({ ...state, ...commands }), [state, commands]);
}
