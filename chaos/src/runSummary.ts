import type { RunRecord } from './runRecord.js';

/** Totals over many runs, printed after a suite so that a soak says what it exercised. */
export interface RunSummary {
  runs: number;
  tabs: number;
  requests: number;
  refreshCalls: number;
  refreshFaults: number;
  logouts: number;
  reuseDetections: number;
  /** How the tracked calls ended, by outcome: `200`, `SessionExpiredError`, `AuthError QUEUE_TIMEOUT`... */
  outcomes: Record<string, number>;
  /** How the tabs ended: `authenticated`, `expired`, `anonymous`. */
  finalStatuses: Record<string, number>;
}

export function emptySummary(): RunSummary {
  return {
    runs: 0,
    tabs: 0,
    requests: 0,
    refreshCalls: 0,
    refreshFaults: 0,
    logouts: 0,
    reuseDetections: 0,
    outcomes: {},
    finalStatuses: {},
  };
}

export function addRun(summary: RunSummary, record: RunRecord): void {
  summary.runs += 1;
  summary.tabs += record.scenario.tabs.length;
  summary.requests += record.sent.length;
  summary.refreshCalls += record.refreshCalls.length;
  summary.refreshFaults += record.stats.refreshFaults;
  summary.logouts += record.logouts.length;
  summary.reuseDetections += record.stats.reuseDetections;
  for (const outcome of record.outcomes) summary.outcomes[outcome.result] = (summary.outcomes[outcome.result] ?? 0) + 1;
  for (const final of record.finals)
    summary.finalStatuses[final.status] = (summary.finalStatuses[final.status] ?? 0) + 1;
}

export function formatSummary(summary: RunSummary): string {
  const counts = (table: Record<string, number>): string =>
    Object.entries(table)
      .sort(([, a], [, b]) => b - a)
      .map(([name, count]) => `${name} ${count}`)
      .join(', ');
  return [
    `chaos: ${summary.runs} runs, ${summary.tabs} tabs, ${summary.requests} requests sent, ${summary.refreshCalls} refresh calls, ${summary.refreshFaults} refresh faults injected, ${summary.logouts} logouts, ${summary.reuseDetections} reuse detections (thefts included)`,
    `chaos: calls ended ${counts(summary.outcomes)}`,
    `chaos: tabs ended ${counts(summary.finalStatuses)}`,
  ].join('\n');
}
