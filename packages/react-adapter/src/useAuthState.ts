'use client';

import type { AuthState } from '@authmachine/core';
import { useSyncExternalStore } from 'react';
import { useSessionStore } from './sessionStore.js';

/**
 * The session's state; re-renders on every change of it. To re-render on part of it only, use
 * `useAuthSelector`.
 */
export function useAuthState(): AuthState {
  const { subscribe, getSnapshot, getServerSnapshot } = useSessionStore('useAuthState()');
  return useSyncExternalStore(subscribe, getSnapshot, getServerSnapshot);
}
