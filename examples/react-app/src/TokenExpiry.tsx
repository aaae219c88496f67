import type { AuthState } from '@authmachine/core';
import { useAuthSelector } from '@authmachine/react';
import { type ReactElement, useEffect, useState } from 'react';

const TICK_MS = 250;

const selectExpiresAt = (state: AuthState): number | null => (state.isAuthenticated ? state.expiresAt : null);

/**
 * How long the access token has left, ticking: with `?proactive=off` it shows when the next request
 * will find it expired and refresh it before going out. `data-expires-at` (epoch ms) lets tests wait for expiry.
 */
export function TokenExpiry(): ReactElement | null {
  const expiresAt = useAuthSelector(selectExpiresAt);
  const [now, setNow] = useState(Date.now);

  useEffect(() => {
    if (expiresAt === null) return;
    setNow(Date.now()); // a new token: count from now, not from the last tick
    const timer = setInterval(() => setNow(Date.now()), TICK_MS);
    return () => clearInterval(timer);
  }, [expiresAt]);

  if (expiresAt === null) return null;
  const seconds = Math.abs(expiresAt - now) / 1000;
  return (
    <small data-testid="token-expiry" data-expires-at={expiresAt} style={{ color: '#555', whiteSpace: 'nowrap' }}>
      {expiresAt > now ? `token expires in ${seconds.toFixed(1)} s` : `token expired ${seconds.toFixed(1)} s ago`}
    </small>
  );
}
