'use client';

import type { AuthState } from '@authmachine/core';
import type { ReactElement, ReactNode } from 'react';
import { useAuthContext } from './authContext.js';
import { useAuthSelector } from './useAuthSelector.js';

export interface AuthenticatedProps {
  /** Shown while the session is not authenticated: restoring, anonymous, logging in, expired. */
  fallback?: ReactNode;
  children?: ReactNode;
}

const selectIsAuthenticated = (state: AuthState): boolean => state.isAuthenticated;

/**
 * Renders `children` while the session is authenticated, `fallback` otherwise. `isAuthenticated`
 * stays true while a refresh runs, so the children are neither unmounted nor replaced meanwhile.
 */
export function Authenticated({ fallback = null, children }: AuthenticatedProps): ReactElement {
  // Checked first so that a missing provider is reported under this component's name.
  useAuthContext('<Authenticated>');
  const isAuthenticated = useAuthSelector(selectIsAuthenticated);
  return <>{isAuthenticated ? children : fallback}</>;
}
