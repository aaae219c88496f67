/** What the server counted since it started or since the last reset. Read by tests and the demo. */
export interface AuthServerStats {
  /** Every request answered, except those to `/stats` itself (reading the counters leaves them be). */
  requests: number;
  /** Successful logins. */
  logins: number;
  loginFailures: number;
  /** Well-formed requests to `/auth/refresh`, counted on arrival. */
  refreshRequests: number;
  /**
   * Refreshes whose client disconnected during the `refreshDelay` wait: answered with nothing,
   * nothing rotated, the refresh token still valid.
   */
  refreshesAbandoned: number;
  /**
   * Refresh requests the `refreshFault` hook chose to fail (an error status, a drop, a hang, a
   * late or lost answer). Counted on arrival; they count in the other counters as what they did.
   */
  refreshFaults: number;
  /** Successful refreshes (each rotated a refresh token), answered or not. */
  refreshes: number;
  /** Refreshes answered 400 invalid_grant: unknown, expired, revoked or reused refresh token. */
  refreshFailures: number;
  /** A rotated refresh token came back (RFC 9700 §4.14.2): its whole family was revoked. */
  reuseDetections: number;
  logouts: number;
  /** Token families revoked by `POST /admin/revoke` or `revokeUser()`. */
  adminRevocations: number;
  /** Requests to `/api/...`, CORS preflights not counted. */
  apiRequests: number;
  /** `/api/...` requests answered 2xx. */
  apiSucceeded: number;
  /**
   * Distinct access tokens refused because they had expired: the expiries clients crossed. A
   * client that refreshes once per expiry makes as many refreshes.
   */
  expiredTokens: number;
  /** 401 responses served, on any route. */
  unauthorized: number;
  /** 403 responses served, on any route. */
  forbidden: number;
}

export function emptyStats(): AuthServerStats {
  return {
    requests: 0,
    logins: 0,
    loginFailures: 0,
    refreshRequests: 0,
    refreshesAbandoned: 0,
    refreshFaults: 0,
    refreshes: 0,
    refreshFailures: 0,
    reuseDetections: 0,
    logouts: 0,
    adminRevocations: 0,
    apiRequests: 0,
    apiSucceeded: 0,
    expiredTokens: 0,
    unauthorized: 0,
    forbidden: 0,
  };
}
