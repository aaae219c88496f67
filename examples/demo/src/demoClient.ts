import {
  type AuthSession,
  type AuthStatus,
  type CrossTabOptions,
  createAuthSession,
  SessionExpiredError,
  type TokenSet,
} from '@authmachine/core';
import axios from 'axios';
import { createDemoHttp, type DemoClientKind, type DemoHttp } from './demoHttp.js';
import type { DemoLog } from './demoLog.js';

export interface ClientCounters {
  sent: number;
  succeeded: number;
  /** Requests rejected with SessionExpiredError: the session had ended. */
  sessionExpired: number;
  /** Any other failure: never expected. */
  otherFailures: number;
  /** Calls the session made to the refresh endpoint. */
  refreshCalls: number;
  /** Refreshes that gave the session a new token. */
  refreshed: number;
}

export function zeroCounters(): ClientCounters {
  return { sent: 0, succeeded: 0, sessionExpired: 0, otherFailures: 0, refreshCalls: 0, refreshed: 0 };
}

export interface BurstOutcome {
  sent: number;
  succeeded: number;
  sessionExpired: number;
  otherFailures: number;
  /** The first unexpected error's description, to print when something went wrong. */
  firstOtherFailure: string | null;
}

export interface DemoClient {
  readonly session: AuthSession;
  readonly counters: ClientCounters;
  login(username: string, password: string): Promise<void>;
  /** `size` concurrent GETs through the client's adapter; settles when every one has. */
  burst(size: number): Promise<BurstOutcome>;
  stop(): void;
}

export interface DemoClientOptions {
  /** The adapter the calls go through; default axios. */
  client?: DemoClientKind;
  /** Which simulated tab this is: its log lines say so. Absent for the single-tab demo. */
  tab?: number;
  /** Shares the session with the other tabs (`--tabs N`). */
  crossTab?: CrossTabOptions;
}

/**
 * What an app does: one HTTP client with the session attached (an axios instance or an auth
 * fetch), the refresh call going through that same client with `skipAuth`. The proactive timer is
 * off so that every refresh in the demo is caused by requests: a burst that finds its token expired
 * (it waits for one refresh instead of sending the dead token), or a burst that meets 401s.
 */
export function createDemoClient(baseURL: string, log: DemoLog, options: DemoClientOptions = {}): DemoClient {
  const counters = zeroCounters();
  // The client needs the session and the session's refresh needs the client. The session calls
  // refresh only after a restore or a 401, never while it is being created, so `http` is set by then.
  let http: DemoHttp | null = null;
  const session = createAuthSession({
    refreshLeeway: false,
    refresh: async ({ refreshToken, signal }) => {
      counters.refreshCalls += 1;
      if (http === null) throw new Error('The demo client refreshed before its HTTP client existed.');
      return await http.post<TokenSet>('/auth/refresh', { refreshToken }, { signal, skipAuth: true });
    },
    // A logout revokes the session on the server too (its refresh token family), in the background.
    revoke: async ({ refreshToken, signal }) => {
      if (http !== null && refreshToken !== null) {
        await http.post('/auth/logout', { refreshToken }, { signal, skipAuth: true });
      }
    },
    ...(options.crossTab ? { crossTab: options.crossTab } : {}),
  });
  const api = createDemoHttp(options.client ?? 'axios', baseURL, session);
  http = api;
  const who = options.tab === undefined ? 'session' : `tab ${options.tab}: session`;

  let status: AuthStatus = session.getSnapshot().status;
  // A tab that leaves `refreshing` without a refresh call of its own took another tab's new tokens.
  let callsBefore = 0;
  const unsubscribe = session.subscribe((state) => {
    if (state.status === status) return;
    const fromOtherTab =
      options.crossTab && status === 'refreshing' && counters.refreshCalls === callsBefore ? ', from another tab' : '';
    if (status === 'refreshing') callsBefore = counters.refreshCalls;
    const expiry =
      state.status === 'authenticated' && state.expiresAt !== null
        ? log.dim(` (token valid for ${((state.expiresAt - Date.now()) / 1000).toFixed(1)} s${fromOtherTab})`)
        : '';
    log.event(`${who} ${status} → ${state.status}${expiry}`);
    status = state.status;
  });
  const offRefreshed = session.on('refreshed', () => {
    counters.refreshed += 1;
  });
  const offExpired = session.on('sessionExpired', ({ error }) => {
    log.event(`${who} ended: ${error.message}`);
  });

  let nextItem = 0;
  return {
    session,
    counters,
    async login(username, password) {
      await session.login(await api.post<TokenSet>('/auth/login', { username, password }, { skipAuth: true }));
    },
    async burst(size) {
      const requests = Array.from({ length: size }, () => {
        nextItem = (nextItem % 1000) + 1;
        return api.get(`/api/items/${nextItem}`);
      });
      const results = await Promise.allSettled(requests);
      const outcome: BurstOutcome = {
        sent: size,
        succeeded: 0,
        sessionExpired: 0,
        otherFailures: 0,
        firstOtherFailure: null,
      };
      for (const result of results) {
        if (result.status === 'fulfilled') outcome.succeeded += 1;
        else if (result.reason instanceof SessionExpiredError) outcome.sessionExpired += 1;
        else {
          outcome.otherFailures += 1;
          outcome.firstOtherFailure ??= describe(result.reason);
        }
      }
      counters.sent += outcome.sent;
      counters.succeeded += outcome.succeeded;
      counters.sessionExpired += outcome.sessionExpired;
      counters.otherFailures += outcome.otherFailures;
      return outcome;
    },
    stop() {
      unsubscribe();
      offRefreshed();
      offExpired();
      api.close();
      session.stop();
    },
  };
}

function describe(error: unknown): string {
  if (axios.isAxiosError(error))
    return `${error.message} (${error.config?.method?.toUpperCase()} ${error.config?.url})`;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
