import { formatFigure as f } from './figure.js';
import { loadStall } from './loadGoals.js';
import type { LoadResult } from './results.js';
import type { Table } from './table.js';

/** Benchmark 5's table: one row per adapter and one for all sessions, the server and heap figures below. */
export function loadTable(result: LoadResult): Table {
  const { server, heap, eventLoopDelay: delay } = result;
  const stall = loadStall(result);
  const [axios, fetch, all] = ['axios', 'fetch', 'all'].map((id) => result.rows.find((row) => row.id === id));
  const right = (header: string) => ({ header, align: 'right' as const });
  return {
    title: `5. Load: ${f(result.sessions)} sessions × ${f(result.requestsPerSession)} requests over ${f(result.durationS)} s against one reference server process on loopback, access tokens living ${f(result.accessTtlS)} s`,
    columns: [
      { header: 'sessions of', align: 'left' },
      right('sessions'),
      right('requests'),
      right('succeeded'),
      right('lost'),
      right('401s (retried)'),
      right('expiries crossed'),
      right('refresh calls'),
      right('server refreshed'),
      right('on client expiry'),
      right('on a 401'),
      right('early / overlapping'),
      right('per session'),
      right('sessions off'),
    ],
    rows: result.rows.map((row) => [
      row.label,
      f(row.sessions),
      f(row.planned),
      f(row.succeeded),
      f(row.lost),
      f(row.unauthorized),
      f(row.expiriesCrossed),
      f(row.refreshCalls),
      f(row.serverRefreshes),
      f(row.refreshesOnClientExpiry),
      f(row.refreshesOn401),
      `${f(row.earlyRefreshCalls)} / ${f(row.overlappingRefreshCalls)}`,
      `${f(row.refreshesPerSessionMin)}–${f(row.refreshesPerSessionMax)}`,
      f(row.sessionsOff),
    ]),
    notes: [
      `Each session logs in (ada or grace; each login is a token family of its own), warms up with two bursts around its first expiry, then sends its requests to \`/api/items/:id\` in bursts of 1 to ${f(result.maxBurst)} concurrent requests at random moments (plan seed ${f(result.seed)}); the run took ${f(result.elapsedS)} s until the last request settled.`,
      'The sessions run with `refreshLeeway: false`: with the default 30 s leeway and 1 s tokens the proactive timer clamps to halfway through each token (0.5 s), so it would refresh twice a token life whether requests come or not, and no request would ever cross an expiry. Without it every refresh is caused by a request, and each expiry crossed should cost exactly one.',
      "expiries crossed: per session, the tokens that expired (the server's clock, the JWT's `exp`) while the session still had requests to send: each token a refresh replaced after its expiry, and the last one if it expired before the session's last request started. A session is off unless its refresh calls equal its expiries crossed, the server answered each with 200 (counted per session by the server), none was early (for a token still valid) and none overlapped another.",
      "on client expiry: refresh calls started once the session's own clock said the token had expired (a request found it so and waited, or a 401 came back after that point); on a 401: started before that but after the server's expiry, which only a 401 does. 401s: requests in flight across an expiry, each retried once with the new token.",
      `server, its own counters after the warm-up: ${f(server.refreshRequests)} refresh requests, ${f(server.refreshes)} refreshed, ${f(server.refreshFailures)} refused, ${f(server.reuseDetections)} reuse detections; ${f(server.apiRequests)} API requests, ${f(server.apiSucceeded)} answered 200, ${f(server.unauthorized)} answered 401, ${f(server.expiredTokens)} distinct expired tokens met.`,
      `Client heap (this process's \`heapUsed\` after forced full collections; the server runs in a child process): ${heap.samples.map((sample) => `${f(sample.usedMB)} MB at ${f(sample.atS)} s`).join(', ')}. Start: after the warm-up, before the first request; end: after the last request settled and the idle keep-alive connections closed. Start ${f(heap.startMB)} MB, middle ${f(heap.middleMB)} MB, end ${f(heap.endMB)} MB: ${heap.growthMB >= 0 ? '+' : ''}${f(heap.growthMB)} MB (tolerance ${f(heap.toleranceMB)} MB), slope ${f(heap.slopeKBPerS)} KB/s.`,
      `Refresh calls took up to ${f(all?.refreshRoundTripMaxMs ?? Number.NaN)} ms (axios ${f(axios?.refreshRoundTripMaxMs ?? Number.NaN)}, fetch ${f(fetch?.refreshRoundTripMaxMs ?? Number.NaN)}); new tokens already expired when they arrived: ${f(all?.tokensDeadOnArrival ?? Number.NaN)} (axios ${f(axios?.tokensDeadOnArrival ?? Number.NaN)}, fetch ${f(fetch?.tokensDeadOnArrival ?? Number.NaN)}). Timers ran up to ${f(delay.clientMaxMs)} ms late in the client (99th percentile ${f(delay.clientP99Ms)} ms) and ${f(delay.serverMaxMs)} ms in the server (${f(delay.serverP99Ms)} ms)${stall === null ? '.' : `: the machine was too slow for ${f(result.accessTtlS)} s tokens. A token issued before such a stall can expire before the server reads the request retried with it, which then fails whatever the library does (its one retry is final): lost requests in this run say more about the machine than about the library; rerun on a quieter one.`}`,
      ...result.failures.map((failure) => `Lost: ${failure}`),
    ],
  };
}
