import type { RefreshFault } from '@authmachine/example-server';

/** Which HTTP client a tab's app uses: both adapters run against the same server in one scenario. */
export type ClientKind = 'axios' | 'fetch';

/** One thing that happens during a run, in order. Tabs are numbered from 0. */
export type ChaosStep =
  /**
   * `size` concurrent GETs from one tab; `foreign` of them go to an origin outside `allowedOrigins`;
   * those whose index is in `aborted` are aborted after `abortAfterMs`. `awaited: false` lets the
   * next steps run while the burst is in flight (a logout or a clock jump lands in the middle).
   */
  | {
      type: 'burst';
      tab: number;
      size: number;
      foreign: number;
      aborted: number[];
      abortAfterMs: number;
      awaited: boolean;
    }
  /** Real time passes: tokens expire, proactive timers fire, hung refreshes time out. */
  | { type: 'wait'; ms: number }
  /** The user logs in in this tab (a new token family). */
  | { type: 'login'; tab: number }
  | { type: 'logout'; tab: number }
  /** The app calls `session.refresh()` (its result may fail; it must settle). */
  | { type: 'forceRefresh'; tab: number }
  /** The device clock (every tab's `now`) moves by `ms`, forward or back. */
  | { type: 'clockJump'; ms: number }
  /** An admin revokes every session of the user on the server. */
  | { type: 'revoke' }
  /** A thief refreshes with tab 0's refresh token: the next legitimate refresh is a reuse detection. */
  | { type: 'theft' };

export interface ChaosScenario {
  /** One tab per entry, with the client it uses; more than one tab share a session (`crossTab`). */
  tabs: ClientKind[];
  /** The server's access-token lifetime in seconds. */
  accessTtl: number;
  refreshTimeout: number;
  refreshRetries: number;
  /** `false`: no proactive timer; else the session's `refreshLeeway` in ms. */
  refreshLeeway: number | false;
  /** The adapters' `queueTimeout`. */
  queueTimeout: number;
  /** Whether `logout()` also revokes the family on the server (the `revoke` option). */
  revokeOnLogout: boolean;
  /** The server's answer to refresh request number i + 1; null or past the end: a normal answer. */
  faults: (RefreshFault | null)[];
  steps: ChaosStep[];
}
