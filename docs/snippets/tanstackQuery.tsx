import { connectQueryClient, shouldRetryQuery } from '@authmachine/react';
import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import type { ReactElement, ReactNode } from 'react';
import { loadProfile } from './authFetch.js';
import { session } from './createSession.js';

export const queryClient = new QueryClient({
  // No retry for what no retry can fix: an ended session, a logout, a 401 or 403 that the adapter
  // already retried once with a fresh token. Network errors and 5xx are retried as usual.
  defaultOptions: { queries: { retry: shouldRetryQuery } },
});

// One line: the cache is cleared on logout, when the session ends, and when a different user logs
// in (here or in another tab), so that nobody sees the previous user's cached data.
connectQueryClient(session, queryClient);

export function ProfileName(): ReactElement {
  // While a refresh runs, this query's request waits for it and goes out with the new token: the
  // query stays pending instead of failing, and no refresh storm starts from the query retries.
  const profile = useQuery({ queryKey: ['me'], queryFn: loadProfile });
  if (profile.isPending) return <span>…</span>;
  if (profile.isError) return <span>Could not load your profile</span>;
  return <span>{profile.data.name}</span>;
}

export function Providers({ children }: { children: ReactNode }): ReactElement {
  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}
