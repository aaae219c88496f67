import { describe, expect, it } from 'vitest';
import { type DemoFigures, formatSummary, problemsOf, summaryRows } from '../demoSummary.js';

const behaved: DemoFigures = {
  client: { sent: 30, succeeded: 20, sessionExpired: 10, otherFailures: 0, refreshCalls: 3, refreshed: 2 },
  server: {
    requests: 50,
    logins: 1,
    loginFailures: 0,
    refreshRequests: 3,
    refreshesAbandoned: 0,
    refreshFaults: 0,
    refreshes: 2,
    refreshFailures: 1,
    reuseDetections: 0,
    logouts: 0,
    adminRevocations: 1,
    apiRequests: 50,
    apiSucceeded: 20,
    expiredTokens: 0,
    unauthorized: 10,
    forbidden: 0,
  },
  tabs: 1,
  expiriesPlanned: 2,
  expiriesCrossed: 2,
  sentBeforeRevoke: 20,
  succeededBeforeRevoke: 20,
  sentAfterRevoke: 10,
  statusAtEnd: 'expired',
};

describe('the demo summary', () => {
  it('finds nothing wrong with a run that behaved', () => {
    expect(problemsOf(summaryRows(behaved))).toEqual([]);
  });

  it('names each unmet expectation: an extra refresh, a reuse detection, a failure before the revoke', () => {
    const problems = problemsOf(
      summaryRows({
        ...behaved,
        client: { ...behaved.client, succeeded: 19, otherFailures: 1 },
        server: { ...behaved.server, refreshes: 3, reuseDetections: 1, apiSucceeded: 19 },
        succeededBeforeRevoke: 19,
      }),
    );
    expect(problems).toEqual([
      'succeeded (client) is 19, expected 20: every request before the revoke',
      'failed otherwise is 1, expected 0',
      'refresh calls answered (server) is 3, expected 2: one per expiry crossed',
      'new tokens received (client) is 2, expected 3: one per refresh',
      'reuse detections (server) is 1, expected 0',
    ]);
  });

  it('accepts more expiries than planned (a slow machine) as long as each cost one refresh', () => {
    const slow = { ...behaved, client: { ...behaved.client, refreshCalls: 4, refreshed: 3 } };
    expect(
      problemsOf(summaryRows({ ...slow, expiriesCrossed: 3, server: { ...behaved.server, refreshes: 3 } })),
    ).toEqual([]);
    // A token the server expired before the client's clock did: its 401 refreshed it, once.
    expect(
      problemsOf(
        summaryRows({ ...slow, server: { ...behaved.server, expiredTokens: 1, unauthorized: 20, refreshes: 3 } }),
      ),
    ).toEqual([]);
    expect(
      problemsOf(summaryRows({ ...behaved, expiriesCrossed: 1, server: { ...behaved.server, refreshes: 1 } })),
    ).toEqual([
      'expiries crossed (client) is 1, expected 2: the bursts at or after expiry',
      'new tokens received (client) is 2, expected 1: one per refresh',
    ]);
  });

  it('with tabs, expects every tab to receive each new token, and one rejected refresh for all', () => {
    const threeTabs = { ...behaved, tabs: 3, client: { ...behaved.client, refreshed: 6 } };
    expect(problemsOf(summaryRows(threeTabs))).toEqual([]);
    // Only the refreshing tab got the tokens; each tab found out about the end with a call.
    expect(
      problemsOf(
        summaryRows({ ...threeTabs, client: behaved.client, server: { ...behaved.server, refreshFailures: 3 } }),
      ),
    ).toEqual([
      'new tokens received (client) is 2, expected 6: each refresh reaches all 3 tabs',
      'refreshes rejected (server) is 3, expected 1: after the revoke, for all tabs',
    ]);
  });

  it('prints an aligned table with ok/FAIL marks', () => {
    const rows = summaryRows({ ...behaved, server: { ...behaved.server, reuseDetections: 1 } });
    const lines = formatSummary(rows, (_, text) => text);
    expect(lines[0]).toMatch(/^figure +value {2}expected$/);
    const valueEnd = (lines[0] ?? '').indexOf('value') + 'value'.length;
    const expectedAt = (lines[0] ?? '').indexOf('expected');
    rows.forEach((row, index) => {
      const line = lines[index + 2] ?? '';
      expect(line.slice(0, valueEnd).trimEnd()).toMatch(new RegExp(`${String(row.value)}$`));
      if (row.expected) {
        expect(line.slice(expectedAt)).toMatch(
          new RegExp(`^${row.expected.text}\\s+${row.expected.met ? 'ok' : 'FAIL'}$`),
        );
      }
    });
    expect(lines.find((line) => line.startsWith('reuse detections'))).toMatch(/ 1 {2}0 +FAIL$/);
  });
});
