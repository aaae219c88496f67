import { useAuthSession } from '@authmachine/react';
import { type ReactElement, useEffect, useState } from 'react';
import { useApi } from './authClientContext.js';

const BURST_SIZE = 20;

interface BurstResult {
  ok: number;
  failed: number;
  items: number[];
}

/** Fires 20 concurrent requests: after the token expired, they cause one refresh between them. */
export function BurstPanel(): ReactElement {
  const api = useApi();
  const session = useAuthSession();
  const [result, setResult] = useState<BurstResult | null>(null);
  const [refreshes, setRefreshes] = useState(0);

  useEffect(() => session.on('refreshed', () => setRefreshes((count) => count + 1)), [session]);

  async function burst(): Promise<void> {
    setResult(null);
    const ids = Array.from({ length: BURST_SIZE }, (_, index) => index + 1);
    const settled = await Promise.allSettled(ids.map((id) => api.get<{ id: number }>(`/api/items/${id}`)));
    const items = settled.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value.data.id] : []));
    setResult({ ok: items.length, failed: BURST_SIZE - items.length, items });
  }

  return (
    <div style={{ margin: '1rem 0' }}>
      <button type="button" onClick={burst}>
        Burst {BURST_SIZE} requests
      </button>
      <p data-testid="refreshes">Refreshes seen by this tab: {refreshes}</p>
      {result && (
        <p data-testid="burst-result" data-ok={result.ok} data-failed={result.failed}>
          {result.ok}/{BURST_SIZE} loaded{result.failed > 0 ? `, ${result.failed} failed` : ''}: items{' '}
          {result.items.join(', ')}
        </p>
      )}
    </div>
  );
}
