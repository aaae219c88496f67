import type { ReactElement } from 'react';
import { useApi } from './authClientContext.js';

/** Which adapter this page's requests go through: `?client=fetch` switches from the default axios. */
export function ClientLabel(): ReactElement {
  const api = useApi();
  return (
    <small data-testid="api-client" data-client={api.kind} style={{ color: '#555', whiteSpace: 'nowrap' }}>
      requests: {api.label}
    </small>
  );
}
