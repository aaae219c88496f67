import {
  type AuthSession,
  createAuthSession,
  SessionExpiredError,
  TokenRefreshError,
  type TokenSet,
} from '@authmachine/core';
import type { SetupServer } from 'msw/node';
import { expect, vi } from 'vitest';
import type { AdapterClient, AdapterDriver, CallOutcome } from '../adapterDriver.js';
import { tokensOf } from '../callErrors.js';
import { FakeAuthApi } from '../fakeAuthApi.js';
import {
  contextOf,
  createRecordingStorage,
  HOUR,
  LOGIN_DONE,
  LOGIN_ERROR,
  MAX_TIMER_DELAY,
  type ModelSnapshot,
  REFRESH_ERROR,
  REFRESH_TIMED_OUT,
  stateIdsOf,
  stateValueOf,
  T0,
  type Tracked,
  topLevelState,
  trackPromise,
  transitionKey,
} from './coreModel.js';
import { CallTracker, HeldAuthEndpoints, type HeldCall, untilAtRest } from './modelHarness.js';
import {
  errorKind,
  type ModelEvent,
  REFRESH_LEEWAY,
  REFRESH_RETRIES,
  REFRESH_TIMEOUT,
  type RestoreKind,
  type Variant,
  variantOf,
  variants,
} from './modelSteps.js';

/*
 * The real system on one generated path, and what users see of it: a session, the adapter's
 * client on it (through the driver), the fake auth server with its login and refresh endpoints
 * held until a step answers them, and after every step the checks of what the app sees.
 */

/** The states and transitions the real actors went through, over every path of one adapter. */
export interface Coverage {
  states: Set<string>;
  transitions: Set<string>;
}

const SESSION_EXPIRED = 'SessionExpiredError (the session error)';
const TOKEN_REFRESH_FAILED = 'TokenRefreshError (the session error)';
const CANCELED = 'aborted';
const UNAUTHORIZED = 'the 401 response';

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
  settled: { current(): Tracked<CallOutcome> };
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

/** One session with the adapter's client on it, against a fresh fake server, for one path. */
export class ModelRun {
  readonly fake = new FakeAuthApi();
  readonly held = new HeldAuthEndpoints();
  readonly calls = new CallTracker();
  readonly storage = createRecordingStorage({ holdReads: true });
  session!: AuthSession;
  client!: AdapterClient;
  /** The model state the system was last checked against. */
  model: ModelSnapshot;
  /** The tokens the session holds, as the fake server issued them. */
  tokens: HeldTokens | null = null;
  /** Whether the server accepts the session's access token (false once it expired it). */
  serverAcceptsToken = false;
  refreshCallsAnswered = 0;
  private expectedRefreshCalls = 0;
  /** Retries in the refresh under way that waited for a call that timed out instead of calling. */
  private joinedAttemptsThisRefresh = 0;
  private lastAttemptTimedOut = false;
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

  constructor(
    private readonly driver: AdapterDriver,
    private readonly server: SetupServer,
    private readonly coverage: Coverage,
    initial: ModelSnapshot,
  ) {
    this.model = initial;
  }

  async start(): Promise<void> {
    this.server.resetHandlers(...this.held.handlers, ...this.fake.handlers);
    // The refresh call goes through the client itself without the token, as apps do.
    this.session = createAuthSession({
      refresh: async ({ refreshToken, signal }) =>
        tokensOf(await this.client.post('/auth/refresh', { refreshToken }, { signal, skipAuth: true })),
      storage: this.storage,
      refreshLeeway: REFRESH_LEEWAY,
      refreshTimeout: REFRESH_TIMEOUT,
      refreshRetries: REFRESH_RETRIES,
    });
    this.client = this.driver.connect(this.session, { transport: this.calls });
    const { coverage } = this;

    const { actor } = this.session;
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
    this.client?.detach?.();
    this.session?.stop();
    this.held.releaseAll();
  }

  /** Until every request is answered or deliberately held, with the fake clock standing still. */
  atRest(): Promise<void> {
    return untilAtRest(
      () => this.calls.unheld(this.held.heldIds()).length === 0,
      () =>
        JSON.stringify([
          this.calls.sentCount,
          this.calls.settledCount,
          this.fake.apiRequests.length,
          this.held.refreshCalls.length,
          this.held.loginCalls.length,
          this.session.getSnapshot().status,
          this.requests.filter((request) => request.settled.current().status !== 'pending').length,
        ]),
    );
  }

  // --- what the steps do ----------------------------------------------------------------------

  fire(kind: 'sent' | 'rejected' | 'queued' | 'aborted'): void {
    this.requestNumber += 1;
    const path = `/api/model/${this.requestNumber}`;
    const controller = kind === 'aborted' ? new AbortController() : undefined;
    const promise = this.client.get(path, controller ? { signal: controller.signal } : {});
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
    const { client } = this;
    this.trackUser(
      'login(fn)',
      this.session.login(async () =>
        tokensOf(await client.post('/auth/login', { username: 'ada' }, { skipAuth: true })),
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
    // At expiresAt - refreshLeeway, or halfway through the token's life if that is later.
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
    if (next.matches('refreshing') && !from.matches('refreshing')) {
      this.refreshCallsBeforeThisRefresh = this.held.refreshCalls.length;
      this.joinedAttemptsThisRefresh = 0;
      this.lastAttemptTimedOut = false;
    }
    // One refresh call each time the machine (re)enters `refreshing.calling`: the first and each
    // retry, except a retry after a timeout, which waits for the call that timed out (it may have
    // rotated the token on the server: sending the refresh token again would be a reuse).
    if (next.matches({ refreshing: 'calling' }) && !from.matches({ refreshing: 'calling' })) {
      if (this.lastAttemptTimedOut) this.joinedAttemptsThisRefresh += 1;
      else this.expectedRefreshCalls += 1;
    }
    if (variant.type === REFRESH_TIMED_OUT || variant.type === REFRESH_ERROR) {
      this.lastAttemptTimedOut = variant.type === REFRESH_TIMED_OUT;
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
    const snapshot = this.session.getSnapshot();
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
    const callKept = state.matches({ refreshing: 'backingOff' }) && this.lastAttemptTimedOut;
    if (state.matches('refreshing')) {
      const callsThisRefresh = this.held.refreshCalls.length - this.refreshCallsBeforeThisRefresh;
      const calling = state.matches({ refreshing: 'calling' }) || callKept ? 1 : 0;
      const attempts = context.refreshAttempt + (callKept ? 0 : calling);
      expect(callsThisRefresh, 'calls in this refresh').toBe(attempts - this.joinedAttemptsThisRefresh);
    }
    if (state.matches({ refreshing: 'calling' }) || callKept) {
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

  /**
   * Each request's caller got what the adapter owes it (waits end with the settled token, the
   * session's error, or the request's own 401), and the server saw the headers it should have.
   */
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
    // The driver resolves every call to its outcome: a rejection is a bug of the driver.
    if (settled.status === 'rejected') return `the driver rejected: ${String(settled.error)}`;
    const outcome = settled.value;
    if (outcome.kind === 'aborted') return CANCELED;
    if (outcome.kind === 'response') {
      const { status, data } = outcome;
      if (status === 200) return `data for ${(data as { path?: unknown }).path}`;
      const isTokenRefused = status === 401 && (data as { error?: unknown }).error === 'invalid_token';
      return isTokenRefused ? UNAUTHORIZED : `HTTP ${status}`;
    }
    const { error } = outcome;
    const sessionError = this.session.getSnapshot().error;
    if (error instanceof SessionExpiredError)
      return error === sessionError ? SESSION_EXPIRED : 'another SessionExpiredError';
    if (error instanceof TokenRefreshError)
      return error === sessionError ? TOKEN_REFRESH_FAILED : 'another TokenRefreshError';
    return `unexpected ${errorKind(error)}: ${String(error)}`;
  }

  /** login(), logout() and refresh() settle as the session promises, seen from the app. */
  private checkUserCalls(state: ModelSnapshot): void {
    const top = topLevelState(state.value);
    const { error, accessToken } = this.session.getSnapshot();
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
