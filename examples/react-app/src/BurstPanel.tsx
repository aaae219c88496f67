import { useAuthSession } from '@authmachine/react';
import { type ReactElement, useEffect, useState } from 'react';
import { useApi } from './authClientContext.js';

const BURST_SIZE = 20;

interface BurstResult {
  /** 1 for the first burst of this page, 2 for the next... */
  run: number;
  ok: number;
  failed: number;
  items: number[];
}

/** Fires 20 concurrent requests: after the token expired, they cause one refresh between them. */
export function BurstPanel(): ReactElement {
  const api = useApi();
  const session = useAuthSession();
  const [runs, setRuns] = useState(0);
  const [result, setResult] = useState<BurstResult | null>(null);
  const [refreshes, setRefreshes] = useState(0);

  useEffect(() => session.on('refreshed', () => setRefreshes((count) => count + 1)), [session]);

  async function burst(): Promise<void> {
    const run = runs + 1;
    setRuns(run);
    setResult(null);
    const ids = Array.from({ length: BURST_SIZE }, (_, index) => index + 1);
    const settled = await Promise.allSettled(ids.map((id) => api.get<{ id: number }>(`/api/items/${id}`)));
    const items = settled.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value.id] : []));
    setResult({ run, ok: items.length, failed: BURST_SIZE - items.length, items });
  }

  return (
    <div style={{ margin: '1rem 0' }}>
      <button type="button" onClick={burst}>
        Burst {BURST_SIZE} requests
      </button>
      <p data-testid="refreshes" data-count={refreshes}>
        Refreshes seen by this tab: {refreshes}
      </p>
      {runs > 0 && result?.run !== runs && <p data-testid="burst-pending">Burst #{runs}: waiting…</p>}
      {result && (
        <p data-testid="burst-result" data-run={result.run} data-ok={result.ok} data-failed={result.failed}>
          Burst #{result.run}: {result.ok}/{BURST_SIZE} loaded{result.failed > 0 ? `, ${result.failed} failed` : ''}
          {result.items.length > 0 ? `: items ${result.items.join(', ')}` : ''}
        </p>
      )}
    </div>
  );
}
