import type { LoadClientKind } from './loadHttp.js';
import type { ServerSessionCounts } from './loadServerProtocol.js';
import type { RefreshCall } from './loadSession.js';
import type { LoadCounts } from './results.js';

/** A session's record as the run ends: plain data, so the checks can be tested without a run. */
export interface FinishedSession {
  id: string;
  client: LoadClientKind;
  /** Requests the plan gave the session. */
  planned: number;
  sent: number;
  succeeded: number;
  firstFailure: string | null;
  refreshCalls: readonly RefreshCall[];
  overlappingRefreshCalls: number;
  lastRequestAt: number | null;
  /** The server's expiry (epoch ms) of the token held at the end. */
  finalExpiresAt: number | null;
}

/** One session, checked. */
export interface SessionCheck extends LoadCounts {
  id: string;
  client: LoadClientKind;
  /** Exactly one refresh per expiry crossed, each one the server saw and answered 200, none early or twice at once. */
  oneRefreshPerExpiry: boolean;
  firstFailure: string | null;
}

export function checkSession(session: FinishedSession, server: ServerSessionCounts | undefined): SessionCheck {
  const calls = session.refreshCalls;
  const afterExpiry = calls.filter((call) => call.startedAt >= call.replacedExpiresAt);
  const lastTokenCrossed =
    session.finalExpiresAt !== null &&
    session.lastRequestAt !== null &&
    session.finalExpiresAt <= session.lastRequestAt;
  const expiriesCrossed = new Set(afterExpiry.map((call) => call.replacedExpiresAt)).size + (lastTokenCrossed ? 1 : 0);
  // NaN (a token without an expiry) compares false: such a call counts as early, never as justified.
  const earlyRefreshCalls = calls.length - afterExpiry.length;
  const refreshesOnClientExpiry = afterExpiry.filter((call) => call.startedAt >= call.replacedClientExpiresAt).length;
  const serverRefreshes = server?.refreshes ?? 0;
  return {
    id: session.id,
    client: session.client,
    planned: session.planned,
    succeeded: session.succeeded,
    lost: session.planned - session.succeeded,
    expiriesCrossed,
    refreshCalls: calls.length,
    serverRefreshes,
    earlyRefreshCalls,
    overlappingRefreshCalls: session.overlappingRefreshCalls,
    refreshesOnClientExpiry,
    refreshesOn401: afterExpiry.length - refreshesOnClientExpiry,
    unauthorized: server?.apiUnauthorized ?? 0,
    refreshRoundTripMaxMs: Math.max(0, ...calls.map((call) => (call.settledAt ?? call.startedAt) - call.startedAt)),
    tokensDeadOnArrival: calls.filter(
      (call) => call.settledAt !== undefined && call.newExpiresAt !== undefined && call.settledAt >= call.newExpiresAt,
    ).length,
    oneRefreshPerExpiry:
      calls.length === expiriesCrossed &&
      serverRefreshes === calls.length &&
      (server?.refreshFailures ?? 0) === 0 &&
      earlyRefreshCalls === 0 &&
      session.overlappingRefreshCalls === 0,
    firstFailure: session.firstFailure,
  };
}
