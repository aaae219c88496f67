import { AuthError, InvalidTokenResponseError, type SessionTokens, type TokenSet } from '@authmachine/core';
import { expect, vi } from 'vitest';
import { HttpStatusError, NoResponseError } from '../callErrors.js';
import type { FakeAuthApi, RefreshBehaviour } from '../fakeAuthApi.js';
import {
  BACKOFF_ELAPSED,
  contextOf,
  HOUR,
  LOGIN_DONE,
  LOGIN_ERROR,
  type ModelSnapshot,
  modelTimer,
  PROACTIVE_TIMER,
  REFRESH_DONE,
  REFRESH_ERROR,
  REFRESH_TIMED_OUT,
  RESTORE_DONE,
  RESTORE_ERROR,
  T0,
} from './coreModel.js';
import type { ModelRun } from './modelRun.js';

/*
 * The model test's steps: for each event of authMachine, what the app, its users, the server or
 * the passing time does for real (through the session and the adapter's client) to cause it.
 */

// ---------------------------------------------------------------------------------------------
// Session options, time and tokens

export const REFRESH_LEEWAY = 30_000;
export const REFRESH_TIMEOUT = 100;
/** One retry: enough to reach `refreshing.backingOff` and to exhaust the retries. */
export const REFRESH_RETRIES = 1;
const YEAR_IN_SECONDS = 365 * 86_400;

/** Tokens as the model holds them; all arrive at T0 in the model. */
function modelTokens(options: { refreshToken: boolean; expiresAt: number | null; name?: string }): SessionTokens {
  const name = options.name ?? 'model';
  return {
    accessToken: `${name}-access`,
    refreshToken: options.refreshToken ? `${name}-refresh` : null,
    expiresAt: options.expiresAt,
    receivedAt: T0,
  };
}

// How the errors the real session meets look to the model: the token calls go through the
// driver's client, whose outcome `tokensOf` turns into these, the same for every client.
function httpError(status: number, error?: string): Error {
  return new HttpStatusError(status, error === undefined ? undefined : { error });
}
/** The call never got an answer. */
const NETWORK_ERROR = new NoResponseError();
const STORAGE_UNAVAILABLE = new Error('IndexedDB is unavailable in private mode');

// ---------------------------------------------------------------------------------------------
// The model

export type ModelEvent = { type: string; variant: string } & Record<string, unknown>;

export interface Variant {
  /** Names the step in test titles. */
  name: string;
  type: string;
  /** The model event's payload, in the model state it is sent in. */
  payload?: (state: ModelSnapshot) => Record<string, unknown>;
  /** What the app, its users, the server or the passing time does, through the session and the client. */
  run: (run: ModelRun) => void | Promise<void>;
}

export const variants: Variant[] = [
  restoreFinds('storage: empty', 'empty', null),
  restoreFinds('storage: usable tokens', 'usable', modelTokens({ refreshToken: true, expiresAt: T0 + HOUR })),
  restoreFinds(
    'storage: tokens of unknown expiry',
    'unknown-expiry',
    modelTokens({ refreshToken: true, expiresAt: null }),
  ),
  restoreFinds(
    'storage: expired token + refresh token',
    'expired',
    modelTokens({ refreshToken: true, expiresAt: T0 - 60_000 }),
  ),
  restoreFinds(
    'storage: expired token only',
    'expired-no-refresh-token',
    modelTokens({ refreshToken: false, expiresAt: T0 - 60_000 }),
  ),
  {
    name: 'storage: read fails',
    type: RESTORE_ERROR,
    payload: () => ({ error: STORAGE_UNAVAILABLE }),
    run: (run) => run.storage.finishRead({ error: STORAGE_UNAVAILABLE }),
  },
  {
    name: 'storage: garbage',
    type: RESTORE_ERROR,
    payload: () => ({
      error: new AuthError('STORAGE_FAILED', 'not a token set', { cause: new InvalidTokenResponseError('garbage') }),
    }),
    run: (run) => run.storage.finishRead({ value: 'not a token set' }),
  },

  loginWithTokens('login(tokens from the server)', modelTokens({ refreshToken: true, expiresAt: T0 + HOUR }), (t) => t),
  loginWithTokens('login(access token only)', modelTokens({ refreshToken: false, expiresAt: null }), (t) => ({
    accessToken: t.accessToken,
  })),
  loginWithTokens(
    'login(year-long tokens)',
    modelTokens({ refreshToken: true, expiresAt: T0 + YEAR_IN_SECONDS * 1000 }),
    (t) => ({ ...t, expiresIn: YEAR_IN_SECONDS }),
  ),
  {
    name: 'login(fn posting /auth/login)',
    type: 'LOGIN_START',
    payload: () => ({ loginId: 1 }),
    run: (run) => run.loginWithFunction(),
  },
  {
    name: 'server accepts the login',
    type: LOGIN_DONE,
    payload: () => ({ output: modelTokens({ refreshToken: true, expiresAt: T0 + HOUR, name: 'login-call' }) }),
    run: async (run) => {
      run.currentLoginCall().release('answer');
      await run.atRest();
      run.receivedTokens(run.fakeTokens(3600));
    },
  },
  {
    name: 'server rejects the login (401)',
    type: LOGIN_ERROR,
    payload: () => ({ error: httpError(401, 'invalid_client') }),
    run: (run) => run.currentLoginCall().release(Response.json({ error: 'invalid_client' }, { status: 401 })),
  },
  {
    name: 'logout()',
    type: 'LOGOUT',
    run: (run) => run.trackUser('logout', run.session.logout()),
  },
  {
    name: 'server expires the access token; 2 requests get 401',
    type: 'TOKEN_REJECTED',
    payload: (state) => ({ accessToken: contextOf(state).accessToken }),
    run: (run) => {
      run.fake.expireAccessToken();
      run.serverAcceptsToken = false;
      run.fire('rejected');
      run.fire('rejected');
    },
  },
  {
    name: 'refresh()',
    type: 'REFRESH',
    run: (run) => run.trackUser('refresh', run.session.refresh()),
  },

  refreshAnswers('refresh answered: new tokens', REFRESH_DONE, 'ok', () => ({
    output: modelTokens({ refreshToken: true, expiresAt: T0 + HOUR, name: 'refreshed' }),
  })),
  refreshAnswers('refresh answered: 401', REFRESH_ERROR, 'rejected-401', () => ({
    error: httpError(401, 'invalid_client'),
  })),
  refreshAnswers('refresh answered: 400 invalid_grant', REFRESH_ERROR, 'invalid-grant', () => ({
    error: httpError(400, 'invalid_grant'),
  })),
  refreshAnswers('refresh answered: 500', REFRESH_ERROR, 'server-error', () => ({
    error: httpError(500, 'temporarily_unavailable'),
  })),
  refreshAnswers('refresh fails: network error', REFRESH_ERROR, 'network-error', () => ({ error: NETWORK_ERROR })),
  refreshAnswers('refresh answered: malformed body', REFRESH_ERROR, 'malformed', () => ({
    error: new InvalidTokenResponseError('accessToken must be a non-empty string'),
  })),
  {
    name: 'refresh call times out',
    type: REFRESH_TIMED_OUT,
    run: async (run) => {
      // Not a millisecond early: the call is still on at refreshTimeout - 1.
      await vi.advanceTimersByTimeAsync(REFRESH_TIMEOUT - 1);
      await run.atRest();
      expect(run.session.getSnapshot().status).toBe('refreshing');
      await vi.advanceTimersByTimeAsync(1);
    },
  },
  {
    name: 'backoff elapses',
    type: BACKOFF_ELAPSED,
    run: async (run) => {
      // 0.5–1 × 1 s, 2 s… before retry number `attempt`: no call before the earliest moment.
      const attempt = contextOf(run.model).refreshAttempt;
      const longest = Math.min(30_000, 1000 * 2 ** (attempt - 1));
      const start = Date.now();
      const callsBefore = run.held.refreshCalls.length;
      await vi.advanceTimersByTimeAsync(longest / 2 - 1);
      await run.atRest();
      expect(run.held.refreshCalls).toHaveLength(callsBefore);
      // The backoff is the only timer running: fire exactly it.
      expect(vi.getTimerCount()).toBe(1);
      await vi.advanceTimersToNextTimerAsync();
      expect(Date.now() - start).toBeLessThanOrEqual(longest);
    },
  },
  {
    name: 'proactive timer fires',
    type: PROACTIVE_TIMER,
    run: async (run) => {
      const { dueAt, firesAt } = run.proactiveTimer();
      if (firesAt < dueAt) {
        // A token living longer than one setTimeout can wait: its timer fires early and re-arms.
        await vi.advanceTimersByTimeAsync(firesAt - Date.now());
        return;
      }
      // Not a millisecond before the due time.
      const callsBefore = run.held.refreshCalls.length;
      await vi.advanceTimersByTimeAsync(dueAt - Date.now() - 1);
      await run.atRest();
      expect(run.session.getSnapshot().status).toBe('authenticated');
      expect(run.held.refreshCalls).toHaveLength(callsBefore);
      await vi.advanceTimersByTimeAsync(1);
    },
  },
];

export type RestoreKind = 'empty' | 'usable' | 'unknown-expiry' | 'expired' | 'expired-no-refresh-token';

function restoreFinds(name: string, kind: RestoreKind, output: SessionTokens | null): Variant {
  return {
    name,
    type: RESTORE_DONE,
    payload: () => ({ output }),
    run: (run) => run.finishRestore(kind),
  };
}

function loginWithTokens(
  name: string,
  model: SessionTokens,
  fromIssued: (issued: ReturnType<FakeAuthApi['issueTokens']>) => TokenSet,
): Variant {
  return {
    name,
    type: 'LOGIN',
    payload: () => ({ loginId: 1, tokens: model }),
    run: (run) => {
      // Tokens the fake server issued: it accepts this access token (and this refresh token) from now on.
      const tokens = fromIssued(run.fake.issueTokens());
      run.receivedTokens({
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken ?? null,
        expiresAt: tokens.expiresIn === undefined ? null : Date.now() + tokens.expiresIn * 1000,
      });
      run.trackUser('login', run.session.login(tokens));
    },
  };
}

function refreshAnswers(
  name: string,
  type: string,
  behaviour: RefreshBehaviour,
  payload: () => Record<string, unknown>,
): Variant {
  return {
    name,
    type,
    payload,
    run: async (run) => {
      run.fake.refreshBehaviour = behaviour;
      run.currentRefreshCall().release('answer');
      run.refreshCallsAnswered += 1;
      if (behaviour !== 'ok') return;
      await run.atRest();
      run.receivedTokens(run.fakeTokens(3600));
    },
  };
}

export function variantOf(event: ModelEvent): Variant {
  const variant = variants.find((candidate) => candidate.name === event.variant);
  if (!variant) throw new Error(`No real-world step for ${event.type}: add a variant for it.`);
  return variant;
}

/** What the app sees of an error: the library's by class and code (and cause), HTTP ones by status. */
export function errorKind(error: unknown): string {
  if (error === null || error === undefined) return 'none';
  if (error instanceof AuthError) return `${error.constructor.name}:${error.code}<${errorKind(error.cause)}>`;
  if (error instanceof HttpStatusError) return `HTTP ${error.status}`;
  if (error instanceof NoResponseError) return 'no response';
  return error instanceof Error ? error.name : typeof error;
}

/**
 * Which model states count as the same: the state value and the context that decides what happens
 * next, plus the step that led there, so that every transition from every state gets a path.
 */
export function describeState(state: ModelSnapshot): string {
  const context = contextOf(state);
  return JSON.stringify([
    state.value,
    context.refreshToken === null ? 'no refresh token' : 'refresh token',
    modelTimer(context),
    state.matches('refreshing') ? `attempt ${context.refreshAttempt}` : '',
    errorKind(context.error),
  ]);
}
