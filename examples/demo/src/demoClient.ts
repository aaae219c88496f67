import { attachAuth } from '@authmachine/axios';
import {
  type AuthSession,
  type AuthStatus,
  type CrossTabOptions,
  createAuthSession,
  SessionExpiredError,
} from '@authmachine/core';
import axios, { type AxiosInstance } from 'axios';
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
  /** `size` concurrent GETs through the attached instance; settles when every one has. */
  burst(size: number): Promise<BurstOutcome>;
  stop(): void;
}

export interface DemoClientOptions {
  /** Which simulated tab this is: its log lines say so. Absent for the single-tab demo. */
  tab?: number;
  /** Shares the session with the other tabs (`--tabs N`). */
  crossTab?: CrossTabOptions;
}

/**
 * What an app does: one axios instance with the session attached, the refresh call going through
 * that same instance with `skipAuth`. The proactive timer is off so that every refresh in the demo
 * is caused by 401s, the case the library exists for.
 */
export function createDemoClient(baseURL: string, log: DemoLog, options: DemoClientOptions = {}): DemoClient {
  const counters = zeroCounters();
  const api: AxiosInstance = axios.create({ baseURL });
  const session = createAuthSession({
    refreshLeeway: false,
    refresh: async ({ refreshToken, signal }) => {
      counters.refreshCalls += 1;
      return (await api.post('/auth/refresh', { refreshToken }, { signal, skipAuth: true })).data;
    },
    ...(options.crossTab ? { crossTab: options.crossTab } : {}),
  });
  const who = options.tab === undefined ? 'session' : `tab ${options.tab}: session`;
  const detach = attachAuth(api, session);

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
      const response = await api.post('/auth/login', { username, password }, { skipAuth: true });
      await session.login(response.data);
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
      detach();
      session.stop();
    },
  };
}

function describe(error: unknown): string {
  if (axios.isAxiosError(error))
    return `${error.message} (${error.config?.method?.toUpperCase()} ${error.config?.url})`;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
