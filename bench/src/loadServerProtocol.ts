import type { AuthServerStats } from '@authmachine/example-server';

/** Every request of one load session carries this header, so the server counts per session. */
export const SESSION_HEADER = 'x-load-session';

/** What the server saw from one session (by `SESSION_HEADER`), counted when each answer was sent. */
export interface ServerSessionCounts {
  /** `POST /auth/refresh` answered 200: a refresh token rotated. */
  refreshes: number;
  /** `POST /auth/refresh` answered anything else. */
  refreshFailures: number;
  /** `/api/...` answered 200. */
  apiOk: number;
  /** `/api/...` answered 401: the token the request carried was refused. */
  apiUnauthorized: number;
  /** `/api/...` answered anything else. */
  apiOther: number;
}

export function emptySessionCounts(): ServerSessionCounts {
  return { refreshes: 0, refreshFailures: 0, apiOk: 0, apiUnauthorized: 0, apiOther: 0 };
}

export interface LoadServerStats {
  /** The reference server's own counters. */
  server: AuthServerStats;
  /** How late the server process's timers ran since the last reset, in ms. */
  eventLoopDelay: { p99Ms: number; maxMs: number };
  /** By session id. */
  sessions: Record<string, ServerSessionCounts>;
}

/** Parent → child over the IPC channel: read the counters, or zero them (after the warm-up). */
export type LoadServerRequest = 'stats' | 'reset';

/** Child → parent over the IPC channel; `reset` acknowledges a reset, so no request races it. */
export type LoadServerMessage =
  | { kind: 'ready'; url: string }
  | { kind: 'stats'; stats: LoadServerStats }
  | { kind: 'reset' };
