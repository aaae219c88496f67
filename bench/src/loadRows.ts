import { round } from './figure.js';
import type { LoadClientKind } from './loadHttp.js';
import type { SessionCheck } from './loadSessionCheck.js';
import type { LoadRow } from './results.js';

const LABELS: Record<LoadClientKind | 'all', string> = {
  axios: '@authmachine/axios (attachAuth)',
  fetch: '@authmachine/fetch (createAuthFetch)',
  all: 'all sessions',
};

/** The checked sessions summed per adapter, then all together. */
export function loadRows(checks: readonly SessionCheck[]): LoadRow[] {
  const kinds: LoadClientKind[] = ['axios', 'fetch'];
  return [
    ...kinds.map((kind) =>
      rowOf(
        kind,
        checks.filter((check) => check.client === kind),
      ),
    ),
    rowOf('all', checks),
  ];
}

function rowOf(id: LoadClientKind | 'all', checks: readonly SessionCheck[]): LoadRow {
  const sum = (pick: (check: SessionCheck) => number): number =>
    checks.reduce((total, check) => total + pick(check), 0);
  const perSession = checks.map((check) => check.refreshCalls);
  return {
    id,
    label: LABELS[id],
    sessions: checks.length,
    planned: sum((check) => check.planned),
    succeeded: sum((check) => check.succeeded),
    lost: sum((check) => check.lost),
    expiriesCrossed: sum((check) => check.expiriesCrossed),
    refreshCalls: sum((check) => check.refreshCalls),
    serverRefreshes: sum((check) => check.serverRefreshes),
    refreshesOnClientExpiry: sum((check) => check.refreshesOnClientExpiry),
    refreshesOn401: sum((check) => check.refreshesOn401),
    unauthorized: sum((check) => check.unauthorized),
    refreshRoundTripMaxMs: Math.max(0, ...checks.map((check) => check.refreshRoundTripMaxMs)),
    tokensDeadOnArrival: sum((check) => check.tokensDeadOnArrival),
    earlyRefreshCalls: sum((check) => check.earlyRefreshCalls),
    overlappingRefreshCalls: sum((check) => check.overlappingRefreshCalls),
    sessionsOff: checks.filter((check) => !check.oneRefreshPerExpiry).length,
    refreshesPerSessionMin: round(perSession.length > 0 ? Math.min(...perSession) : 0, 0),
    refreshesPerSessionMax: round(perSession.length > 0 ? Math.max(...perSession) : 0, 0),
  };
}
