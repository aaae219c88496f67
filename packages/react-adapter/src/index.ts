'use client';

export type { AuthenticatedProps } from './Authenticated.js';
export { Authenticated } from './Authenticated.js';
export type { AuthProviderProps } from './AuthProvider.js';
export { AuthProvider } from './AuthProvider.js';
export type { ConnectQueryClientOptions, QueryCacheOwner } from './connectQueryClient.js';
export { connectQueryClient } from './connectQueryClient.js';
export { shouldRetryQuery } from './shouldRetryQuery.js';
export type { UseAuthResult } from './useAuth.js';
export { useAuth } from './useAuth.js';
export { useAuthSelector } from './useAuthSelector.js';
export { useAuthSession } from './useAuthSession.js';
export { useAuthState } from './useAuthState.js';
