import { formatFigure as f } from './figure.js';
import type { Goal } from './goals.js';
import type { LoadResult, LoadRow } from './results.js';

/**
 * Whether the machine, not the library, was too slow for the tokens: new tokens arrived already
 * expired, or the client or the server stalled for half a token's life or more (ms their timers
 * ran late). Then a retry's new token can expire before the server reads the retry, so lost
 * requests say more about the machine than about the library. Null when neither happened.
 */
export function loadStall(result: LoadResult): { stallMs: number; deadOnArrival: number } | null {
  const stallMs = Math.max(result.eventLoopDelay.clientMaxMs, result.eventLoopDelay.serverMaxMs);
  const deadOnArrival = result.rows.find((row) => row.id === 'all')?.tokensDeadOnArrival ?? 0;
  return stallMs >= (result.accessTtlS * 1000) / 2 || deadOnArrival > 0 ? { stallMs, deadOnArrival } : null;
}

/**
 * The load benchmark's goals. Unlike the others they are checked: `pnpm bench` exits with 1 when
 * one is missed, since each is a count (or the heap), not a time that a busy machine moves.
 */
export function loadGoals(result: LoadResult): Goal[] {
  const all = result.rows.find((row) => row.id === 'all');
  const adapters = result.rows.filter((row) => row.id !== 'all');
  const { server, heap } = result;
  const planned = result.sessions * result.requestsPerSession;
  const stall = loadStall(result);
  const perAdapter = (figures: (row: LoadRow) => string): string =>
    adapters.map((row) => `${row.id} ${figures(row)}`).join(', ');
  return [
    {
      goal: `load: one refresh per expiry crossed, in each of the ${f(result.sessions)} sessions`,
      met: all !== undefined && all.sessions === result.sessions && all.sessionsOff === 0,
      figures: all
        ? `${f(all.refreshCalls)} refresh calls for ${f(all.expiriesCrossed)} expiries (${perAdapter((row) => `${f(row.refreshCalls)}/${f(row.expiriesCrossed)}`)}); ${f(all.sessionsOff)} sessions off; ${f(all.refreshesPerSessionMin)}–${f(all.refreshesPerSessionMax)} per session; ${f(all.refreshesOnClientExpiry)} on client expiry, ${f(all.refreshesOn401)} on a 401; ${f(all.earlyRefreshCalls)} early, ${f(all.overlappingRefreshCalls)} overlapping`
        : 'not measured',
    },
    {
      goal: 'load: the server answered every refresh call with new tokens, per session and in total',
      met:
        all !== undefined &&
        all.serverRefreshes === all.refreshCalls &&
        server.refreshes === all.refreshCalls &&
        server.refreshRequests === server.refreshes &&
        server.refreshFailures === 0,
      figures: `server: ${f(server.refreshRequests)} refresh requests, ${f(server.refreshes)} refreshed, ${f(server.refreshFailures)} refused; per session ${f(all?.serverRefreshes ?? Number.NaN)} refreshed for ${f(all?.refreshCalls ?? Number.NaN)} calls`,
    },
    {
      goal: 'load: zero refresh-token reuse detected by the server',
      met: server.reuseDetections === 0,
      figures: `${f(server.reuseDetections)} reuse detections`,
    },
    {
      goal: `load: zero lost requests, all ${f(planned)} settled with 200`,
      met:
        all !== undefined &&
        all.planned === planned &&
        all.succeeded === planned &&
        server.apiSucceeded === planned &&
        // Each request sent once, and once more after its 401: none sent a third time or not at all.
        server.apiRequests === planned + server.unauthorized,
      figures: `${f(all?.succeeded ?? Number.NaN)} succeeded, ${f(all?.lost ?? Number.NaN)} lost (${perAdapter((row) => f(row.lost))}); server: ${f(server.apiRequests)} API requests, ${f(server.apiSucceeded)} answered 200, ${f(server.unauthorized)} answered 401 and retried (${f(server.expiredTokens)} expired tokens met)${stall === null ? '' : `; the machine was too slow for the tokens (a stall of ${f(stall.stallMs)} ms, ${f(stall.deadOnArrival)} tokens dead on arrival): see the load table's notes`}`,
    },
    {
      goal: `load: client heap flat, end within ${f(heap.toleranceMB)} MB of start`,
      met: heap.growthMB < heap.toleranceMB,
      figures: `${f(heap.startMB)} → ${f(heap.middleMB)} → ${f(heap.endMB)} MB (start, middle, end), ${heap.growthMB >= 0 ? '+' : ''}${f(heap.growthMB)} MB; slope ${f(heap.slopeKBPerS)} KB/s`,
    },
  ];
}
