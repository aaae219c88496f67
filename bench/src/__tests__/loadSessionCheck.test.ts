import { describe, expect, it } from 'vitest';
import type { ServerSessionCounts } from '../loadServerProtocol.js';
import type { RefreshCall } from '../loadSession.js';
import { checkSession, type FinishedSession } from '../loadSessionCheck.js';

// Token n (from 0) is issued at n s and expires, on the server, at n + 1 s; the session's own
// expiry is 5 ms later (the answer's latency).
const serverExpiry = (n: number): number => (n + 1) * 1000;
// Each call takes 4 ms; the new token expires a second after the server issued it, 2 ms in.
const call = (replaced: number, startedAt: number, tookMs = 4): RefreshCall => ({
  startedAt,
  replacedExpiresAt: serverExpiry(replaced),
  replacedClientExpiresAt: serverExpiry(replaced) + 5,
  settledAt: startedAt + tookMs,
  newExpiresAt: startedAt + 2 + 1000,
});

function session(overrides: Partial<FinishedSession> = {}): FinishedSession {
  return {
    id: 's1',
    client: 'axios',
    planned: 200,
    sent: 200,
    succeeded: 200,
    firstFailure: null,
    // Three expiries, each refreshed: two by a request that found the token expired, one by a 401.
    refreshCalls: [call(0, 1_040), call(1, 2_003), call(2, 3_300)],
    overlappingRefreshCalls: 0,
    lastRequestAt: 3_900,
    finalExpiresAt: serverExpiry(3) + 300,
    ...overrides,
  };
}

const server = (refreshes: number, more: Partial<ServerSessionCounts> = {}): ServerSessionCounts => ({
  refreshes,
  refreshFailures: 0,
  apiOk: 200,
  apiUnauthorized: 0,
  apiOther: 0,
  ...more,
});

describe('checkSession', () => {
  it('counts one refresh per expiry crossed, and tells a 401 from a token found expired', () => {
    const check = checkSession(session(), server(3, { apiUnauthorized: 2 }));
    expect(check).toMatchObject({
      expiriesCrossed: 3,
      refreshCalls: 3,
      serverRefreshes: 3,
      earlyRefreshCalls: 0,
      refreshesOnClientExpiry: 2,
      refreshesOn401: 1,
      unauthorized: 2,
      lost: 0,
      oneRefreshPerExpiry: true,
    });
  });

  it('flags a refresh of a token the server still honoured', () => {
    const check = checkSession(session({ refreshCalls: [call(0, 1_040), call(1, 1_500), call(2, 3_300)] }), server(3));
    expect(check.earlyRefreshCalls).toBe(1);
    expect(check.expiriesCrossed).toBe(2);
    expect(check.oneRefreshPerExpiry).toBe(false);
  });

  it('flags two refreshes of one expired token: the expiry counts once', () => {
    const calls = [call(0, 1_040), call(0, 1_060), call(1, 2_003), call(2, 3_300)];
    const check = checkSession(session({ refreshCalls: calls }), server(4));
    expect(check).toMatchObject({ expiriesCrossed: 3, refreshCalls: 4, oneRefreshPerExpiry: false });
  });

  it('counts a last token that expired before the last request as crossed, and unrefreshed', () => {
    const check = checkSession(
      session({ lastRequestAt: serverExpiry(3) + 10, finalExpiresAt: serverExpiry(3) }),
      server(3),
    );
    expect(check).toMatchObject({ expiriesCrossed: 4, refreshCalls: 3, oneRefreshPerExpiry: false });
  });

  it('needs the server to have answered every call with new tokens', () => {
    expect(checkSession(session(), server(2)).oneRefreshPerExpiry).toBe(false);
    expect(checkSession(session(), server(3, { refreshFailures: 1 })).oneRefreshPerExpiry).toBe(false);
    expect(checkSession(session(), undefined)).toMatchObject({ serverRefreshes: 0, oneRefreshPerExpiry: false });
  });

  it('measures the longest refresh and counts tokens that arrived already expired', () => {
    const slow = [call(0, 1_040), call(1, 2_003, 1_200), call(2, 3_300, 30)];
    // A failed call (no tokens) adds no length and is never dead on arrival.
    const { settledAt: _settled, newExpiresAt: _expires, ...failed } = call(3, 4_100);
    const check = checkSession(session({ refreshCalls: [...slow, failed], lastRequestAt: 4_000 }), server(3));
    expect(check).toMatchObject({ refreshRoundTripMaxMs: 1_200, tokensDeadOnArrival: 1 });
  });

  it('flags overlapping refresh calls', () => {
    expect(checkSession(session({ overlappingRefreshCalls: 1 }), server(3)).oneRefreshPerExpiry).toBe(false);
  });

  it('counts a call for a token without a known expiry as early', () => {
    const unknown: RefreshCall = {
      startedAt: 1_040,
      replacedExpiresAt: Number.NaN,
      replacedClientExpiresAt: Number.NaN,
    };
    const check = checkSession(session({ refreshCalls: [unknown, call(1, 2_003), call(2, 3_300)] }), server(3));
    expect(check).toMatchObject({ earlyRefreshCalls: 1, oneRefreshPerExpiry: false });
  });

  it('counts as lost every planned request that did not end with a 200, settled or not', () => {
    const check = checkSession(
      session({ sent: 198, succeeded: 195, firstFailure: 'AxiosError: Network Error' }),
      server(3),
    );
    expect(check).toMatchObject({ lost: 5, firstFailure: 'AxiosError: Network Error' });
  });
});
