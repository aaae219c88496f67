import type { AuthStatus } from '@authmachine/core';
import type { AuthServerStats } from '@authmachine/example-server';
import type { ChaosScenario } from './scenario.js';

/** Times are `performance.now()` ms: monotonic, untouched by the clock jumps the sessions see. */

/** A request as it left a tab for the network (after the adapter decided its header). */
export interface SentRequest {
  tab: number;
  at: number;
  /** `api`: the reference server, an allowed origin; `foreign`: a second loopback origin, not allowed. */
  origin: 'api' | 'foreign';
  path: string;
  /** The bearer token it carried, or null. */
  token: string | null;
}

/** One call of a session's `refresh` function, timed around its HTTP exchange. */
export interface RefreshCall {
  tab: number;
  /** The token family (the server's session id) the refresh token belongs to; null if unknown. */
  family: string | null;
  start: number;
  end: number;
  ok: boolean;
}

/** How one request (an API call, a login, a logout, a forced refresh) ended, against its deadline. */
export interface RequestOutcome {
  tab: number;
  label: string;
  startedAt: number;
  /** The latest `performance.now()` by which it must have settled. */
  deadline: number;
  /** When it settled; null: still pending at the deadline (a hang). */
  settledAt: number | null;
  /** `200`, `401`, an error's name and code... for the report. */
  result: string;
}

export interface LogoutRecord {
  tab: number;
  resolvedAt: number;
  /** The family the tab held when it logged out; null when it held nothing. */
  family: string | null;
}

/** What storage held next to what the session holds, read when no write was pending. */
export interface StorageCheck {
  tab: number;
  afterStep: number;
  status: AuthStatus;
  stored: { accessToken: string; refreshToken: string | null } | null;
  held: { accessToken: string | null; refreshToken: string | null };
}

/** Each tab after the run, once faults are off and it has made one more request. */
export interface FinalCheck {
  tab: number;
  /** Its status after the probe (`refreshing` reads as `authenticated`: a proactive refresh may be under way). */
  status: AuthStatus;
  /** How the probe request ended: `200`, `401`, `SessionExpiredError`... */
  probe: string;
  /**
   * What the server says of the token the session holds: `accepted`, `expired` (genuine; the tab
   * refreshes it at its next request) or the server's reason (`The access token was revoked.`).
   * Null: the session holds no token.
   */
  serverVerdict: string | null;
}

export interface RunRecord {
  scenario: ChaosScenario;
  sent: SentRequest[];
  refreshCalls: RefreshCall[];
  outcomes: RequestOutcome[];
  logouts: LogoutRecord[];
  /** Authorization headers the foreign origin received (undefined: none). */
  foreignAuthorization: (string | undefined)[];
  storageChecks: StorageCheck[];
  finals: FinalCheck[];
  /** Each tab at the very end, after every probe, once the channel went quiet. */
  resting: { tab: number; status: AuthStatus; accessToken: string | null }[];
  /** Tabs still refreshing (or logging in) when the run had to end: they never settled. */
  unsettledTabs: number[];
  stats: AuthServerStats;
  /** Whether the scenario refreshed with a stolen token on purpose. */
  theft: boolean;
}
