import { authmachine, axiosAuthRefreshDefault, axiosAuthRefreshNoDedup, type ClientSetup } from './clients.js';
import { collectGarbage } from './collectGarbage.js';
import { authmachineFetch } from './fetchClients.js';
import { median, round } from './figure.js';
import type { RefreshStormResult, RefreshStormRow } from './results.js';
import { createMemoryServer } from './transport.js';

export interface RefreshStormOptions {
  sizes: readonly number[];
  refreshDelayMs: number;
  /** How many runs at each N; the time reported is their median. */
  runsFor(n: number): number;
}

export const STORM_SETUPS: readonly ClientSetup[] = [
  authmachine,
  axiosAuthRefreshDefault,
  axiosAuthRefreshNoDedup,
  authmachineFetch,
];

export const STORM_NOTES = [
  "axios-auth-refresh 5.0.2 has `deduplicateRefresh` (default true; it replaced 3.x's `pauseInstanceWhileRefreshing`): while a refresh runs it pauses the instance, so a 401 that arrives meanwhile is not intercepted but rejected as it is. With `false`, every 401 is intercepted; concurrent 401s still share the refresh call in flight.",
  'Requests are counted as succeeded when they ended in a 200 (after at most one retry).',
  'authmachine fetch: `createAuthFetch` over a fetch stand-in answering from memory (`Response`s, no network) instead of an axios adapter; its × authmachine compares it with the axios adapter on the same storm.',
];

export interface RunFigures {
  refreshCalls: number;
  succeeded: number;
  settleMs: number;
}

/**
 * Benchmark 2: N requests made at once with an access token the server has just expired. Each
 * gets a 401; the library refreshes (the in-memory refresh takes a fixed delay) and retries. The
 * axios set-ups and the fetch adapter run interleaved in one process.
 */
export async function runRefreshStorm(options: RefreshStormOptions): Promise<RefreshStormResult> {
  const runs = new Map<string, RunFigures[]>();
  const key = (setup: ClientSetup, n: number): string => `${setup.id}@${n}`;
  // One warm-up storm per set-up, so the first N measured does not pay for the JIT.
  for (const setup of STORM_SETUPS) await stormOnce(setup, 100, options.refreshDelayMs);
  for (const n of options.sizes) {
    for (let run = 0; run < options.runsFor(n); run++) {
      // Rotate the order, so no set-up always runs right after the same other one.
      for (let i = 0; i < STORM_SETUPS.length; i++) {
        const setup = STORM_SETUPS[(run + i) % STORM_SETUPS.length] as ClientSetup;
        const figures = await stormOnce(setup, n, options.refreshDelayMs);
        runs.set(key(setup, n), [...(runs.get(key(setup, n)) ?? []), figures]);
      }
    }
  }

  const settleMsOf = (setup: ClientSetup, n: number): number =>
    round(median((runs.get(key(setup, n)) ?? []).map((figures) => figures.settleMs)), 1);
  const rows: RefreshStormRow[] = [];
  for (const setup of STORM_SETUPS) {
    options.sizes.forEach((n, index) => {
      const figures = runs.get(key(setup, n)) ?? [];
      const previous = options.sizes[index - 1];
      const settleMs = settleMsOf(setup, n);
      rows.push({
        id: setup.id,
        label: setup.label,
        n,
        runs: figures.length,
        refreshCalls: Math.max(...figures.map((f) => f.refreshCalls)),
        succeeded: Math.min(...figures.map((f) => f.succeeded)),
        settleMs,
        growth: previous === undefined ? null : round(settleMs / settleMsOf(setup, previous), 2),
        timeVsAuthmachine: round(settleMs / settleMsOf(authmachine, n), 2),
      });
    });
  }
  return { refreshDelayMs: options.refreshDelayMs, notes: STORM_NOTES, rows };
}

/** One storm of N requests through one new client; what the tables report of it. */
export async function stormOnce(setup: ClientSetup, n: number, refreshDelayMs: number): Promise<RunFigures> {
  const server = createMemoryServer({ refreshDelayMs, checkTokens: true });
  server.issueToken();
  const client = await setup.create(server);
  server.expireToken();
  server.resetCounts();
  await collectGarbage();
  const start = performance.now();
  const outcomes = await Promise.allSettled(Array.from({ length: n }, (_, i) => client.get(`/api/items/${i}`)));
  const settleMs = performance.now() - start;
  client.close();
  return {
    refreshCalls: server.counts.refreshCalls,
    succeeded: outcomes.filter((outcome) => outcome.status === 'fulfilled').length,
    settleMs,
  };
}
