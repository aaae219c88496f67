import type { AxiosInstance } from 'axios';
import { createContext, useContext } from 'react';

/** The app's attached axios instance, for components that load data. */
export const ApiContext = createContext<AxiosInstance | null>(null);

export function useApi(): AxiosInstance {
  const api = useContext(ApiContext);
  if (api === null) throw new Error('useApi() needs <ApiContext.Provider value={api}> above it.');
  return api;
}
