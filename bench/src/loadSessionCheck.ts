import type { LoadClientKind } from './loadHttp.js';
import type { ServerSessionCounts } from './loadServerProtocol.js';
import type { RefreshCall } from './loadSession.js';

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
export interface SessionCheck {
  id: string;
  client: LoadClientKind;
  planned: number;
  succeeded: number;
  /** Planned requests that did not end with a 200: failed, or never settled. */
  lost: number;
  /**
   * Tokens of the session that expired (the server's clock) while it still had requests to send:
   * each token a refresh replaced after its expiry, counted once however many calls replaced it,
   * and the last token if it expired before the session's last request was started.
   */
  expiriesCrossed: number;
  refreshCalls: number;
  /** Refreshes the server answered with 200 for this session. */
  serverRefreshes: number;
  /** Refresh calls for a token the server still honoured: none may happen with the timer off. */
  earlyRefreshCalls: number;
  overlappingRefreshCalls: number;
  /** Calls started once the session's own clock said the token had expired (a request found it so, or a late 401). */
  refreshesOnClientExpiry: number;
  /** Calls started after the server's expiry but while the session's clock still held the token valid: a 401 started them. */
  refreshesOn401: number;
  /** Requests the server answered 401 for this session: in flight across an expiry, then retried. */
  unauthorized: number;
  /** The longest refresh call, from its start until the new tokens arrived, in ms. */
  refreshRoundTripMaxMs: number;
  /**
   * New tokens that had already expired on the server's clock when they arrived: the machine was
   * slower than a token's life, and requests retried with them fail whatever the library does.
   */
  tokensDeadOnArrival: number;
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
