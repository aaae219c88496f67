import {
  AuthError,
  type AuthMachineContext,
  type AuthSession,
  type AuthState,
  type AuthStatus,
  authMachine,
  createAuthSession,
  InvalidTokenResponseError,
  inProcessLocks,
  type RefreshContext,
  SessionExpiredError,
  type SessionTokens,
  TokenRefreshError,
  type TokenSet,
} from '@authmachine/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StateValue } from 'xstate';
import { createTestModel } from 'xstate/graph';
import {
  BACKOFF_ELAPSED,
  contextOf,
  HOUR,
  LOGIN_DONE,
  LOGIN_ERROR,
  MAX_TIMER_DELAY,
  type ModelSnapshot,
  machineGraph,
  modelMachine,
  modelTimer,
  PROACTIVE_TIMER,
  REFRESH_DONE,
  REFRESH_ERROR,
  REFRESH_TIMED_OUT,
  RESTORE_DONE,
  RESTORE_ERROR,
  stateIdsOf,
  stateValueOf,
  T0,
  topLevelState,
  transitionKey,
} from '../model/authMachineModel.js';
import {
  createControllableFunction,
  createRecordingStorage,
  createTabBus,
  type PendingCall,
  type RecordedEvent,
  recordEvents,
  type Tracked,
  trackPromise,
} from '../model/sessionHarness.js';

/*
 * Model-based tests of the core: `createTestModel` walks `authMachine` and generates paths that
 * reach every state and take every transition; each path then drives a REAL `createAuthSession`
 * (controllable refresh/login calls, an async recording storage, fake timers) the way users, the
 * app's server and the passing time do, and checks in every state what a user of the session sees.
 * The last test walks the machine itself and fails if the real session skipped any of its states
 * or transitions on these paths.
 */

// ---------------------------------------------------------------------------------------------
// Time and tokens

/** The documented defaults (docs/api/core.md, AuthSessionOptions), which the sessions under test keep. */
const REFRESH_LEEWAY = 30_000;
const REFRESH_TIMEOUT = 10_000;
const REFRESH_RETRIES = 2;
/** Math.random is pinned to this in every test, so the backoff jitter is a known factor (0.75). */
const RANDOM = 0.5;

const LOGIN_TOKENS: TokenSet = { accessToken: 'access-login', refreshToken: 'refresh-login', expiresIn: 3600 };
/** An opaque access token with no refresh token and no expiry: nothing can extend this session. */
const BARE_TOKEN: TokenSet = { accessToken: 'access-bare' };
/** Lives a year, far beyond one setTimeout (~24.8 days). */
const LONG_LIVED_TOKENS: TokenSet = {
  accessToken: 'access-long',
  refreshToken: 'refresh-long',
  expiresIn: 365 * 86_400,
};
const LOGIN_FUNCTION_TOKENS: TokenSet = { accessToken: 'access-fn', refreshToken: 'refresh-fn', expiresIn: 3600 };
const ROTATED_TOKENS: TokenSet = { accessToken: 'access-refreshed', refreshToken: 'refresh-rotated', expiresIn: 3600 };
/**
 * RFC 6749 §6: a refresh response may omit the refresh token; the old one is kept. This token also
 * lives less than twice the leeway, so its timer fires halfway through its life (not in a loop).
 */
const SHORT_LIVED_WITHOUT_REFRESH_TOKEN: TokenSet = { accessToken: 'access-refreshed-2', expiresIn: 20 };
/** What another tab of the app (crossTab) logged in with, and rotated to. */
const OTHER_TAB_LOGIN_TOKENS: TokenSet = { accessToken: 'access-tab2', refreshToken: 'refresh-tab2', expiresIn: 3600 };
const OTHER_TAB_ROTATED_TOKENS: TokenSet = {
  accessToken: 'access-tab2-rotated',
  refreshToken: 'refresh-tab2-rotated',
  expiresIn: 3600,
};
/** A login's or logout's Lamport stamp in cross-tab messages (crossTab/sessionOrder.ts). */
const SESSION_CHANGE_STAMP = { seq: expect.any(Number), tab: expect.any(String) };

/** What a discarded call delivers when it answers after all: it must never be stored. */
const LATE_TOKENS: TokenSet = { accessToken: 'access-late', refreshToken: 'refresh-late', expiresIn: 3600 };

const STORED_USABLE: TokenSet = { accessToken: 'access-stored', refreshToken: 'refresh-stored', expiresAt: T0 + HOUR };
const STORED_UNKNOWN_EXPIRY: TokenSet = { accessToken: 'access-stored', refreshToken: 'refresh-stored' };
const STORED_EXPIRED: TokenSet = {
  accessToken: 'access-stored',
  refreshToken: 'refresh-stored',
  expiresAt: T0 - 60_000,
};
const STORED_EXPIRED_NO_REFRESH: TokenSet = { accessToken: 'access-stored', expiresAt: T0 - 60_000 };
const STORED_GARBAGE = 'not a token set';

const ALL_TOKEN_VALUES = [
  LOGIN_TOKENS,
  BARE_TOKEN,
  LONG_LIVED_TOKENS,
  LOGIN_FUNCTION_TOKENS,
  ROTATED_TOKENS,
  SHORT_LIVED_WITHOUT_REFRESH_TOKEN,
  LATE_TOKENS,
  OTHER_TAB_LOGIN_TOKENS,
  OTHER_TAB_ROTATED_TOKENS,
  STORED_USABLE,
].flatMap((tokens) => [tokens.accessToken, tokens.refreshToken ?? []].flat());

// Errors as HTTP clients throw them (axios' shape: `response.status`, `response.data`).
function httpError(status: number, data?: unknown): Error {
  return Object.assign(new Error(`Request failed with status code ${status}`), {
    name: 'AxiosError',
    response: { status, data },
  });
}
const REFRESH_REJECTED = httpError(401);
/** A fetch wrapper that throws the parsed OAuth error body, with no status on it. */
const REFRESH_TOKEN_REVOKED = Object.assign(new Error('invalid_grant'), { body: { error: 'invalid_grant' } });
const REFRESH_UNAVAILABLE = httpError(503);
/** What fetch throws when the network is down: no status at all. */
const NETWORK_DOWN = new TypeError('fetch failed');
const LOGIN_REJECTED = httpError(401, { error: 'invalid_client' });
const STORAGE_UNAVAILABLE = new Error('IndexedDB is unavailable in private mode');
/** A body with the token under a name neither we nor RFC 6749 use. */
const MALFORMED_RESULT = { token: 'misnamed' } as unknown as TokenSet;

/** How the model reads a token set that arrives at T0 (docs/api/core.md, TokenSet: expiresAt, else expiresIn, else unknown). */
function modelTokens(tokens: TokenSet, previousRefreshToken: string | null = null): SessionTokens {
  return {
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken ?? previousRefreshToken,
    expiresAt: tokens.expiresAt ?? (tokens.expiresIn === undefined ? null : T0 + tokens.expiresIn * 1000),
    receivedAt: T0,
  };
}

// ---------------------------------------------------------------------------------------------
// The model: authMachine with its invoked actors and delays turned into plain events

type ModelEvent = { type: string } & Record<string, unknown>;

// ---------------------------------------------------------------------------------------------
// The events, each with what really happens to the session

interface Variant {
  /** Names the step in test titles. */
  name: string;
  type: string;
  /** The model event's payload, in the model state it is sent in. */
  payload?: (state: ModelSnapshot) => Record<string, unknown>;
  /** Offered only where this holds (every state where the machine takes `type`, by default). */
  offeredIn?: (state: ModelSnapshot) => boolean;
  /** Whether the step hands the session new tokens: the user sees `loggedIn`/`refreshed`. */
  delivers?: 'login' | 'refresh';
  /** The step happens in another tab of the app (crossTab): this tab must not announce it back. */
  fromOtherTab?: boolean;
  /** What the user, the app's servers, the storage or the passing time does to the real session. */
  run: (driver: SessionDriver, event: ModelEvent, next: ModelSnapshot) => void | Promise<void>;
  /**
   * Where the documented lifecycle (docs/machine.md) says the step leads, worked out from the spec and what the session held, not
   * from the machine: the model follows the machine, so this is what catches a wrong machine.
   */
  leadsTo: (driver: SessionDriver) => AuthStatus;
}

const withRefreshToken = (driver: SessionDriver): AuthStatus =>
  contextOf(driver.model).refreshToken === null ? 'expired' : 'refreshing';
/** A transient failure is retried `refreshRetries` times (default 2), then the tokens are kept. */
const afterTransientFailure = (driver: SessionDriver): AuthStatus =>
  contextOf(driver.model).refreshAttempt < REFRESH_RETRIES ? 'refreshing' : 'authenticated';

const notRestoring = (state: ModelSnapshot): boolean => !state.matches('restoring');

const variants: Variant[] = [
  {
    // session.login() waits for the restore to end, so while restoring a LOGIN can only reach the
    // machine through `session.actor`, which the contract exposes: it must be ignored.
    name: 'actor.send(LOGIN) while restoring',
    type: 'LOGIN',
    offeredIn: (state) => state.matches('restoring'),
    payload: () => ({ loginId: 0, tokens: modelTokens(LOGIN_TOKENS) }),
    leadsTo: () => 'restoring',
    run: (driver) =>
      driver.session.actor.send({
        type: 'LOGIN',
        loginId: 0,
        tokens: { ...modelTokens(LOGIN_TOKENS), receivedAt: Date.now() },
      }),
  },
  {
    name: 'actor.send(LOGIN_START) while restoring',
    type: 'LOGIN_START',
    offeredIn: (state) => state.matches('restoring'),
    payload: () => ({ loginId: 0 }),
    leadsTo: () => 'restoring',
    run: (driver) => driver.session.actor.send({ type: 'LOGIN_START', loginId: 0 }),
  },
  loginWithTokens('login(tokens)', LOGIN_TOKENS),
  loginWithTokens('login(bare access token)', BARE_TOKEN),
  loginWithTokens('login(year-long tokens)', LONG_LIVED_TOKENS),
  {
    name: 'login(fn)',
    type: 'LOGIN_START',
    offeredIn: notRestoring,
    payload: () => ({ loginId: 1 }),
    leadsTo: () => 'authenticating',
    run: (driver) => driver.loginWithFunction(),
  },
  {
    name: 'logout()',
    type: 'LOGOUT',
    leadsTo: () => 'anonymous',
    // Resolves once storage is cleared: what storage holds at that moment is part of the outcome.
    run: (driver) =>
      driver.track(
        'logout',
        driver.session.logout().then(() => driver.storage.held()),
      ),
  },
  {
    name: 'another tab logs out',
    type: 'LOGOUT',
    fromOtherTab: true,
    payload: () => ({ fromOtherTab: true }),
    leadsTo: () => 'anonymous',
    run: (driver) => driver.otherTab.post({ source: 'authmachine', v: 1, type: 'logout' }),
  },
  {
    // The other tab names the refresh token it held: this tab ends only if it holds the same one
    // (a tab with no refresh token, an opaque-token login, holds another session).
    name: "another tab's refresh was rejected",
    type: 'SESSION_ENDED',
    fromOtherTab: true,
    offeredIn: (state) => state.matches('authenticated') || state.matches('refreshing'),
    payload: (state) => ({ refreshToken: contextOf(state).refreshToken ?? 'refresh-of-another-session' }),
    leadsTo: (driver) =>
      contextOf(driver.model).refreshToken !== null ? 'expired' : driver.session.getSnapshot().status,
    run: (driver, event) =>
      driver.otherTab.post({ source: 'authmachine', v: 1, type: 'ended', refreshToken: event.refreshToken }),
  },
  otherTabSends('another tab logs in', [OTHER_TAB_LOGIN_TOKENS], 'login', ['anonymous', 'expired']),
  otherTabSends('another tab refreshed', [OTHER_TAB_ROTATED_TOKENS, OTHER_TAB_LOGIN_TOKENS], 'refresh', [
    'authenticated',
    'refreshing',
  ]),
  {
    name: '401 for the current token',
    type: 'TOKEN_REJECTED',
    payload: (state) => ({ accessToken: contextOf(state).accessToken }),
    leadsTo: withRefreshToken,
    run: (driver, event) => {
      if (typeof event.accessToken !== 'string') throw new Error('TOKEN_REJECTED needs a token');
      // Two requests failed with this token: as an HTTP adapter does, each reports its 401 and
      // waits for the token to retry with; the app calls refresh() too. Still one refresh call.
      for (let request = 0; request < 2; request += 1) {
        driver.session.tokenRejected(event.accessToken);
        driver.track('wait', driver.session.waitForAccessToken());
      }
      driver.track('refresh', driver.session.refresh());
    },
  },
  {
    name: 'late 401 for an old token',
    type: 'TOKEN_REJECTED',
    payload: () => ({ accessToken: 'access-from-an-earlier-session' }),
    leadsTo: (driver) => driver.session.getSnapshot().status,
    run: (driver) => {
      const before = driver.session.getSnapshot();
      driver.session.tokenRejected('access-from-an-earlier-session');
      // Nothing changes: the same snapshot object, and no refresh call.
      expect(driver.session.getSnapshot()).toBe(before);
      expect(driver.refreshCalls.unsettled()).toEqual([]);
    },
  },
  {
    name: 'refresh()',
    type: 'REFRESH',
    leadsTo: withRefreshToken,
    run: (driver) => driver.track('refresh', driver.session.refresh()),
  },

  restoreFinds('storage: empty', null, 'anonymous'),
  restoreFinds('storage: usable tokens', STORED_USABLE, 'authenticated'),
  restoreFinds('storage: tokens of unknown expiry', STORED_UNKNOWN_EXPIRY, 'authenticated'),
  restoreFinds('storage: expired token + refresh token', STORED_EXPIRED, 'refreshing'),
  restoreFinds('storage: expired token only', STORED_EXPIRED_NO_REFRESH, 'expired'),
  {
    name: 'storage: read fails',
    type: RESTORE_ERROR,
    payload: () => ({ error: STORAGE_UNAVAILABLE }),
    leadsTo: () => 'anonymous',
    run: (driver) => driver.storage.finishRead({ error: STORAGE_UNAVAILABLE }),
  },
  {
    name: 'storage: garbage',
    type: RESTORE_ERROR,
    payload: () => ({
      error: new AuthError('STORAGE_FAILED', 'The stored tokens are not a valid token set.', {
        cause: new InvalidTokenResponseError('expected an object'),
      }),
    }),
    leadsTo: () => 'anonymous',
    run: (driver) => driver.storage.finishRead({ value: STORED_GARBAGE }),
  },

  {
    name: 'login call succeeds',
    type: LOGIN_DONE,
    delivers: 'login',
    payload: () => ({ output: modelTokens(LOGIN_FUNCTION_TOKENS) }),
    leadsTo: () => 'authenticated',
    run: (driver) => {
      driver.tokensReceivedAt = Date.now();
      driver.currentLoginCall().resolve(LOGIN_FUNCTION_TOKENS);
    },
  },
  {
    name: 'login call rejected (401)',
    type: LOGIN_ERROR,
    payload: () => ({ error: LOGIN_REJECTED }),
    leadsTo: () => 'anonymous',
    run: (driver) => driver.currentLoginCall().reject(LOGIN_REJECTED),
  },
  {
    name: 'login call returns a malformed result',
    type: LOGIN_ERROR,
    payload: () => ({ error: new InvalidTokenResponseError('accessToken must be a non-empty string') }),
    leadsTo: () => 'anonymous',
    run: (driver) => driver.currentLoginCall().resolve(MALFORMED_RESULT),
  },

  refreshAnswers('refresh call rotates tokens', ROTATED_TOKENS),
  refreshAnswers('refresh call returns a 20 s token, no refresh token', SHORT_LIVED_WITHOUT_REFRESH_TOKEN),
  refreshFails('refresh call rejected (401)', REFRESH_REJECTED, () => 'expired'),
  refreshFails('refresh call rejected (invalid_grant body)', REFRESH_TOKEN_REVOKED, () => 'expired'),
  refreshFails('refresh call fails (503)', REFRESH_UNAVAILABLE, afterTransientFailure),
  refreshFails('refresh call fails (network down)', NETWORK_DOWN, afterTransientFailure),
  {
    name: 'refresh call returns a malformed result',
    type: REFRESH_ERROR,
    payload: () => ({ error: new InvalidTokenResponseError('accessToken must be a non-empty string') }),
    // A transient failure that is not retried: the same answer would come back.
    leadsTo: () => 'authenticated',
    run: (driver) => driver.currentRefreshCall().resolve(MALFORMED_RESULT),
  },
  {
    name: 'refresh call times out',
    type: REFRESH_TIMED_OUT,
    leadsTo: afterTransientFailure,
    run: async (driver) => {
      // Not a millisecond early: the call is still on at refreshTimeout - 1.
      await vi.advanceTimersByTimeAsync(REFRESH_TIMEOUT - 1);
      expect(driver.session.getSnapshot().status).toBe('refreshing');
      expect(driver.currentRefreshCall().args[0].signal.aborted).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
    },
  },
  {
    name: 'backoff elapses',
    type: BACKOFF_ELAPSED,
    leadsTo: () => 'refreshing',
    run: async (driver) => {
      // Exponential backoff with jitter: 1 s, 2 s, 4 s… times 0.5–1 (here 0.75, Math.random is pinned).
      const attempt = contextOf(driver.model).refreshAttempt;
      const delay = Math.round(Math.min(30_000, 1000 * 2 ** (attempt - 1)) * (0.5 + RANDOM / 2));
      const callsBefore = driver.refreshCalls.calls.length;
      await vi.advanceTimersByTimeAsync(delay - 1);
      expect(driver.refreshCalls.calls).toHaveLength(callsBefore);
      await vi.advanceTimersByTimeAsync(1);
    },
  },
  {
    name: 'proactive timer fires',
    type: PROACTIVE_TIMER,
    leadsTo: (driver) => (driver.proactiveTimerReArms() ? 'authenticated' : 'refreshing'),
    run: async (driver) => {
      if (driver.proactiveTimerReArms()) {
        // A token living longer than one setTimeout: its first timer fires early and only re-arms.
        await vi.advanceTimersByTimeAsync(MAX_TIMER_DELAY);
        return;
      }
      // Not a millisecond before the due time.
      const dueAt = driver.proactiveRefreshDueAt();
      const callsBefore = driver.refreshCalls.calls.length;
      await vi.advanceTimersByTimeAsync(dueAt - Date.now() - 1);
      expect(driver.session.getSnapshot().status).toBe('authenticated');
      expect(driver.refreshCalls.calls).toHaveLength(callsBefore);
      await vi.advanceTimersByTimeAsync(1);
    },
  },
];

function loginWithTokens(name: string, tokens: TokenSet): Variant {
  return {
    name,
    type: 'LOGIN',
    offeredIn: notRestoring,
    delivers: 'login',
    payload: () => ({ loginId: 1, tokens: modelTokens(tokens) }),
    leadsTo: () => 'authenticated',
    run: (driver) => {
      driver.tokensReceivedAt = Date.now();
      driver.track('login', driver.session.login(tokens));
    },
  };
}

/** Another tab's tokens reach this one: the first of `choices` this tab does not hold already. */
function otherTabSends(
  name: string,
  choices: TokenSet[],
  delivers: 'login' | 'refresh',
  offeredIn: AuthStatus[],
): Variant {
  const tokensFor = (state: ModelSnapshot): SessionTokens => {
    const fresh = choices.find((tokens) => tokens.accessToken !== contextOf(state).accessToken) ?? choices[0];
    return modelTokens(fresh as TokenSet);
  };
  return {
    name,
    type: 'TOKENS_SYNCED',
    delivers,
    fromOtherTab: true,
    offeredIn: (state) => offeredIn.some((status) => state.matches(status)),
    payload: (state) => ({ tokens: tokensFor(state) }),
    leadsTo: () => 'authenticated',
    run: (driver, event) => {
      driver.tokensReceivedAt = Date.now();
      const { receivedAt, ...rest } = event.tokens as SessionTokens;
      const expiresAt = rest.expiresAt === null ? null : rest.expiresAt - T0 + Date.now();
      driver.otherTab.post({
        source: 'authmachine',
        v: 1,
        type: 'tokens',
        tokens: { ...rest, expiresAt, receivedAt: Date.now() },
      });
    },
  };
}

function restoreFinds(name: string, stored: TokenSet | null, leadsTo: AuthStatus): Variant {
  return {
    name,
    type: RESTORE_DONE,
    leadsTo: () => leadsTo,
    payload: () => ({ output: stored === null ? null : modelTokens(stored) }),
    run: (driver) => {
      driver.tokensReceivedAt = Date.now();
      driver.storage.finishRead({ value: stored });
    },
  };
}

function refreshAnswers(name: string, tokens: TokenSet): Variant {
  return {
    name,
    type: REFRESH_DONE,
    delivers: 'refresh',
    leadsTo: () => 'authenticated',
    payload: (state) => ({ output: modelTokens(tokens, contextOf(state).refreshToken) }),
    run: (driver) => {
      driver.tokensReceivedAt = Date.now();
      driver.currentRefreshCall().resolve(tokens);
    },
  };
}

function refreshFails(name: string, error: unknown, leadsTo: (driver: SessionDriver) => AuthStatus): Variant {
  return {
    name,
    type: REFRESH_ERROR,
    leadsTo,
    payload: () => ({ error }),
    run: (driver) => driver.currentRefreshCall().reject(error),
  };
}

function variantOf(event: ModelEvent): Variant {
  const variant = variants.find((candidate) => candidate.name === event.variant);
  if (!variant) throw new Error(`No real-world step for ${event.type}: add a variant for it.`);
  return variant;
}

// ---------------------------------------------------------------------------------------------
// Which model states count as the same: the state value and all of the context a user can see or
// that decides what happens next (the timer, the retries used while refreshing), plus the step that
// led there, so that every transition from every state gets a path. (The traversal keeps one
// snapshot per key, so the key must hold everything the checks read.)

function describeState(state: ModelSnapshot): string {
  const context = contextOf(state);
  return JSON.stringify([
    state.value,
    context.accessToken,
    context.refreshToken,
    context.expiresAt,
    modelTimer(context),
    state.matches('refreshing') ? `attempt ${context.refreshAttempt}` : '',
    errorKind(context.error),
  ]);
}

function errorKind(error: unknown): string {
  if (error === null) return 'no error';
  if (error instanceof AuthError) return `${error.code}(${error.cause === undefined ? '' : errorKind(error.cause)})`;
  return error instanceof Error ? error.message : typeof error;
}

const model = createTestModel(modelMachine, {
  events: (state: ModelSnapshot): ModelEvent[] =>
    variants
      .filter((variant) => variant.offeredIn?.(state) ?? true)
      .map((variant) => ({ type: variant.type, variant: variant.name, ...variant.payload?.(state) })),
  serializeEvent: (event: ModelEvent) => `${event.type} (${event.variant})`,
  serializeState: (state: ModelSnapshot, event: ModelEvent | undefined, previous?: ModelSnapshot) =>
    `${describeState(state)} via ${event?.variant ?? 'start'} from ${JSON.stringify(previous?.value ?? null)}`,
});

const paths = model.getShortestPaths();

// ---------------------------------------------------------------------------------------------
// What the real session is checked against

const coverage = { states: new Set<string>(), transitions: new Set<string>(), pairs: new Set<string>() };

type UserPromiseKind = 'login' | 'login(fn)' | 'logout' | 'refresh' | 'wait';

interface UserPromise {
  kind: UserPromiseKind;
  promise: { current(): Tracked<unknown> };
  /** For login(fn): which one, so that only the latest may still be pending. */
  loginNumber: number;
  /** Whether the session was refreshing since the call: then a failed refresh rejects it. */
  sawRefreshing: boolean;
  checked: boolean;
}

/**
 * One real session, created at the start of a path, with doubles the path's events settle. It
 * remembers the step under way so that the state checks know what the user just did.
 */
class SessionDriver {
  readonly storage = createRecordingStorage({ holdReads: true });
  readonly refreshCalls = createControllableFunction<[RefreshContext], TokenSet>();
  readonly loginCalls = createControllableFunction<[], TokenSet>();
  /** The session runs with crossTab on; this is another tab of the app on the same channel. */
  private readonly tabs = createTabBus();
  readonly otherTab = this.tabs.peer('authmachine:authmachine');
  readonly session: AuthSession;
  readonly events: ReturnType<typeof recordEvents>;
  /** The model state the session was last checked against. */
  model: ModelSnapshot;
  /** When the current tokens reached the real session (the model has them all arrive at T0). */
  tokensReceivedAt = T0;
  private step: { variant: Variant; from: ModelSnapshot } | undefined;
  private storageCallsSeen = 0;
  private refreshCallsBeforeThisRefresh = 0;
  private loginFunctionsPassed = 0;
  private readonly userPromises: UserPromise[] = [];
  private readonly inspection: { unsubscribe(): void };
  private lastValue: StateValue;
  /** What `subscribe` listeners were told, and the snapshot seen at the last check. */
  private readonly notifications: AuthState[] = [];
  private lastSnapshot: AuthState;

  constructor(initial: ModelSnapshot) {
    this.model = initial;
    this.session = createAuthSession({
      refresh: this.refreshCalls.fn,
      storage: this.storage,
      // No handoff delay: the model counts the timers each state leaves running.
      crossTab: { channel: this.tabs.open, locks: inProcessLocks(), handoffDelay: 0 },
    });
    this.events = recordEvents(this.session);
    this.session.subscribe((state) => this.notifications.push(state));
    this.lastSnapshot = this.session.getSnapshot();
    // A request queued while the session restores.
    this.track('wait', this.session.waitForAccessToken());

    const { actor } = this.session;
    this.lastValue = actor.getSnapshot().value;
    for (const id of stateIdsOf(this.lastValue)) coverage.states.add(id);
    // Record what the real actor does, microstep by microstep (eventless steps included).
    this.inspection = actor.system.inspect((inspectionEvent) => {
      if (inspectionEvent.type !== '@xstate.microstep' || inspectionEvent.actorRef !== actor) return;
      const value = stateValueOf(inspectionEvent.snapshot);
      for (const transition of inspectionEvent._transitions) {
        coverage.transitions.add(transitionKey(transition));
        coverage.pairs.add(`${JSON.stringify(this.lastValue)} ${transitionKey(transition)}`);
      }
      for (const id of stateIdsOf(value)) coverage.states.add(id);
      this.lastValue = value;
    });
  }

  stop(): void {
    this.inspection.unsubscribe();
    this.session.stop();
  }

  track(kind: UserPromiseKind, promise: Promise<unknown>): void {
    this.userPromises.push({
      kind,
      promise: trackPromise(promise),
      loginNumber: this.loginFunctionsPassed,
      sawRefreshing: this.session.getSnapshot().status === 'refreshing',
      checked: false,
    });
  }

  loginWithFunction(): void {
    this.loginFunctionsPassed += 1;
    this.track('login(fn)', this.session.login(this.loginCalls.fn));
  }

  currentRefreshCall(): PendingCall<[RefreshContext], TokenSet> {
    const [call, ...others] = this.refreshCalls.unsettled();
    if (!call || others.length > 0) throw new Error('expected exactly one refresh call in flight');
    return call;
  }

  currentLoginCall(): PendingCall<[], TokenSet> {
    const [call, ...others] = this.loginCalls.unsettled();
    if (!call || others.length > 0) throw new Error('expected exactly one login call in flight');
    return call;
  }

  /** Retries in the refresh under way that waited for a call that timed out instead of calling. */
  joinedAttemptsThisRefresh = 0;
  lastAttemptTimedOut = false;

  /** Refresh calls made since the refresh under way began (the first call plus retries). */
  refreshCallsThisRefresh(): number {
    return this.refreshCalls.calls.length - this.refreshCallsBeforeThisRefresh;
  }

  /** The proactive timer: at expiresAt - refreshLeeway, or halfway through the token's life if that is later. */
  proactiveRefreshDueAt(): number {
    const expiresAt = this.realExpiresAt(contextOf(this.model));
    if (expiresAt === null) throw new Error('a scheduled refresh needs a known expiry');
    const receivedAt = this.tokensReceivedAt;
    return Math.max(expiresAt - REFRESH_LEEWAY, receivedAt + (expiresAt - receivedAt) / 2);
  }

  /** Due further away than one setTimeout can wait: the timer first fires only to re-arm. */
  proactiveTimerReArms(): boolean {
    return this.proactiveRefreshDueAt() - Date.now() > MAX_TIMER_DELAY;
  }

  /** A timer per token with a refresh token and a known future expiry, none after a failure. */
  expectsProactiveTimer(context: AuthMachineContext): boolean {
    const expiresAt = this.realExpiresAt(context);
    return (
      context.refreshToken !== null &&
      expiresAt !== null &&
      expiresAt > this.tokensReceivedAt &&
      !(context.error instanceof TokenRefreshError)
    );
  }

  realExpiresAt(context: AuthMachineContext): number | null {
    return context.expiresAt === null ? null : context.expiresAt - T0 + this.tokensReceivedAt;
  }

  /** The storage content that matches the tokens the model holds. */
  tokenSetOf(context: AuthMachineContext): TokenSet {
    const expiresAt = this.realExpiresAt(context);
    return {
      accessToken: String(context.accessToken),
      ...(context.refreshToken === null ? {} : { refreshToken: context.refreshToken }),
      ...(expiresAt === null ? {} : { expiresAt }),
    };
  }

  /** Runs one model event against the real session. */
  async perform(event: ModelEvent, next: ModelSnapshot): Promise<void> {
    const variant = variantOf(event);
    const from = this.model;
    this.step = { variant, from };
    if (next.matches('refreshing') && !from.matches('refreshing')) {
      this.refreshCallsBeforeThisRefresh = this.refreshCalls.calls.length;
      this.joinedAttemptsThisRefresh = 0;
      this.lastAttemptTimedOut = false;
    }
    // A retry after a timeout waits for the call that timed out: it may have rotated the token.
    if (variant.type === BACKOFF_ELAPSED && this.lastAttemptTimedOut) this.joinedAttemptsThisRefresh += 1;
    if (variant.type === REFRESH_TIMED_OUT || variant.type === REFRESH_ERROR) {
      this.lastAttemptTimedOut = variant.type === REFRESH_TIMED_OUT;
    }
    const expectedStatus = variant.leadsTo(this);
    const unsettledBefore = this.refreshCalls.unsettled();
    await variant.run(this, event, next);
    await settle();
    expect(this.session.getSnapshot().status, `documented: "${variant.name}" leads to ${expectedStatus}`).toBe(
      expectedStatus,
    );
    // What the other tabs hear: this tab's own logins, refreshes, logouts and rejected refresh tokens,
    // never what came from them.
    const heard = this.otherTab.take().filter((message) => (message as { type?: unknown }).type !== 'hello');
    const context = contextOf(next);
    const announced = variant.fromOtherTab
      ? []
      : variant.type === 'LOGOUT'
        ? [{ source: 'authmachine', v: 1, type: 'logout', stamp: SESSION_CHANGE_STAMP }]
        : from.matches('refreshing') && next.matches('expired')
          ? [{ source: 'authmachine', v: 1, type: 'ended', refreshToken: contextOf(from).refreshToken }]
          : variant.delivers
            ? [
                {
                  source: 'authmachine',
                  v: 1,
                  type: 'tokens',
                  tokens: {
                    accessToken: context.accessToken,
                    refreshToken: context.refreshToken,
                    expiresAt: this.realExpiresAt(context),
                    receivedAt: this.tokensReceivedAt,
                  },
                  // A rotation names the refresh token it consumed (a fingerprint, never the token),
                  // so that its holders take it whatever their clocks say; a login is stamped with
                  // its place in the order of session changes all tabs agree on.
                  ...(variant.delivers === 'refresh'
                    ? { replaces: expect.stringMatching(/^[0-9a-z]+$/) }
                    : { stamp: SESSION_CHANGE_STAMP }),
                },
              ]
            : [];
    expect(heard).toEqual(announced);

    // A refresh or login left behind is discarded: its refresh call is aborted, and
    // when it answers after all, nothing of it is kept. The state checks then prove the latter.
    // Within the refresh (a timeout, then its backoff) the call is kept: its answer is awaited.
    if (!next.matches('refreshing')) {
      const unsettledNow = this.refreshCalls.unsettled();
      for (const abandoned of unsettledBefore.filter((call) => unsettledNow.includes(call))) {
        expect(abandoned.args[0].signal.aborted).toBe(true);
        abandoned.resolve(LATE_TOKENS);
      }
      await settle();
    }
    if (from.matches('authenticating') && variant.type !== LOGIN_DONE && variant.type !== LOGIN_ERROR) {
      const newest = next.matches('authenticating') ? this.loginCalls.calls.at(-1) : undefined;
      const abandoned = this.loginCalls.unsettled().filter((call) => call !== newest);
      expect(abandoned).toHaveLength(1);
      for (const call of abandoned) call.resolve(LATE_TOKENS);
      await settle();
    }
  }

  /**
   * What every state shows a user: the snapshot, the token requests get, the events fired, the
   * timers left, the calls in flight and the outcome of the promises the user holds. `specific`
   * adds the state's own checks, given the storage calls made since the last check.
   */
  check(state: ModelSnapshot, specific: (writes: ReadonlyArray<unknown>) => void): void {
    const context = contextOf(state);
    const snapshot = this.session.getSnapshot();
    const status = topLevelState(state.value);
    const isAuthenticated = status === 'authenticated' || status === 'refreshing';

    expect({
      status: snapshot.status,
      isAuthenticated: snapshot.isAuthenticated,
      accessToken: snapshot.accessToken,
      expiresAt: snapshot.expiresAt,
    }).toEqual({
      status,
      isAuthenticated,
      accessToken: context.accessToken,
      expiresAt: this.realExpiresAt(context),
    });
    expect(errorShape(snapshot.error)).toEqual(errorShape(context.error));
    expect(this.session.getAccessToken()).toBe(isAuthenticated ? context.accessToken : null);
    expect(this.events.take()).toEqual(this.expectedEvents(state));
    // Subscribers hear of each change and end on the current snapshot, which keeps its identity
    // while nothing a user sees changes (so React does not re-render).
    const notified = this.notifications.splice(0);
    if (sameAuthState(snapshot, this.lastSnapshot)) {
      expect(snapshot).toBe(this.lastSnapshot);
      expect(notified).toEqual([]);
    } else {
      expect(notified.at(-1)).toBe(snapshot);
    }
    this.lastSnapshot = snapshot;
    // No token value ever appears in an error message (they end up in logs).
    for (const message of errorMessages(snapshot.error)) {
      for (const token of ALL_TOKEN_VALUES) expect(message).not.toContain(token);
    }

    // Calls in flight: one refresh call while `refreshing.calling` and none elsewhere; "one
    // refresh" means the first call plus one per retry, with the refresh token the session holds.
    const callKept = state.matches({ refreshing: 'backingOff' }) && this.lastAttemptTimedOut;
    if (state.matches({ refreshing: 'calling' }) || callKept) {
      const call = this.currentRefreshCall();
      expect(call).toBe(this.refreshCalls.calls.at(-1));
      expect(call.args[0].refreshToken).toBe(context.refreshToken);
      expect(call.args[0].signal.aborted).toBe(false);
      // One call per attempt, except the retries of a call that timed out: they wait for it.
      const attempts = context.refreshAttempt + (callKept ? 0 : 1);
      expect(this.refreshCallsThisRefresh()).toBe(attempts - this.joinedAttemptsThisRefresh);
    } else {
      expect(this.refreshCalls.unsettled()).toEqual([]);
    }
    if (state.matches('authenticating')) {
      expect(this.currentLoginCall()).toBe(this.loginCalls.calls.at(-1));
      expect(this.loginCalls.calls).toHaveLength(this.loginFunctionsPassed);
    } else {
      expect(this.loginCalls.unsettled()).toEqual([]);
    }

    this.checkUserPromises(state);
    specific(this.storage.calls.slice(this.storageCallsSeen));
    this.storageCallsSeen = this.storage.calls.length;
    this.model = state;
  }

  /** The events a user's `session.on(...)` handlers get for the step just taken (docs/api/core.md). */
  private expectedEvents(to: ModelSnapshot): RecordedEvent[] {
    if (!this.step) return [];
    const { variant, from } = this.step;
    const { error } = this.session.getSnapshot();
    const expiresAt = this.realExpiresAt(contextOf(to));
    const expected: RecordedEvent[] = [];
    if (variant.type === 'LOGOUT') expected.push({ name: 'loggedOut', payload: {} });
    if (variant.delivers === 'login') expected.push({ name: 'loggedIn', payload: { expiresAt } });
    if (variant.delivers === 'refresh') expected.push({ name: 'refreshed', payload: { expiresAt } });
    if (variant.type === RESTORE_ERROR) expected.push({ name: 'storageFailed', payload: { error } });
    if (to.matches('expired') && !from.matches('expired'))
      expected.push({ name: 'sessionExpired', payload: { error } });
    if (from.matches('refreshing') && to.matches('authenticated') && error instanceof TokenRefreshError) {
      expected.push({ name: 'refreshFailed', payload: { error } });
    }
    return expected;
  }

  /** The promises users hold settle when, and how, docs/api/core.md says. */
  private checkUserPromises(state: ModelSnapshot): void {
    const context = contextOf(state);
    const status = topLevelState(state.value);
    const { error } = this.session.getSnapshot();
    for (const held of this.userPromises) {
      if (held.checked) continue;
      if (status === 'refreshing') held.sawRefreshing = true;
      const outcome = held.promise.current();
      switch (held.kind) {
        case 'login':
          expect(outcome).toEqual({ status: 'resolved', value: undefined });
          break;
        case 'logout':
          // Resolved, and storage was already empty when it did.
          expect(outcome).toEqual({ status: 'resolved', value: null });
          break;
        case 'login(fn)': {
          const isLatest = held.loginNumber === this.loginFunctionsPassed;
          if (isLatest && status === 'authenticating') {
            expect(outcome).toEqual({ status: 'pending' });
            continue;
          }
          const endedBy = this.step?.variant.type;
          if (isLatest && endedBy === LOGIN_DONE) expect(outcome).toEqual({ status: 'resolved', value: undefined });
          else if (isLatest && endedBy === LOGIN_ERROR) expect(outcome).toEqual({ status: 'rejected', error });
          else expect(outcome).toMatchObject({ status: 'rejected', error: { code: 'LOGIN_CANCELLED' } });
          break;
        }
        case 'refresh':
        case 'wait': {
          if (status === 'restoring' || status === 'refreshing') {
            expect(outcome).toEqual({ status: 'pending' });
            continue;
          }
          expect(outcome).toEqual(this.expectedTokenOutcome(held, status, context, error));
          break;
        }
      }
      held.checked = true;
    }
  }

  private expectedTokenOutcome(
    held: UserPromise,
    status: string,
    context: AuthMachineContext,
    error: unknown,
  ): Tracked<unknown> {
    const failedRefresh = held.sawRefreshing && (status === 'expired' || error instanceof TokenRefreshError);
    if (status === 'authenticated' && !failedRefresh) return { status: 'resolved', value: context.accessToken };
    if (failedRefresh) return { status: 'rejected', error };
    // The session ended: both a wait and refresh() learn it, however it ended (one cause, one error).
    if (status === 'expired') return { status: 'rejected', error };
    if (held.kind === 'wait') return { status: 'resolved', value: null };
    // refresh() has no token to give: there is none to refresh.
    // A refresh() that had a session to refresh was cut short by a logout.
    const code = held.sawRefreshing ? 'LOGGED_OUT' : 'NOT_AUTHENTICATED';
    return {
      status: 'rejected',
      error: expect.objectContaining({ code }) as unknown,
    };
  }

  states(): Record<string, (state: ModelSnapshot) => void> {
    const noWrites = (writes: ReadonlyArray<unknown>) => expect(writes).toEqual([]);
    const holdsTokens = (state: ModelSnapshot, writes: ReadonlyArray<unknown>) => {
      const tokens = this.tokenSetOf(contextOf(state));
      expect(this.storage.held()).toEqual(tokens);
      if (this.step?.variant.delivers) {
        // New tokens are written in ONE set call: access token and (rotated) refresh token together.
        expect(writes).toEqual([{ op: 'set', tokens }]);
      } else {
        // Restored, or kept after a failed refresh or a late 401: nothing is written.
        expect(writes).toEqual([]);
      }
    };
    const restoreStep = () => this.step?.variant.type === RESTORE_DONE || this.step?.variant.type === RESTORE_ERROR;

    return {
      restoring: (state) =>
        this.check(state, () => {
          expect(this.storage.calls).toEqual([{ op: 'get' }]);
          expect(vi.getTimerCount()).toBe(0);
        }),
      anonymous: (state) =>
        this.check(state, (writes) => {
          expect(vi.getTimerCount()).toBe(0);
          if (restoreStep()) {
            // Nothing (usable) was stored: the restore reads once and writes nothing.
            expect(this.storage.calls).toEqual([{ op: 'get' }]);
          } else {
            expect(this.storage.held()).toBeNull();
            // logout() clears storage; a failed login had cleared it when it started.
            expect(writes).toEqual(this.step?.variant.type === 'LOGOUT' ? [{ op: 'clear' }] : []);
          }
        }),
      authenticating: (state) =>
        this.check(state, (writes) => {
          // A new login forgets the previous session, in storage too, before its call answers.
          expect(this.storage.held()).toBeNull();
          expect(writes).toEqual([{ op: 'clear' }]);
          expect(vi.getTimerCount()).toBe(0);
        }),
      'authenticated.refreshScheduled': (state) =>
        this.check(state, (writes) => {
          holdsTokens(state, writes);
          // The proactive timer, and nothing else.
          expect(this.expectsProactiveTimer(contextOf(state))).toBe(true);
          expect(vi.getTimerCount()).toBe(1);
        }),
      'authenticated.refreshNotScheduled': (state) =>
        this.check(state, (writes) => {
          holdsTokens(state, writes);
          // Unknown expiry, no refresh token, or a transient failure: no timer runs.
          expect(this.expectsProactiveTimer(contextOf(state))).toBe(false);
          expect(vi.getTimerCount()).toBe(0);
        }),
      'refreshing.calling': (state) =>
        this.check(state, (writes) => {
          expect(this.storage.held()).toEqual(this.tokenSetOf(contextOf(state)));
          noWrites(writes);
          // The refresh timeout.
          expect(vi.getTimerCount()).toBe(1);
        }),
      'refreshing.backingOff': (state) =>
        this.check(state, (writes) => {
          expect(this.storage.held()).toEqual(this.tokenSetOf(contextOf(state)));
          noWrites(writes);
          // The backoff before the retry.
          expect(vi.getTimerCount()).toBe(1);
        }),
      expired: (state) =>
        this.check(state, (writes) => {
          expect(contextOf(state).error).toBeInstanceOf(SessionExpiredError);
          expect(this.storage.held()).toBeNull();
          expect(writes).toEqual([{ op: 'clear' }]);
          expect(vi.getTimerCount()).toBe(0);
        }),
      // A state nobody wrote checks for (a new one in the machine) fails its paths.
      '*': (state) => {
        throw new Error(`No checks for state ${JSON.stringify(state.value)}: add them to states().`);
      },
    };
  }

  eventRunners(): Record<string, (step: { event: ModelEvent; state: ModelSnapshot }) => Promise<void>> {
    const run = (step: { event: ModelEvent; state: ModelSnapshot }) => this.perform(step.event, step.state);
    return Object.fromEntries(variants.map((variant) => [variant.type, run]));
  }
}

/** Lets every promise callback run, without moving the fake clock. */
async function settle(): Promise<void> {
  await vi.advanceTimersByTimeAsync(0);
  // The cross-tab refresh lets the channel deliver what is on its way (a real setImmediate) before
  // it calls: a step that starts a refresh has its call in flight only after that macrotask.
  await new Promise((resolve) => setImmediate(resolve));
  await vi.advanceTimersByTimeAsync(0);
}

function sameAuthState(a: AuthState, b: AuthState): boolean {
  return (
    a.status === b.status &&
    a.isAuthenticated === b.isAuthenticated &&
    a.accessToken === b.accessToken &&
    a.expiresAt === b.expiresAt &&
    a.error === b.error
  );
}

/** Errors compared by kind: the library's by class and code (and cause), the app's by identity. */
function errorShape(error: unknown): unknown {
  if (!(error instanceof AuthError)) return error;
  return { class: error.constructor.name, code: error.code, cause: errorShape(error.cause) };
}

function errorMessages(error: unknown): string[] {
  if (!(error instanceof AuthError)) return [];
  return [error.message, ...errorMessages(error.cause)];
}

function pathTitle(path: (typeof paths)[number]): string {
  const steps = path.steps.slice(1).map((step) => String((step.event as ModelEvent).variant));
  return `reaches ${stateIdsOf(path.state.value).at(-1)}: ${steps.join(' → ')}`;
}

// ---------------------------------------------------------------------------------------------

describe('authMachine model: every generated path, run on a real session', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    vi.spyOn(Math, 'random').mockReturnValue(RANDOM);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  for (const path of paths) {
    it(pathTitle(path), async () => {
      const driver = new SessionDriver(path.steps[0]?.state ?? path.state);
      try {
        await path.test({ states: driver.states(), events: driver.eventRunners() });
      } finally {
        driver.stop();
      }
    });
  }

  // Runs after the path tests above (vitest runs a file's tests in order); run the whole file.
  it('took every transition and visited every state of authMachine', () => {
    const graph = machineGraph(authMachine.root);
    const missedStates = graph.states.filter((id) => !coverage.states.has(id));
    const missedTransitions = [...graph.transitions]
      .filter(([key]) => !coverage.transitions.has(key))
      .map(([, text]) => text);

    console.log(
      `authMachine model: ${paths.length} generated paths (${paths.reduce((sum, path) => sum + path.steps.length - 1, 0)} steps); ` +
        `states ${graph.states.length - missedStates.length}/${graph.states.length}; ` +
        `transitions ${graph.transitions.size - missedTransitions.length}/${graph.transitions.size} ` +
        `(${coverage.pairs.size} distinct source-state/transition pairs)`,
    );
    expect({ missedStates, missedTransitions }).toEqual({ missedStates: [], missedTransitions: [] });
  });
});
