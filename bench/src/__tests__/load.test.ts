import { describe, expect, it } from 'vitest';
import { runLoad } from '../load.js';
import { loadGoals } from '../loadGoals.js';

// A load run in miniature against the real reference server in its child process: 3 sessions of 10
// requests over 2 s, tokens living 1 s (a few seconds in all, the warm-up's expiry included). The
// heap is not judged here: vitest runs without --expose-gc.
describe('runLoad (smoke)', () => {
  it('crosses expiries with one refresh each, loses nothing, and the server agrees', async () => {
    const result = await runLoad({
      sessions: 3,
      requestsPerSession: 10,
      durationMs: 2_000,
      accessTtl: 1,
      maxBurst: 3,
      seed: 15,
      heapSampleEveryMs: 1_000,
      heapToleranceMB: 4,
      settleTimeoutMs: 10_000,
      idleBeforeEndMs: 0,
    });
    const all = result.rows.find((row) => row.id === 'all');
    expect(result.rows.map((row) => [row.id, row.sessions, row.planned])).toEqual([
      ['axios', 2, 20],
      ['fetch', 1, 10],
      ['all', 3, 30],
    ]);
    expect(all).toMatchObject({ succeeded: 30, lost: 0, sessionsOff: 0, earlyRefreshCalls: 0 });
    // The warm-up's token expires about a second into the run: every session crosses at least one expiry.
    expect(all?.expiriesCrossed).toBeGreaterThanOrEqual(3);
    expect(all?.refreshCalls).toBe(all?.expiriesCrossed);
    expect(result.server).toMatchObject({
      refreshes: all?.refreshCalls,
      refreshFailures: 0,
      reuseDetections: 0,
      apiSucceeded: 30,
      apiRequests: 30 + result.server.unauthorized,
    });
    expect(
      loadGoals(result)
        .slice(0, 4)
        .map((goal) => [goal.goal, goal.met]),
    ).toEqual([
      ['load: one refresh per expiry crossed, in each of the 3 sessions', true],
      ['load: the server answered every refresh call with new tokens, per session and in total', true],
      ['load: zero refresh-token reuse detected by the server', true],
      ['load: zero lost requests, all 30 settled with 200', true],
    ]);
  }, 30_000);
});
