import { createActor, fromPromise } from 'xstate';
import { authMachine } from './authMachine.js';
import { type AuthSnapshot, isSameAuthState, statusOf, toAuthState } from './authState.js';
import { createCrossTabSync } from './crossTab/crossTabSync.js';
import { focusManager } from './environment/focusManager.js';
import { onlineManager } from './environment/onlineManager.js';
import { AuthError, InvalidTokenResponseError, TokenRefreshError } from './errors.js';
import { callSafely, createEventHub } from './eventHub.js';
import { toInspector } from './inspection.js';
import { isSessionEndedByDefault } from './isSessionEnded.js';
import { createRefreshCall } from './refreshCall.js';
import { timerDelayUntil } from './refreshSchedule.js';
import { decideBeforeSending, sessionStoppedError as stoppedError } from './requests/requestOutcome.js';
import { waitUntilSettled } from './requests/waitUntilSettled.js';
import { createRevoker } from './revokeOnLogout.js';
import { createSerialQueue } from './serialQueue.js';
import { createSessionClock } from './sessionClock.js';
import { toMachineConfig } from './sessionOptions.js';
import { memoryStorage } from './storage.js';
import { toSessionTokens, toTokenSet } from './tokenSet.js';
import type {
  AuthEventMap,
  AuthSession,
  AuthSessionOptions,
  AuthState,
  SessionTokens,
  TokenResult,
  WaitOptions,
} from './types.js';
import { untilAborted } from './untilAborted.js';

type Outcome<T> = { value: T } | { error: unknown };

interface Waiter {
  check(snapshot: AuthSnapshot): void;
  cancel(error: unknown): void;
}

/**
 * Runs `authMachine` with real effects: the app's refresh function, its storage and its clock.
 * Everything here translates between promises/callbacks and machine events; decisions about what
 * happens next belong to the machine.
 */
export function createAuthSession(options: AuthSessionOptions): AuthSession {
  const config = toMachineConfig(options);
  const now = options.now ?? (() => Date.now());
  const storage = options.storage ?? memoryStorage();
  const isSessionEnded = options.isSessionEnded ?? isSessionEndedByDefault;
  const storageWrites = createSerialQueue();
  const events = createEventHub<AuthEventMap>();
  const crossTab = createCrossTabSync(options.crossTab);
  const clock = createSessionClock();
  const revoker = options.revoke
    ? createRevoker(options.revoke, config.refreshTimeout, (error) => events.emit('revokeFailed', { error }))
    : null;

  const writeStorage = (operation: () => unknown): void => {
    storageWrites.run(operation).catch((cause: unknown) => {
      events.emit('storageFailed', {
        error: new AuthError('STORAGE_FAILED', 'Writing the tokens to storage failed; the session goes on in memory.', {
          cause,
        }),
      });
    });
  };

  /** The login function of the login under way: machine events carry data, not functions. */
  let pendingLogin: { loginId: number; call: () => Promise<TokenResult> } | null = null;
  const refreshCall = createRefreshCall(async (refreshToken, signal) =>
    toSessionTokens(await options.refresh({ refreshToken, signal }), now(), refreshToken),
  );

  const machine = authMachine.provide({
    actors: {
      restoreTokens: fromPromise(() => readStoredTokens(storage, now)),
      // The login function `login()` was given for this login id; a newer login or a logout leaves
      // `authenticating`, which stops this actor, and its result is never taken.
      loginTokens: fromPromise<SessionTokens, { loginId: number }>(async ({ input: { loginId } }) => {
        const login = pendingLogin?.loginId === loginId ? pendingLogin.call : undefined;
        if (!login) throw new AuthError('LOGIN_CANCELLED', 'The login was cancelled by a logout or a newer login.');
        return toSessionTokens(await login(), now());
      }),
      // `signal` is this attempt's: a timeout aborts the wait, not the call (see refreshCall.ts).
      refreshTokens: fromPromise<SessionTokens, { refreshToken: string }>(({ input: { refreshToken }, signal }) => {
        const join = (): Promise<SessionTokens> => refreshCall.join(refreshToken);
        return crossTab ? crossTab.refresh(refreshToken, signal, join) : untilAborted(join(), signal);
      }),
    },
    actions: {
      persistTokens: ({ context }) => {
        if (context.accessToken === null) return;
        const tokens = toTokenSet({ ...context, accessToken: context.accessToken });
        writeStorage(() => storage.set(tokens));
      },
      clearStoredTokens: () => writeStorage(() => storage.clear()),
      announceTokens: (_, tokens: SessionTokens) => crossTab?.announceTokens(tokens),
      announceLogout: () => crossTab?.announceLogout(),
      announceSessionEnd: (_, refreshToken: string | null) => crossTab?.announceSessionEnd(refreshToken),
    },
    guards: {
      // An app's predicate that throws must not crash the machine: treat its answer as "not ended".
      isSessionEnded: (_, error: unknown) => {
        // A malformed result is our verdict, not the server's: it stays a transient failure, never retried.
        if (error instanceof InvalidTokenResponseError) return false;
        try {
          return isSessionEnded(error) === true;
        } catch {
          return false;
        }
      },
      isRefreshDue: ({ context }) => context.refreshDueAt !== null && now() >= context.refreshDueAt,
      isOnline: () => onlineManager.isOnline(),
    },
    delays: {
      proactiveRefresh: ({ context }) => clock.unattended(timerDelayUntil(context.refreshDueAt, now())),
    },
  });

  const inspect = toInspector(options.inspect, options.inspectTokens === true);
  const actor = createActor(machine, { input: config, clock, ...(inspect ? { inspect } : {}) });
  let state: AuthState = toAuthState(actor.getSnapshot());
  /** The state the listeners last heard: `state` can be newer (see `updateState`). */
  let heard = state;
  let stopped = false;
  let lastLoginId = 0;
  const listeners = new Set<(state: AuthState) => void>();
  const waiters = new Set<Waiter>();

  const snapshotSubscription = actor.subscribe({
    next: (snapshot) => {
      updateState(snapshot);
      if (state.status !== 'refreshing') refreshCall.end();
      if (heard.status === 'restoring' && state.status !== 'restoring') crossTab?.restored(state.status);
      if (heard !== state) {
        heard = state;
        for (const listener of [...listeners]) callSafely(() => listener(state));
      }
      for (const waiter of [...waiters]) waiter.check(snapshot);
    },
    // The machine catches every failure it expects; anything else is a bug to surface, not swallow.
    error: (error) => {
      for (const waiter of [...waiters]) waiter.cancel(error);
    },
  });
  const emittedSubscription = actor.on('*', (emitted) => {
    // XState delivers emitted events before it notifies observers: a handler of `loggedIn` or
    // `refreshed` that reads `getAccessToken()` must get the tokens the event is about.
    updateState(actor.getSnapshot());
    const { type, ...payload } = emitted;
    events.emit(type, payload as never);
  });
  actor.start();
  // A page shown again or a network back: a token that died meanwhile is replaced before it is sent.
  const wakeSubscriptions = [focusManager, onlineManager].map((manager) =>
    manager.subscribe((isBack) => {
      if (isBack) refreshIfStale();
    }),
  );
  crossTab?.connect({
    status: () => statusOf(actor.getSnapshot()),
    accessToken: () => actor.getSnapshot().context.accessToken,
    send: (event) => actor.send(event),
  });

  /** Keeps `state` the same object while nothing a user sees changed, so that React does not re-render. */
  function updateState(snapshot: AuthSnapshot): void {
    const next = toAuthState(snapshot);
    if (!isSameAuthState(state, next)) state = next;
  }

  /** Settles when `decide` says so: the session's own waits (restore, login), checked per snapshot. */
  function waitForSnapshot<T>(decide: (snapshot: AuthSnapshot) => Outcome<T> | undefined): Promise<T> {
    if (stopped) return Promise.reject(stoppedError());
    return new Promise<T>((resolve, reject) => {
      const settle = (outcome: Outcome<T>): void => {
        waiters.delete(waiter);
        if ('value' in outcome) resolve(outcome.value);
        else reject(outcome.error);
      };
      const waiter: Waiter = {
        check: (snapshot) => {
          const outcome = decide(snapshot);
          if (outcome) settle(outcome);
        },
        cancel: (error) => settle({ error }),
      };
      waiters.add(waiter);
      waiter.check(actor.getSnapshot());
    });
  }

  function untilRestored(): Promise<void> {
    return waitForSnapshot((snapshot) => (statusOf(snapshot) === 'restoring' ? undefined : { value: undefined }));
  }

  async function waitForAccessToken(waitOptions: WaitOptions = {}): Promise<string | null> {
    assertRunning();
    const wait = await waitUntilSettled(session, {
      signal: waitOptions.signal,
      timeout: waitOptions.timeout,
      timeoutError: (ms) => new DOMException(`Waited ${ms} ms for an access token.`, 'TimeoutError'),
    });
    const decision = decideBeforeSending(wait);
    if (decision.type === 'fail') throw decision.error;
    return decision.type === 'send' ? decision.token : null;
  }

  async function login(input: TokenResult | (() => Promise<TokenResult>)): Promise<void> {
    assertRunning();
    await untilRestored();
    const loginId = ++lastLoginId;
    if (typeof input === 'function') {
      // The machine's event carries only the id: the call itself stays here (see `loginTokens`).
      pendingLogin = { loginId, call: input };
      actor.send({ type: 'LOGIN_START', loginId });
      const settled = waitForSnapshot<void>((snapshot) => {
        const status = statusOf(snapshot);
        if (snapshot.context.loginId !== loginId) {
          return {
            error: new AuthError('LOGIN_CANCELLED', 'The login was cancelled by a logout or a newer login.'),
          };
        }
        if (status === 'authenticating') return undefined;
        if (status === 'anonymous') return { error: snapshot.context.error };
        return { value: undefined };
      });
      await settled.finally(() => {
        if (pendingLogin?.loginId === loginId) pendingLogin = null;
      });
    } else {
      actor.send({ type: 'LOGIN', loginId, tokens: toSessionTokens(input, now()) });
    }
    await storageWrites.idle();
  }

  async function refresh(): Promise<string> {
    assertRunning();
    await untilRestored();
    const statusAtCall = statusOf(actor.getSnapshot());
    if (statusAtCall === 'authenticated') actor.send({ type: 'REFRESH' });
    const token = await waitForAccessToken();
    if (token !== null) return token;
    // There was a session to refresh, but a logout ended it before the refresh could land.
    if (statusAtCall === 'authenticated' || statusAtCall === 'refreshing') {
      throw new AuthError('LOGGED_OUT', 'The session was logged out before the refresh finished.');
    }
    throw new AuthError('NOT_AUTHENTICATED', 'There is no session to refresh: log in first.');
  }

  /**
   * Starts the one refresh (REFRESH, not TOKEN_REJECTED: no server refused the token) when the access
   * token is past its expiry or its proactive refresh is overdue (a timer that fired late, or not at
   * all, while the device slept), or when the last refresh failed (offline, say).
   */
  function refreshIfStale(): void {
    if (state.status !== 'authenticated' || stopped) return;
    const { staleAfter, refreshDueAt, error } = actor.getSnapshot().context;
    const time = now();
    const overdue = [staleAfter, refreshDueAt].some((at) => at !== null && time >= at);
    if (overdue || error instanceof TokenRefreshError) actor.send({ type: 'REFRESH' });
  }

  function assertRunning(): void {
    if (stopped) throw stoppedError();
  }

  const session: AuthSession = {
    actor,
    getSnapshot: () => state,
    stateForRequest() {
      if (state.status !== 'authenticated' || stopped) return state;
      const { staleAfter } = actor.getSnapshot().context;
      // REFRESH, not TOKEN_REJECTED: no server refused it, the token's own expiry says it is dead.
      if (staleAfter !== null && now() >= staleAfter) actor.send({ type: 'REFRESH' });
      return state;
    },
    subscribe(listener) {
      if (stopped) return () => undefined;
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    login,
    async logout() {
      assertRunning();
      const { accessToken, refreshToken } = actor.getSnapshot().context;
      actor.send({ type: 'LOGOUT' });
      if (revoker && (accessToken !== null || refreshToken !== null)) revoker.revoke({ accessToken, refreshToken });
      await storageWrites.idle();
    },
    refresh,
    getAccessToken: () => (state.isAuthenticated ? state.accessToken : null),
    tokenRejected(accessToken) {
      if (stopped) return;
      const event = { type: 'TOKEN_REJECTED', accessToken } as const;
      // The machine ignores most of a storm's 401s (they come while it refreshes, or for an older
      // token): asking it first (its own guards decide) spares each of them a macrostep and a
      // snapshot to every observer, which N concurrent 401s would pay N times.
      if (actor.getSnapshot().can(event)) actor.send(event);
    },
    waitForAccessToken,
    on(event, handler) {
      if (stopped) return () => undefined;
      return events.on(event, handler);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      snapshotSubscription.unsubscribe();
      emittedSubscription.unsubscribe();
      for (const unsubscribe of wakeSubscriptions) unsubscribe();
      refreshCall.end();
      actor.stop();
      crossTab?.close();
      revoker?.stop();
      for (const waiter of [...waiters]) waiter.cancel(stoppedError());
      listeners.clear();
      events.clear();
    },
  };
  return session;
}

async function readStoredTokens(
  storage: { get(): TokenResult | null | Promise<TokenResult | null> },
  now: () => number,
): Promise<SessionTokens | null> {
  const stored: unknown = await storage.get();
  if (stored === null || stored === undefined) return null;
  try {
    return toSessionTokens(stored, now());
  } catch (cause) {
    throw new AuthError(
      'STORAGE_FAILED',
      'The stored tokens are not a valid token set; the session starts anonymous.',
      {
        cause,
      },
    );
  }
}
