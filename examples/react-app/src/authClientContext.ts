import { createContext, useContext } from 'react';
import type { ApiClient } from './apiClient.js';

/** The app's HTTP client (axios or fetch, with the session attached), for components that load data. */
export const ApiContext = createContext<ApiClient | null>(null);

export function useApi(): ApiClient {
  const api = useContext(ApiContext);
  if (api === null) throw new Error('useApi() needs <ApiContext.Provider value={api}> above it.');
  return api;
}
