import { describe, expect, it } from 'vitest';
import { loadGoals, loadStall } from '../loadGoals.js';
import { heapFigures, slope } from '../loadHeap.js';
import { loadRows } from '../loadRows.js';
import type { SessionCheck } from '../loadSessionCheck.js';
import type { LoadResult } from '../results.js';

function check(id: string, client: 'axios' | 'fetch', more: Partial<SessionCheck> = {}): SessionCheck {
  return {
    id,
    client,
    planned: 200,
    succeeded: 200,
    lost: 0,
    expiriesCrossed: 20,
    refreshCalls: 20,
    serverRefreshes: 20,
    earlyRefreshCalls: 0,
    overlappingRefreshCalls: 0,
    refreshesOnClientExpiry: 18,
    refreshesOn401: 2,
    unauthorized: 6,
    refreshRoundTripMaxMs: 12,
    tokensDeadOnArrival: 0,
    oneRefreshPerExpiry: true,
    firstFailure: null,
    ...more,
  };
}

const fetchSession = { refreshCalls: 22, expiriesCrossed: 22, serverRefreshes: 22 };
const checks = [check('s1', 'axios'), check('s2', 'fetch', fetchSession)];

function result(more: Partial<LoadResult> = {}, sessionChecks: SessionCheck[] = checks): LoadResult {
  return {
    sessions: 2,
    requestsPerSession: 200,
    durationS: 30,
    accessTtlS: 1,
    maxBurst: 5,
    seed: 15,
    elapsedS: 30.2,
    eventLoopDelay: { clientP99Ms: 40, clientMaxMs: 90, serverP99Ms: 30, serverMaxMs: 120 },
    rows: loadRows(sessionChecks),
    server: {
      refreshRequests: 42,
      refreshes: 42,
      refreshFailures: 0,
      reuseDetections: 0,
      apiRequests: 412,
      apiSucceeded: 400,
      unauthorized: 12,
      expiredTokens: 4,
    },
    heap: heapFigures(
      [
        { atS: 0, usedMB: 20 },
        { atS: 15, usedMB: 21 },
        { atS: 36, usedMB: 20.5 },
      ],
      30,
      4,
    ),
    failures: [],
    ...more,
  };
}

const missed = (load: LoadResult): string[] =>
  loadGoals(load)
    .filter((goal) => !goal.met)
    .map((goal) => goal.goal);

describe('loadRows', () => {
  it('sums the sessions per adapter, then all of them', () => {
    const rows = loadRows([...checks, check('s3', 'axios', { oneRefreshPerExpiry: false, refreshCalls: 19, lost: 1 })]);
    expect(rows.map((row) => [row.id, row.sessions, row.refreshCalls, row.sessionsOff, row.lost])).toEqual([
      ['axios', 2, 39, 1, 1],
      ['fetch', 1, 22, 0, 0],
      ['all', 3, 61, 1, 1],
    ]);
    expect(rows[2]).toMatchObject({ refreshesPerSessionMin: 19, refreshesPerSessionMax: 22, unauthorized: 18 });
    expect(
      loadRows([check('s1', 'axios', { refreshRoundTripMaxMs: 40, tokensDeadOnArrival: 1 }), ...checks])[2],
    ).toMatchObject({ refreshRoundTripMaxMs: 40, tokensDeadOnArrival: 1 });
  });
});

describe('loadGoals', () => {
  it('are all met by a run that behaved', () => {
    expect(loadGoals(result()).map((goal) => goal.met)).toEqual([true, true, true, true, true]);
    expect(loadGoals(result())[0]?.figures).toContain('42 refresh calls for 42 expiries (axios 20/20, fetch 22/22)');
  });

  it('miss one refresh per expiry when a session is off', () => {
    const off = [checks[0] as SessionCheck, check('s2', 'fetch', { ...fetchSession, oneRefreshPerExpiry: false })];
    expect(missed(result({}, off))).toEqual(['load: one refresh per expiry crossed, in each of the 2 sessions']);
  });

  it('miss the server goal when it refused a refresh or counted other refreshes', () => {
    const server = result().server;
    expect(missed(result({ server: { ...server, refreshFailures: 1, refreshRequests: 43 } }))).toEqual([
      'load: the server answered every refresh call with new tokens, per session and in total',
    ]);
    expect(missed(result({ server: { ...server, refreshes: 41, refreshRequests: 41 } }))).toHaveLength(1);
  });

  it('miss zero reuse on a single reuse detection', () => {
    expect(missed(result({ server: { ...result().server, reuseDetections: 1 } }))).toEqual([
      'load: zero refresh-token reuse detected by the server',
    ]);
  });

  it('miss zero lost requests when one did not end with a 200, or the server answered fewer 200s', () => {
    const lost = [checks[0] as SessionCheck, check('s2', 'fetch', { ...fetchSession, succeeded: 199, lost: 1 })];
    expect(missed(result({}, lost))).toEqual(['load: zero lost requests, all 400 settled with 200']);
    expect(missed(result({ server: { ...result().server, apiSucceeded: 399 } }))).toEqual([
      'load: zero lost requests, all 400 settled with 200',
    ]);
    // A request sent a third time (or one never sent) shows as API requests ≠ planned + 401s.
    expect(missed(result({ server: { ...result().server, apiRequests: 413 } }))).toEqual([
      'load: zero lost requests, all 400 settled with 200',
    ]);
  });

  it('miss a flat heap when the end is the tolerance or more above the start', () => {
    const grown = heapFigures(
      [
        { atS: 0, usedMB: 20 },
        { atS: 36, usedMB: 24 },
      ],
      30,
      4,
    );
    expect(missed(result({ heap: grown }))).toEqual(['load: client heap flat, end within 4 MB of start']);
  });
});

describe('loadStall', () => {
  it('is the worst stall of client or server once it reaches half a token life, else null', () => {
    const delay = result().eventLoopDelay;
    expect(loadStall(result())).toBeNull();
    expect(loadStall(result({ eventLoopDelay: { ...delay, serverMaxMs: 499 } }))).toBeNull();
    expect(loadStall(result({ eventLoopDelay: { ...delay, serverMaxMs: 500 } }))).toEqual({
      stallMs: 500,
      deadOnArrival: 0,
    });
    expect(loadStall(result({ eventLoopDelay: { ...delay, clientMaxMs: 2_573 } }))?.stallMs).toBe(2_573);
  });

  it('also names tokens that arrived already expired, whatever the timers said', () => {
    const late = [checks[0] as SessionCheck, check('s2', 'fetch', { ...fetchSession, tokensDeadOnArrival: 3 })];
    expect(loadStall(result({}, late))).toEqual({ stallMs: 120, deadOnArrival: 3 });
  });

  it('is named in the lost-requests goal, which stays missed', () => {
    const stalled = result({
      eventLoopDelay: { ...result().eventLoopDelay, clientMaxMs: 2_573 },
      server: { ...result().server, apiSucceeded: 399 },
    });
    const lost = loadGoals(stalled)[3];
    expect(lost?.met).toBe(false);
    expect(lost?.figures).toContain(
      'the machine was too slow for the tokens (a stall of 2,573 ms, 0 tokens dead on arrival)',
    );
  });
});

describe('heapFigures', () => {
  it('reads start, the sample nearest the middle, end, growth and slope', () => {
    const heap = heapFigures(
      [
        { atS: 0.04, usedMB: 20.04 },
        { atS: 14, usedMB: 21 },
        { atS: 17, usedMB: 22 },
        { atS: 36.5, usedMB: 20.96 },
      ],
      30,
      4,
    );
    expect(heap).toMatchObject({ startMB: 20, middleMB: 21, endMB: 21, growthMB: 1, toleranceMB: 4 });
    expect(heap.samples[0]).toEqual({ atS: 0, usedMB: 20 });
  });

  it('takes the least-squares slope: 1 MB over 10 s is 102.4 KB/s', () => {
    expect(
      slope([
        { atS: 0, usedMB: 10 },
        { atS: 5, usedMB: 10.5 },
        { atS: 10, usedMB: 11 },
      ]),
    ).toBeCloseTo(0.1);
    expect(
      heapFigures(
        [
          { atS: 0, usedMB: 10 },
          { atS: 10, usedMB: 11 },
        ],
        10,
        4,
      ).slopeKBPerS,
    ).toBe(102.4);
    expect(slope([{ atS: 3, usedMB: 10 }])).toBe(0);
  });
});
