import type { AuthServerStats } from '@authmachine/example-server';
import type { ClientCounters } from './demoClient.js';

export interface DemoFigures {
  client: ClientCounters;
  server: AuthServerStats;
  /** App tabs sharing the session (1: a single client). */
  tabs: number;
  /** Bursts scheduled at or after their token's expiry. A slow machine may cross more expiries. */
  expiriesPlanned: number;
  /** Bursts that began at or after their token's expiry by the client's clock (planned or late). */
  expiriesCrossed: number;
  sentBeforeRevoke: number;
  succeededBeforeRevoke: number;
  sentAfterRevoke: number;
  /** Every tab's status at the end, each different one once: `expired` when all agree. */
  statusAtEnd: string;
}

export interface SummaryRow {
  figure: string;
  value: number | string;
  /** What the value should be, and whether it is; absent for figures that are only informative. */
  expected?: { text: string; met: boolean };
}

/** The summary's rows: what the client counted, what the server's /stats says, and what to expect. */
export function summaryRows(f: DemoFigures): SummaryRow[] {
  const { client, server, tabs } = f;
  const expect = (met: boolean, text: string) => ({ met, text });
  return [
    { figure: 'API requests sent (client)', value: client.sent },
    {
      figure: '  succeeded (client)',
      value: client.succeeded,
      expected: expect(
        f.succeededBeforeRevoke === f.sentBeforeRevoke && client.succeeded === f.sentBeforeRevoke,
        `${f.sentBeforeRevoke}: every request before the revoke`,
      ),
    },
    {
      figure: '  succeeded (server: 2xx on /api)',
      value: server.apiSucceeded,
      expected: expect(server.apiSucceeded === client.succeeded, `${client.succeeded}: the same requests`),
    },
    {
      figure: '  failed with SessionExpiredError',
      value: client.sessionExpired,
      expected: expect(
        client.sessionExpired === f.sentAfterRevoke,
        `${f.sentAfterRevoke}: only after the session ended`,
      ),
    },
    { figure: '  failed otherwise', value: client.otherFailures, expected: expect(client.otherFailures === 0, '0') },
    { figure: 'API requests served (server)', value: server.apiRequests },
    { figure: '401s served (server)', value: server.unauthorized },
    {
      figure: 'expiries crossed (client)',
      value: f.expiriesCrossed,
      expected: expect(f.expiriesCrossed >= f.expiriesPlanned, `${f.expiriesPlanned}: the bursts at or after expiry`),
    },
    // The client knows each token's expiry: a burst that finds it passed refreshes first, so the
    // server sees no expired token. One that the server expired first (a burst sent a few ms before
    // the client's expiry) is refreshed through its 401: one refresh each way.
    { figure: 'expired tokens sent (server)', value: server.expiredTokens },
    {
      figure: 'refresh calls answered (server)',
      value: server.refreshes,
      expected: expect(
        server.refreshes === f.expiriesCrossed + server.expiredTokens,
        `${f.expiriesCrossed + server.expiredTokens}: one per expiry crossed`,
      ),
    },
    {
      figure: 'new tokens received (client)',
      value: client.refreshed,
      expected: expect(
        client.refreshed === server.refreshes * tabs,
        tabs === 1
          ? `${server.refreshes}: one per refresh`
          : `${server.refreshes * tabs}: each refresh reaches all ${tabs} tabs`,
      ),
    },
    {
      figure: 'refreshes rejected (server)',
      value: server.refreshFailures,
      // With tabs, the one that finds out tells the others: they end without a call of their own.
      expected: expect(
        server.refreshFailures === 1,
        tabs === 1 ? '1: the one after the revoke' : '1: after the revoke, for all tabs',
      ),
    },
    {
      figure: 'reuse detections (server)',
      value: server.reuseDetections,
      expected: expect(server.reuseDetections === 0, '0'),
    },
    {
      figure: 'session status at the end',
      value: f.statusAtEnd,
      expected: expect(f.statusAtEnd === 'expired', 'expired'),
    },
  ];
}

/**
 * What went wrong, one sentence per unmet expectation; empty when the run behaved. More expiries
 * than planned is no fault (a busy machine ran late); a refresh count that differs from the
 * expiries crossed is.
 */
export function problemsOf(rows: readonly SummaryRow[]): string[] {
  return rows
    .filter((row) => row.expected && !row.expected.met)
    .map((row) => `${row.figure.trim()} is ${row.value}, expected ${row.expected?.text}`);
}

/** The rows as an aligned plain-text table; `mark` decorates the ok/FAIL column (colours on a TTY). */
export function formatSummary(rows: readonly SummaryRow[], mark: (met: boolean, text: string) => string): string[] {
  const header = ['figure', 'value', 'expected'];
  const cells = rows.map((row) => [row.figure, String(row.value), row.expected?.text ?? '']);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...cells.map((cell) => cell[column]?.length ?? 0)),
  );
  const line = (cell: string[]) =>
    [cell[0]?.padEnd(widths[0] ?? 0), cell[1]?.padStart(widths[1] ?? 0), cell[2]?.padEnd(widths[2] ?? 0)].join('  ');
  return [
    line(header).trimEnd(),
    widths.map((width) => '-'.repeat(width)).join('  '),
    ...rows.map((row, index) => {
      const text = line(cells[index] ?? []);
      return row.expected ? `${text}  ${mark(row.expected.met, row.expected.met ? 'ok' : 'FAIL')}` : text.trimEnd();
    }),
  ];
}
