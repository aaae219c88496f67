import { useAuthSelector } from '@authmachine/react';
import type { ReactElement } from 'react';

const COLOURS: Record<string, string> = {
  restoring: '#888',
  anonymous: '#888',
  authenticating: '#b58900',
  authenticated: '#2e7d32',
  refreshing: '#1565c0',
  expired: '#c62828',
};

/** The machine's state, live: it re-renders only when the status changes. */
export function StatusBadge(): ReactElement {
  const status = useAuthSelector((state) => state.status);
  return (
    <span
      data-testid="status"
      data-status={status}
      style={{ background: COLOURS[status], color: 'white', padding: '0.2rem 0.6rem', borderRadius: 4 }}
    >
      {status}
    </span>
  );
}
