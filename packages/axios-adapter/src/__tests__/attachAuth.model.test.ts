import {
  AuthError,
  InvalidTokenResponseError,
  SessionExpiredError,
  type SessionTokens,
  TokenRefreshError,
  type TokenSet,
} from '@authmachine/core';
import { FakeAuthApi, type RefreshBehaviour } from '@authmachine/test-kit';
import { type AxiosResponse, CanceledError, isAxiosError } from 'axios';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
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
  refreshStartedBy,
  stateIdsOf,
  stateValueOf,
  T0,
  topLevelState,
  transitionKey,
} from '../../../core/src/__tests__/support/authMachineModel.js';
import {
  createRecordingStorage,
  type Tracked,
  trackPromise,
} from '../../../core/src/__tests__/support/sessionHarness.js';
import { type AttachedClient, attachedClient } from './support/attachedClient.js';
import { CallTracker, HeldAuthEndpoints, type HeldCall, untilAtRest } from './support/axiosModelHarness.js';

/*
 * Model-based test of the axios adapter: `createTestModel` walks authMachine (as the core's model
 * test does) and generates paths that reach each of its states and take each transition the
 * adapter can reach. Every path drives a REAL session with `attachAuth` on a real axios instance,
 * against the fake auth server in msw handlers: 401s come from the server after it expires the
 * access token, the refresh call goes through the attached instance (`skipAuth`) to the server,
 * whose answer (ok, 401, invalid_grant, 500, network error, malformed) each step decides when it
 * releases the held call. In every state the test checks what users of axios see: the session's
 * status, the Authorization header the server got on each request, what each caller got (data,
 * SessionExpiredError, TokenRefreshError, the original 401, CanceledError) and how many refresh
 * calls the server saw (one per refresh call the machine made, never more). The last test walks the
 * machine itself and fails if the real session skipped any state or transition the adapter can reach.
 *
 * Time is fake (setTimeout and Date; msw answers over the real event loop, which stays real), so
 * that the refresh timeout, the backoff between retries and the proactive timer (also the one that
 * only re-arms, after 24.8 days) are driven exactly and the file runs in a few seconds.
 */

// ---------------------------------------------------------------------------------------------
// Session options, time and tokens

const REFRESH_LEEWAY = 30_000;
const REFRESH_TIMEOUT = 100;
/** One retry: enough to reach `refreshing.backingOff` and to exhaust the retries. */
const REFRESH_RETRIES = 1;
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

// How the errors the real session meets look to the model: axios' shape, `response.status`.
function httpError(status: number, error?: string): Error {
  return Object.assign(new Error(`Request failed with status code ${status}`), {
    name: 'AxiosError',
    response: { status, data: error === undefined ? undefined : { error } },
  });
}
/** An axios error with no response: the request never got an answer. */
const NETWORK_ERROR = Object.assign(new Error('Network Error'), { isAxiosError: true });
const STORAGE_UNAVAILABLE = new Error('IndexedDB is unavailable in private mode');

// ---------------------------------------------------------------------------------------------
// The model

type ModelEvent = { type: string; variant: string } & Record<string, unknown>;

interface Variant {
  /** Names the step in test titles. */
  name: string;
  type: string;
  /** The model event's payload, in the model state it is sent in. */
  payload?: (state: ModelSnapshot) => Record<string, unknown>;
  /** What the app, its users, the server or the passing time does, through the session and axios. */
  run: (driver: AxiosDriver) => void | Promise<void>;
}

const variants: Variant[] = [
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
    run: (driver) => driver.storage.finishRead({ error: STORAGE_UNAVAILABLE }),
  },
  {
    name: 'storage: garbage',
    type: RESTORE_ERROR,
    payload: () => ({
      error: new AuthError('STORAGE_FAILED', 'not a token set', { cause: new InvalidTokenResponseError('garbage') }),
    }),
    run: (driver) => driver.storage.finishRead({ value: 'not a token set' }),
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
    type: 'LOGIN',
    payload: () => ({ loginId: 1, login: async () => modelTokens({ refreshToken: true, expiresAt: T0 + HOUR }) }),
    run: (driver) => driver.loginWithFunction(),
  },
  {
    name: 'server accepts the login',
    type: LOGIN_DONE,
    payload: () => ({ output: modelTokens({ refreshToken: true, expiresAt: T0 + HOUR, name: 'login-call' }) }),
    run: async (driver) => {
      driver.currentLoginCall().release('answer');
      await driver.atRest();
      driver.receivedTokens(driver.fakeTokens(3600));
    },
  },
  {
    name: 'server rejects the login (401)',
    type: LOGIN_ERROR,
    payload: () => ({ error: httpError(401, 'invalid_client') }),
    run: (driver) => driver.currentLoginCall().release(Response.json({ error: 'invalid_client' }, { status: 401 })),
  },
  {
    name: 'logout()',
    type: 'LOGOUT',
    run: (driver) => driver.trackUser('logout', driver.client.session.logout()),
  },
  {
    name: 'server expires the access token; 2 requests get 401',
    type: 'TOKEN_REJECTED',
    payload: (state) => ({ accessToken: contextOf(state).accessToken }),
    run: (driver) => {
      driver.fake.expireAccessToken();
      driver.serverAcceptsToken = false;
      driver.fire('rejected');
      driver.fire('rejected');
    },
  },
  {
    name: 'refresh()',
    type: 'REFRESH',
    run: (driver) => driver.trackUser('refresh', driver.client.session.refresh()),
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
    run: async (driver) => {
      // Not a millisecond early: the call is still on at refreshTimeout - 1.
      await vi.advanceTimersByTimeAsync(REFRESH_TIMEOUT - 1);
      await driver.atRest();
      expect(driver.client.session.getSnapshot().status).toBe('refreshing');
      await vi.advanceTimersByTimeAsync(1);
    },
  },
  {
    name: 'backoff elapses',
    type: BACKOFF_ELAPSED,
    run: async (driver) => {
      // 0.5–1 × 1 s, 2 s… before retry number `attempt`: no call before the earliest moment.
      const attempt = contextOf(driver.model).refreshAttempt;
      const longest = Math.min(30_000, 1000 * 2 ** (attempt - 1));
      const start = Date.now();
      const callsBefore = driver.held.refreshCalls.length;
      await vi.advanceTimersByTimeAsync(longest / 2 - 1);
      await driver.atRest();
      expect(driver.held.refreshCalls).toHaveLength(callsBefore);
      // The backoff is the only timer running: fire exactly it.
      expect(vi.getTimerCount()).toBe(1);
      await vi.advanceTimersToNextTimerAsync();
      expect(Date.now() - start).toBeLessThanOrEqual(longest);
    },
  },
  {
    name: 'proactive timer fires',
    type: PROACTIVE_TIMER,
    run: async (driver) => {
      const { dueAt, firesAt } = driver.proactiveTimer();
      if (firesAt < dueAt) {
        // A token living longer than one setTimeout can wait: its timer fires early and re-arms.
        await vi.advanceTimersByTimeAsync(firesAt - Date.now());
        return;
      }
      // Not a millisecond before the due time.
      const callsBefore = driver.held.refreshCalls.length;
      await vi.advanceTimersByTimeAsync(dueAt - Date.now() - 1);
      await driver.atRest();
      expect(driver.client.session.getSnapshot().status).toBe('authenticated');
      expect(driver.held.refreshCalls).toHaveLength(callsBefore);
      await vi.advanceTimersByTimeAsync(1);
    },
  },
];

type RestoreKind = 'empty' | 'usable' | 'unknown-expiry' | 'expired' | 'expired-no-refresh-token';

function restoreFinds(name: string, kind: RestoreKind, output: SessionTokens | null): Variant {
  return {
    name,
    type: RESTORE_DONE,
    payload: () => ({ output }),
    run: (driver) => driver.finishRestore(kind),
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
    run: (driver) => {
      // Tokens the fake server issued: it accepts this access token (and this refresh token) from now on.
      const tokens = fromIssued(driver.fake.issueTokens());
      driver.receivedTokens({
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken ?? null,
        expiresAt: tokens.expiresIn === undefined ? null : Date.now() + tokens.expiresIn * 1000,
      });
      driver.trackUser('login', driver.client.session.login(tokens));
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
    run: async (driver) => {
      driver.fake.refreshBehaviour = behaviour;
      driver.currentRefreshCall().release('answer');
      driver.refreshCallsAnswered += 1;
      if (behaviour !== 'ok') return;
      await driver.atRest();
      driver.receivedTokens(driver.fakeTokens(3600));
    },
  };
}

function variantOf(event: ModelEvent): Variant {
  const variant = variants.find((candidate) => candidate.name === event.variant);
  if (!variant) throw new Error(`No real-world step for ${event.type}: add a variant for it.`);
  return variant;
}

/** What the app sees of an error: the library's by class and code (and cause), HTTP ones by status. */
function errorKind(error: unknown): string {
  if (error === null || error === undefined) return 'none';
  if (error instanceof AuthError) return `${error.constructor.name}:${error.code}<${errorKind(error.cause)}>`;
  const status = (error as { response?: { status?: unknown } }).response?.status;
  if (typeof status === 'number') return `HTTP ${status}`;
  if ((error as { isAxiosError?: unknown }).isAxiosError === true) return 'no response';
  return error instanceof Error ? error.name : typeof error;
}

/**
 * Which model states count as the same: the state value and the context that decides what happens
 * next, plus the step that led there, so that every transition from every state gets a path.
 */
function describeState(state: ModelSnapshot): string {
  const context = contextOf(state);
  return JSON.stringify([
    state.value,
    context.refreshToken === null ? 'no refresh token' : 'refresh token',
    modelTimer(context),
    state.matches('refreshing') ? `attempt ${context.refreshAttempt}` : '',
    errorKind(context.error),
  ]);
}

/**
 * Traversal steps allowed (this model takes about 1,150): a state key that lets the traversal run
 * away fails here at once instead of generating thousands of slow paths.
 */
const TRAVERSAL_LIMIT = 3_000;

const model = createTestModel(modelMachine, {
  input: { refreshLeeway: REFRESH_LEEWAY, refreshTimeout: REFRESH_TIMEOUT, refreshRetries: REFRESH_RETRIES },
  events: (state: ModelSnapshot): ModelEvent[] =>
    variants.map((variant) => ({ type: variant.type, variant: variant.name, ...variant.payload?.(state) })),
  // Only events the machine takes in that state (a no-op says nothing about the adapter), and none
  // of the bare `{ type }` events createTestModel adds for event types no variant was offered for.
  filterEvents: (state: ModelSnapshot, event: ModelEvent) => typeof event.variant === 'string' && state.can(event),
  // A guard against a state key that lets the traversal run away.
  limit: TRAVERSAL_LIMIT,
  serializeEvent: (event: ModelEvent) => `${event.type} (${event.variant})`,
  // Around a refresh, also what started it: a 401 leaves requests waiting after their own 401, and
  // refresh() a caller waiting for its promise, so each way in meets each way out.
  serializeState: (state: ModelSnapshot, event: ModelEvent | undefined, previous?: ModelSnapshot) =>
    `${describeState(state)} via ${event?.variant ?? 'start'} from ${JSON.stringify(previous?.value ?? null)}` +
    (state.matches('refreshing') || previous?.matches('refreshing')
      ? ` (refresh started by ${refreshStartedBy(state)})`
      : ''),
});

const paths = model.getShortestPaths();

// ---------------------------------------------------------------------------------------------
// The real system and what users see of it

const coverage = { states: new Set<string>(), transitions: new Set<string>() };

const SESSION_EXPIRED = 'SessionExpiredError (the session error)';
const TOKEN_REFRESH_FAILED = 'TokenRefreshError (the session error)';
const CANCELED = 'CanceledError';
const UNAUTHORIZED = 'the 401 AxiosError';

interface Expected {
  outcome: string;
  /** The Authorization header of each attempt the server saw for this request's path, in order. */
  serverSaw: Array<string | null>;
}

interface FiredRequest {
  path: string;
  /**
   * `sent`: went out at once and its answer is known; `rejected`: carried a token the server no
   * longer accepts; `queued`: made while restoring or refreshing, so it waits; `aborted`: queued,
   * then its signal aborted.
   */
  kind: 'sent' | 'rejected' | 'queued' | 'aborted';
  carried: string | null;
  sawRefreshing: boolean;
  settled: { current(): Tracked<AxiosResponse> };
  expected?: Expected;
  checked: boolean;
}

interface UserCall {
  kind: 'login' | 'login(fn)' | 'logout' | 'refresh';
  settled: { current(): Tracked<unknown> };
  loginNumber: number;
  sawRefreshing: boolean;
  checked: boolean;
}

interface HeldTokens {
  accessToken: string;
  refreshToken: string | null;
  expiresAt: number | null;
  receivedAt: number;
}

const bearer = (token: string | null): string | null => (token === null ? null : `Bearer ${token}`);

/** One session with attachAuth on an axios instance, against a fresh fake server, for one path. */
class AxiosDriver {
  readonly fake = new FakeAuthApi();
  readonly held = new HeldAuthEndpoints();
  readonly calls = new CallTracker();
  readonly storage = createRecordingStorage({ holdReads: true });
  client!: AttachedClient;
  /** The model state the system was last checked against. */
  model: ModelSnapshot;
  /** The tokens the session holds, as the fake server issued them. */
  tokens: HeldTokens | null = null;
  /** Whether the server accepts the session's access token (false once it expired it). */
  serverAcceptsToken = false;
  refreshCallsAnswered = 0;
  private expectedRefreshCalls = 0;
  /** Refresh calls the server had seen when the refresh under way began. */
  private refreshCallsBeforeThisRefresh = 0;
  private timerArmedAt = T0;
  private loginFunctionsPassed = 0;
  private requestNumber = 0;
  private readonly requests: FiredRequest[] = [];
  private readonly userCalls: UserCall[] = [];
  /** Queued requests whose signal the probe aborts once they wait. */
  private readonly abortLater: AbortController[] = [];
  private step: { variant: Variant; from: ModelSnapshot } | undefined;
  private inspection: { unsubscribe(): void } | undefined;

  constructor(initial: ModelSnapshot) {
    this.model = initial;
  }

  async start(): Promise<void> {
    server.resetHandlers(...this.held.handlers, ...this.fake.handlers);
    this.client = await attachedClient(this.fake, {
      loggedIn: false,
      session: {
        storage: this.storage,
        refreshLeeway: REFRESH_LEEWAY,
        refreshTimeout: REFRESH_TIMEOUT,
        refreshRetries: REFRESH_RETRIES,
      },
    });
    this.calls.install(this.client.api);
    // Node's own http transport instead of follow-redirects, which arms a 0 ms timer per request
    // (axios calls req.setTimeout(0)): sent from inside a fake-timer callback, that timer would stay
    // pending until the clock moves and blur the count of the session's own timers.
    this.client.api.defaults.maxRedirects = 0;

    const { actor } = this.client.session;
    for (const id of stateIdsOf(actor.getSnapshot().value)) coverage.states.add(id);
    // Record what the real actor does, microstep by microstep (eventless steps included).
    this.inspection = actor.system.inspect((inspectionEvent) => {
      if (inspectionEvent.type !== '@xstate.microstep' || inspectionEvent.actorRef !== actor) return;
      for (const transition of inspectionEvent._transitions) coverage.transitions.add(transitionKey(transition));
      for (const id of stateIdsOf(stateValueOf(inspectionEvent.snapshot))) coverage.states.add(id);
    });
    // Requests made while the session restores.
    await this.probe(this.model);
  }

  stop(): void {
    this.inspection?.unsubscribe();
    this.client?.detach();
    this.client?.session.stop();
    this.held.releaseAll();
  }

  /** Until every request is answered or deliberately held, with the fake clock standing still. */
  atRest(): Promise<void> {
    return untilAtRest(
      () => this.calls.unheld(this.held.heldIds()).length === 0,
      () =>
        JSON.stringify([
          this.calls.sent,
          this.calls.settledCount,
          this.fake.apiRequests.length,
          this.held.refreshCalls.length,
          this.held.loginCalls.length,
          this.client.session.getSnapshot().status,
          this.requests.filter((request) => request.settled.current().status !== 'pending').length,
        ]),
    );
  }

  // --- what the steps do ----------------------------------------------------------------------

  fire(kind: 'sent' | 'rejected' | 'queued' | 'aborted'): void {
    this.requestNumber += 1;
    const path = `/api/model/${this.requestNumber}`;
    const controller = kind === 'aborted' ? new AbortController() : undefined;
    const promise = this.client.api.get(path, controller ? { signal: controller.signal } : {});
    const carried = kind === 'rejected' || kind === 'sent' ? (this.tokenInUse() ?? null) : null;
    const request: FiredRequest = {
      path,
      kind,
      carried,
      sawRefreshing: this.model.matches('refreshing'),
      settled: trackPromise(promise),
      checked: false,
    };
    if (kind === 'sent') {
      // Sent at once: with the token when authenticated (the server accepts it), else with none;
      // while the session has ended (expired) not at all: it fails with the session's error.
      if (this.model.matches('expired')) request.expected = { outcome: SESSION_EXPIRED, serverSaw: [] };
      else if (carried === null) request.expected = { outcome: UNAUTHORIZED, serverSaw: [null] };
      else request.expected = { outcome: `data for ${path}`, serverSaw: [bearer(carried)] };
    }
    this.requests.push(request);
    if (controller) this.abortLater.push(controller);
  }

  /** Requests a user makes in this state: they wait while it restores or refreshes. */
  private async probe(state: ModelSnapshot): Promise<void> {
    const top = topLevelState(state.value);
    if (top === 'restoring' || top === 'refreshing') {
      this.fire('queued');
      this.fire('aborted');
      await this.atRest();
      // A waiting request whose signal aborts leaves at once; the others, and the refresh, go on.
      for (const controller of this.abortLater.splice(0)) controller.abort();
    } else if (top !== 'authenticated' || this.serverAcceptsToken) {
      // (With a token the server rejects, a request would be a TOKEN_REJECTED step of its own.)
      this.fire('sent');
    }
    await this.atRest();
  }

  trackUser(kind: UserCall['kind'], promise: Promise<unknown>): void {
    this.userCalls.push({
      kind,
      settled: trackPromise(promise),
      loginNumber: this.loginFunctionsPassed,
      sawRefreshing: this.model.matches('refreshing'),
      checked: false,
    });
  }

  loginWithFunction(): void {
    this.loginFunctionsPassed += 1;
    const { api } = this.client;
    this.trackUser(
      'login(fn)',
      this.client.session.login(
        async () => (await api.post('/auth/login', { username: 'ada' }, { skipAuth: true })).data as TokenSet,
      ),
    );
  }

  receivedTokens(tokens: Omit<HeldTokens, 'receivedAt'>): void {
    this.tokens = { ...tokens, receivedAt: Date.now() };
    this.serverAcceptsToken = true;
  }

  /** The pair the fake server accepts now, as its login and refresh endpoints return it. */
  fakeTokens(expiresIn: number): Omit<HeldTokens, 'receivedAt'> {
    return {
      accessToken: String(this.fake.currentAccessToken),
      refreshToken: this.fake.currentRefreshToken,
      expiresAt: Date.now() + expiresIn * 1000,
    };
  }

  finishRestore(kind: RestoreKind): void {
    if (kind === 'empty') {
      this.storage.finishRead({ value: null });
      return;
    }
    const issued = this.fake.issueTokens();
    const now = Date.now();
    const stored: TokenSet = {
      usable: { accessToken: issued.accessToken, refreshToken: issued.refreshToken, expiresAt: now + HOUR },
      'unknown-expiry': { accessToken: issued.accessToken, refreshToken: issued.refreshToken },
      expired: { accessToken: issued.accessToken, refreshToken: issued.refreshToken, expiresAt: now - 60_000 },
      'expired-no-refresh-token': { accessToken: issued.accessToken, expiresAt: now - 60_000 },
    }[kind];
    this.receivedTokens({
      accessToken: stored.accessToken,
      refreshToken: stored.refreshToken ?? null,
      expiresAt: stored.expiresAt ?? null,
    });
    if (kind === 'expired' || kind === 'expired-no-refresh-token') {
      // The server no longer takes an access token past its expiry.
      this.fake.expireAccessToken();
      this.serverAcceptsToken = false;
    }
    this.storage.finishRead({ value: stored });
  }

  currentRefreshCall(): HeldCall {
    const [call, ...others] = this.liveRefreshCalls();
    if (!call || others.length > 0) throw new Error('expected exactly one refresh call held on the server');
    return call;
  }

  currentLoginCall(): HeldCall {
    const call = this.held.loginCalls.at(-1);
    if (!call || call.released) throw new Error('expected the latest login call held on the server');
    return call;
  }

  /** When the proactive timer is due for the tokens held, and when the timer armed for it fires. */
  proactiveTimer(): { dueAt: number; firesAt: number } {
    const { expiresAt, receivedAt } = this.tokens ?? {};
    if (expiresAt === null || expiresAt === undefined || receivedAt === undefined) {
      throw new Error('a scheduled refresh needs a known expiry');
    }
    // API.md §1: at expiresAt - refreshLeeway, or halfway through the token's life if that is later.
    const dueAt = Math.max(expiresAt - REFRESH_LEEWAY, receivedAt + (expiresAt - receivedAt) / 2);
    return { dueAt, firesAt: Math.min(dueAt, this.timerArmedAt + MAX_TIMER_DELAY) };
  }

  /** Refresh calls held on the server whose caller still waits (not aborted). */
  private liveRefreshCalls(): HeldCall[] {
    const held = this.held.heldIds();
    const live = this.calls.inFlightIds();
    return this.held.refreshCalls.filter((call) => held.has(call.callId) && live.has(call.callId));
  }

  private tokenInUse(): string | null {
    const top = topLevelState(this.model.value);
    return top === 'authenticated' || top === 'refreshing' ? (this.tokens?.accessToken ?? null) : null;
  }

  // --- one model step -------------------------------------------------------------------------

  async perform(event: ModelEvent, next: ModelSnapshot): Promise<void> {
    const variant = variantOf(event);
    const from = this.model;
    this.step = { variant, from };
    // One refresh call each time the machine (re)enters `refreshing.calling`: the first and each retry.
    if (next.matches({ refreshing: 'calling' }) && !from.matches({ refreshing: 'calling' })) {
      this.expectedRefreshCalls += 1;
    }
    if (next.matches('refreshing') && !from.matches('refreshing')) {
      this.refreshCallsBeforeThisRefresh = this.held.refreshCalls.length;
    }
    await variant.run(this);
    await this.atRest();
    const top = topLevelState(next.value);
    if (top === 'anonymous' || top === 'authenticating' || top === 'expired') {
      this.tokens = null;
      this.serverAcceptsToken = false;
    }
    if (next.matches({ authenticated: 'refreshScheduled' })) this.timerArmedAt = Date.now();
    this.model = next;
    await this.probe(next);
  }

  // --- what users see -------------------------------------------------------------------------

  check(state: ModelSnapshot, specific: () => void = () => undefined): void {
    const context = contextOf(state);
    const top = topLevelState(state.value);
    const snapshot = this.client.session.getSnapshot();
    const isAuthenticated = top === 'authenticated' || top === 'refreshing';
    expect({
      status: snapshot.status,
      isAuthenticated: snapshot.isAuthenticated,
      accessToken: snapshot.accessToken,
      error: errorKind(snapshot.error),
    }).toEqual({
      status: top,
      isAuthenticated,
      accessToken: isAuthenticated ? (this.tokens?.accessToken ?? null) : null,
      error: errorKind(context.error),
    });

    // The server saw one refresh call each time the machine called, never more: one refresh is its
    // first call plus one per retry, however many requests were rejected; each carried the refresh
    // token the server issued last and no access token. Only the calls the test released were answered.
    expect(this.held.refreshCalls, 'refresh calls the server saw').toHaveLength(this.expectedRefreshCalls);
    expect(this.fake.refreshCalls, 'refresh calls the server answered').toHaveLength(this.refreshCallsAnswered);
    expect(this.held.refreshCalls.filter((call) => call.authorization !== null)).toEqual([]);
    const live = this.liveRefreshCalls();
    if (state.matches('refreshing')) {
      const callsThisRefresh = this.held.refreshCalls.length - this.refreshCallsBeforeThisRefresh;
      const calling = state.matches({ refreshing: 'calling' }) ? 1 : 0;
      expect(callsThisRefresh, 'calls in this refresh').toBe(context.refreshAttempt + calling);
    }
    if (state.matches({ refreshing: 'calling' })) {
      expect(live).toEqual([this.held.refreshCalls.at(-1)]);
      expect(live[0]?.body).toEqual({ refreshToken: this.tokens?.refreshToken });
    } else {
      expect(live, 'refresh calls still waiting for an answer').toEqual([]);
    }
    if (state.matches('authenticating')) {
      expect(this.held.loginCalls).toHaveLength(this.loginFunctionsPassed);
      expect(this.currentLoginCall()).toMatchObject({ body: { username: 'ada' }, authorization: null });
    }

    this.checkRequests(state);
    this.checkUserCalls(state);
    specific();
  }

  /** Each request's caller got what API.md §3 says, and the server saw the headers it should have. */
  private checkRequests(state: ModelSnapshot): void {
    const top = topLevelState(state.value);
    const held = top === 'restoring' || top === 'refreshing';
    const error = contextOf(state).error;
    const refreshFailed = error instanceof TokenRefreshError;
    for (const request of this.requests) {
      if (request.checked) continue;
      if (top === 'refreshing') request.sawRefreshing = true;
      let expected = request.expected;
      if (!expected) {
        if (request.kind === 'aborted') {
          expected = { outcome: CANCELED, serverSaw: [] };
        } else if (held) {
          expect(this.outcomeOf(request), `${request.path} waits`).toBe('pending');
          continue;
        } else if (request.kind === 'rejected') {
          const first = [bearer(request.carried)];
          if (top === 'expired') expected = { outcome: SESSION_EXPIRED, serverSaw: first };
          else if (top !== 'authenticated') expected = { outcome: UNAUTHORIZED, serverSaw: first };
          else if (request.sawRefreshing && refreshFailed)
            expected = { outcome: TOKEN_REFRESH_FAILED, serverSaw: first };
          else expected = this.retriedWithCurrentToken(request, first);
        } else if (top === 'expired') {
          // The wait ended with the session (a refused refresh, or expired tokens restored).
          expected = { outcome: SESSION_EXPIRED, serverSaw: [] };
        } else if (request.sawRefreshing && top === 'authenticated' && refreshFailed) {
          expected = { outcome: TOKEN_REFRESH_FAILED, serverSaw: [] };
        } else if (top === 'authenticated') {
          expected = this.retriedWithCurrentToken(request, []);
        } else {
          // The wait ended without a session (logged out, a login under way).
          expected = { outcome: UNAUTHORIZED, serverSaw: [null] };
        }
      }
      expect(
        { outcome: this.outcomeOf(request), serverSaw: this.serverSaw(request.path) },
        `${request.kind} request ${request.path}`,
      ).toEqual(expected);
      request.checked = true;
    }
  }

  private retriedWithCurrentToken(request: FiredRequest, before: Array<string | null>): Expected {
    expect(this.serverAcceptsToken, 'the server accepts the token the session settled on').toBe(true);
    return { outcome: `data for ${request.path}`, serverSaw: [...before, bearer(this.tokens?.accessToken ?? null)] };
  }

  private serverSaw(path: string): Array<string | null> {
    return this.fake.apiRequests.filter((seen) => seen.path === path).map((seen) => seen.authorization);
  }

  private outcomeOf(request: FiredRequest): string {
    const settled = request.settled.current();
    if (settled.status === 'pending') return 'pending';
    if (settled.status === 'resolved') {
      const { status, data } = settled.value;
      return status === 200 ? `data for ${(data as { path?: unknown }).path}` : `HTTP ${status}`;
    }
    const { error } = settled;
    const sessionError = this.client.session.getSnapshot().error;
    if (error instanceof SessionExpiredError)
      return error === sessionError ? SESSION_EXPIRED : 'another SessionExpiredError';
    if (error instanceof TokenRefreshError)
      return error === sessionError ? TOKEN_REFRESH_FAILED : 'another TokenRefreshError';
    if (error instanceof CanceledError) return CANCELED;
    if (isAxiosError(error) && error.response?.status === 401 && error.config?.url === request.path)
      return UNAUTHORIZED;
    return `unexpected ${errorKind(error)}: ${String(error)}`;
  }

  /** login(), logout() and refresh() settle as API.md §2 says, seen from the app. */
  private checkUserCalls(state: ModelSnapshot): void {
    const top = topLevelState(state.value);
    const { error, accessToken } = this.client.session.getSnapshot();
    for (const call of this.userCalls) {
      if (call.checked) continue;
      if (top === 'refreshing') call.sawRefreshing = true;
      const settled = call.settled.current();
      switch (call.kind) {
        case 'login':
        case 'logout':
          expect(settled).toEqual({ status: 'resolved', value: undefined });
          break;
        case 'login(fn)': {
          const isLatest = call.loginNumber === this.loginFunctionsPassed;
          const endedBy = this.step?.variant.type;
          if (isLatest && top === 'authenticating') {
            expect(settled).toEqual({ status: 'pending' });
            continue;
          }
          if (isLatest && endedBy === LOGIN_DONE) expect(settled).toEqual({ status: 'resolved', value: undefined });
          else if (isLatest && endedBy === LOGIN_ERROR) expect(settled).toEqual({ status: 'rejected', error });
          else expect(settled).toMatchObject({ status: 'rejected', error: { code: 'LOGIN_CANCELLED' } });
          break;
        }
        case 'refresh': {
          if (top === 'restoring' || top === 'refreshing') {
            expect(settled).toEqual({ status: 'pending' });
            continue;
          }
          const failed = top === 'expired' || (call.sawRefreshing && error instanceof TokenRefreshError);
          if (failed) expect(settled).toEqual({ status: 'rejected', error });
          else if (top === 'authenticated') expect(settled).toEqual({ status: 'resolved', value: accessToken });
          else expect(settled).toMatchObject({ status: 'rejected', error: { code: 'LOGGED_OUT' } });
          break;
        }
      }
      call.checked = true;
    }
  }

  states(): Record<string, (state: ModelSnapshot) => void> {
    // The timers the session keeps: the proactive one, the refresh timeout or the backoff, or none.
    const timers = (count: number) => () => expect(vi.getTimerCount(), 'timers running').toBe(count);
    return {
      restoring: (state) => this.check(state, timers(0)),
      anonymous: (state) => this.check(state, timers(0)),
      authenticating: (state) => this.check(state, timers(0)),
      'authenticated.refreshScheduled': (state) => this.check(state, timers(1)),
      'authenticated.refreshNotScheduled': (state) => this.check(state, timers(0)),
      'refreshing.calling': (state) => this.check(state, timers(1)),
      'refreshing.backingOff': (state) => this.check(state, timers(1)),
      expired: (state) => this.check(state, timers(0)),
      '*': (state) => {
        throw new Error(`No checks for state ${JSON.stringify(state.value)}: add them to states().`);
      },
    };
  }

  eventRunners(): Record<string, (step: { event: { type: string }; state: ModelSnapshot }) => Promise<void>> {
    const run = (step: { event: { type: string }; state: ModelSnapshot }) =>
      this.perform(step.event as ModelEvent, step.state);
    return Object.fromEntries(variants.map((variant) => [variant.type, run]));
  }
}

// ---------------------------------------------------------------------------------------------

/**
 * Transitions of authMachine that no app using the session and this adapter can take, with why.
 * The coverage test checks that each still exists in the machine, and that it was indeed not taken.
 */
const NOT_REACHABLE_THROUGH_AXIOS = new Map<string, string>([
  [
    'auth.restoring on LOGIN #0',
    'session.login() waits for the restore to end before it sends LOGIN, so neither the adapter nor an ' +
      'app using the session API sends LOGIN while restoring; only a raw session.actor.send() can, ' +
      'which the core model test drives.',
  ],
  ...[
    'auth on LOGOUT #0',
    'auth.anonymous on TOKENS_SYNCED #0',
    'auth.authenticated on TOKENS_SYNCED #0',
    'auth.refreshing on TOKENS_SYNCED #0',
    'auth.expired on TOKENS_SYNCED #0',
    'auth.authenticated on SESSION_ENDED #0',
    'auth.refreshing on SESSION_ENDED #0',
  ].map((key): [string, string] => [
    key,
    "Cross-tab sync (the crossTab option): another tab's logout, tokens or session end arrive over its BroadcastChannel, " +
      'not through axios; the core model test drives them through a real channel, and the adapter sees ' +
      'them only as the states they lead to, which these paths cover.',
  ]),
]);

function pathTitle(path: (typeof paths)[number]): string {
  const steps = path.steps.slice(1).map((step) => String((step.event as ModelEvent).variant));
  return `reaches ${stateIdsOf(path.state.value).at(-1)}: ${steps.join(' → ')}`;
}

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

describe('attachAuth model: every generated path, through real axios requests against msw', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  for (const path of paths) {
    it(pathTitle(path), async () => {
      const driver = new AxiosDriver(path.steps[0]?.state ?? path.state);
      try {
        await driver.start();
        await path.test({ states: driver.states(), events: driver.eventRunners() });
      } finally {
        driver.stop();
      }
    });
  }

  // Runs after the path tests above (vitest runs a file's tests in order); run the whole file.
  it('visited every state of authMachine and took every transition the adapter can reach', () => {
    const graph = machineGraph();
    const missedStates = graph.states.filter((id) => !coverage.states.has(id));
    const missedTransitions = [...graph.transitions]
      .filter(([key]) => !coverage.transitions.has(key) && !NOT_REACHABLE_THROUGH_AXIOS.has(key))
      .map(([, text]) => text);
    const excluded = [...NOT_REACHABLE_THROUGH_AXIOS.keys()];
    const covered = [...graph.transitions.keys()].filter((key) => coverage.transitions.has(key));

    console.log(
      `attachAuth model: ${paths.length} generated paths (${paths.reduce((sum, path) => sum + path.steps.length - 1, 0)} steps); ` +
        `states ${graph.states.length - missedStates.length}/${graph.states.length}; ` +
        `transitions ${covered.length}/${graph.transitions.size} (${excluded.length} excluded as not reachable through axios: ${excluded.join(', ')})`,
    );
    // The exclusions name transitions that exist, and that the paths indeed never took.
    expect(excluded.filter((key) => !graph.transitions.has(key))).toEqual([]);
    expect(excluded.filter((key) => coverage.transitions.has(key))).toEqual([]);
    expect({ missedStates, missedTransitions }).toEqual({ missedStates: [], missedTransitions: [] });
  });
});
