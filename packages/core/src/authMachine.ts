import { and, assertEvent, assign, type ErrorActorEvent, emit, fromPromise, setup } from 'xstate';
import { AuthError, InvalidTokenResponseError, SessionExpiredError, TokenRefreshError } from './errors.js';
import { isSessionEndedByDefault } from './isSessionEnded.js';
import { backoffDelay, computeRefreshDueAt, timerDelayUntil } from './refreshSchedule.js';
import type { SessionTokens } from './types.js';

/**
 * The session lifecycle. This file does no I/O: reading storage, calling the refresh and login
 * endpoints, writing storage and reading the clock are named here and supplied by
 * `createAuthSession` through `authMachine.provide(...)`, so that the machine can be drawn,
 * simulated and model-tested as it is.
 */

export interface AuthMachineConfig {
  refreshLeeway: number | false;
  refreshRetries: number;
  refreshTimeout: number;
}

/** Each field defaults to `DEFAULT_CONFIG`'s, also when given as `undefined`. */
export type AuthMachineInput = { [K in keyof AuthMachineConfig]?: AuthMachineConfig[K] | undefined };

export interface AuthMachineContext {
  accessToken: string | null;
  refreshToken: string | null;
  expiresAt: number | null;
  /** When the proactive refresh fires; null: no timer for this token. */
  refreshDueAt: number | null;
  /**
   * From when a request must not carry the access token but wait for a refresh first (its expiry);
   * null when the expiry is unknown, or had already passed when the token arrived: a clock that
   * disagrees with the server's, where the server's 401 decides rather than a refresh loop.
   */
  staleAfter: number | null;
  /** Failed calls so far in the refresh under way. */
  refreshAttempt: number;
  error: unknown;
  /** Which `login()` call the machine is serving, so each caller learns its own outcome. */
  loginId: number | null;
  config: AuthMachineConfig;
}

export type AuthMachineEvent =
  /** Tokens the app already holds: the session is authenticated at once. */
  | { type: 'LOGIN'; loginId: number; tokens: SessionTokens }
  /** A login call starts: the `loginTokens` actor makes it (events carry data, never functions). */
  | { type: 'LOGIN_START'; loginId: number }
  /** `fromOtherTab`: another tab logged out (cross-tab sync); it is not announced back. */
  | { type: 'LOGOUT'; fromOtherTab?: boolean | undefined }
  /** Another tab of the app logged in or refreshed (cross-tab sync): adopt its tokens. */
  | { type: 'TOKENS_SYNCED'; tokens: SessionTokens }
  /** The server rejected this refresh token in another tab (cross-tab sync): the session ended there. */
  | { type: 'SESSION_ENDED'; refreshToken: string }
  | { type: 'TOKEN_REJECTED'; accessToken: string }
  | { type: 'REFRESH' };

export type AuthMachineEmitted =
  | { type: 'loggedIn'; expiresAt: number | null }
  | { type: 'refreshed'; expiresAt: number | null }
  | { type: 'loggedOut' }
  | { type: 'sessionExpired'; error: SessionExpiredError }
  | { type: 'refreshFailed'; error: TokenRefreshError }
  | { type: 'storageFailed'; error: AuthError };

export const DEFAULT_CONFIG: AuthMachineConfig = {
  refreshLeeway: 30_000,
  refreshRetries: 2,
  refreshTimeout: 10_000,
};

const noTokens = {
  accessToken: null,
  refreshToken: null,
  expiresAt: null,
  refreshDueAt: null,
  staleAfter: null,
} as const;

export const authMachine = setup({
  types: {
    context: {} as AuthMachineContext,
    events: {} as AuthMachineEvent,
    input: {} as AuthMachineInput,
    emitted: {} as AuthMachineEmitted,
  },
  actors: {
    restoreTokens: fromPromise<SessionTokens | null>(async () => null),
    refreshTokens: fromPromise<SessionTokens, { refreshToken: string }>(async () => {
      throw new AuthError('INVALID_OPTIONS', 'authMachine needs a refreshTokens actor: use createAuthSession.');
    }),
    loginTokens: fromPromise<SessionTokens, { loginId: number }>(async () => {
      throw new AuthError('INVALID_OPTIONS', 'authMachine needs a loginTokens actor: use createAuthSession.');
    }),
  },
  actions: {
    // Storage writes; createAuthSession supplies them (queued, so a logout's clear lands last).
    persistTokens: () => undefined,
    clearStoredTokens: () => undefined,
    // Cross-tab announcements; createAuthSession supplies them when the `crossTab` option is on.
    announceTokens: (_, _tokens: SessionTokens) => undefined,
    announceLogout: () => undefined,
    announceSessionEnd: (_, _refreshToken: string | null) => undefined,
    storeTokens: assign(({ context }, tokens: SessionTokens) => ({
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      expiresAt: tokens.expiresAt,
      refreshDueAt: computeRefreshDueAt(tokens, context.config.refreshLeeway),
      staleAfter: tokens.expiresAt !== null && tokens.expiresAt > tokens.receivedAt ? tokens.expiresAt : null,
      refreshAttempt: 0,
      error: null,
    })),
    forgetTokens: assign(noTokens),
    startLogin: assign((_, loginId: number) => ({ ...noTokens, loginId, error: null })),
    forgetSession: assign({ ...noTokens, loginId: null, error: null }),
    startRefresh: assign({ refreshAttempt: 0 }),
    recordRefreshFailure: assign(({ context }, cause: unknown) => ({
      error: new TokenRefreshError(cause),
      refreshAttempt: context.refreshAttempt + 1,
      // After a transient failure no timer runs: the next 401 or `refresh()` tries again.
      refreshDueAt: null,
    })),
    recordSessionEnd: assign((_, reason: { message: string; cause?: unknown }) => ({
      error: new SessionExpiredError(reason.message, { cause: reason.cause }),
    })),
    recordLoginFailure: assign((_, error: unknown) => ({ error })),
    recordStorageFailure: assign((_, error: unknown) => ({ error: toStorageError(error) })),
    emitLoggedIn: emit(({ context }) => ({ type: 'loggedIn' as const, expiresAt: context.expiresAt })),
    emitRefreshed: emit(({ context }) => ({ type: 'refreshed' as const, expiresAt: context.expiresAt })),
    emitLoggedOut: emit({ type: 'loggedOut' as const }),
    emitSessionExpired: emit(({ context }) => ({
      type: 'sessionExpired' as const,
      error: context.error as SessionExpiredError,
    })),
    emitRefreshFailed: emit(({ context }) => ({
      type: 'refreshFailed' as const,
      error: context.error as TokenRefreshError,
    })),
    emitStorageFailed: emit(({ context }) => ({ type: 'storageFailed' as const, error: context.error as AuthError })),
  },
  guards: {
    isFromOtherTab: ({ event }) => event.type === 'LOGOUT' && event.fromOtherTab === true,
    // A tab that already holds other tokens (a new login) keeps its session.
    isSameRefreshToken: ({ context, event }) =>
      event.type === 'SESSION_ENDED' && event.refreshToken === context.refreshToken,
    isCurrentToken: ({ context, event }) =>
      event.type === 'TOKEN_REJECTED' && event.accessToken === context.accessToken,
    hasRefreshToken: ({ context }) => context.refreshToken !== null,
    isNothingStored: (_, stored: SessionTokens | null) => stored === null,
    isStoredAccessTokenUsable: (_, stored: SessionTokens) =>
      stored.expiresAt === null || stored.expiresAt > stored.receivedAt,
    hasStoredRefreshToken: (_, stored: SessionTokens) => stored.refreshToken !== null,
    isSessionEnded: (_, error: unknown) => isSessionEndedByDefault(error),
    canRetryRefresh: ({ context }, error: unknown) =>
      !(error instanceof InvalidTokenResponseError) && context.refreshAttempt < context.config.refreshRetries,
    // createAuthSession supplies the device's reading (onlineManager).
    isOnline: () => true,
    hasProactiveRefresh: ({ context }) => context.refreshDueAt !== null,
    // Long waits are split into several timers (see MAX_TIMER_DELAY): only the last one refreshes.
    isRefreshDue: ({ context }) => context.refreshDueAt !== null && Date.now() >= context.refreshDueAt,
  },
  delays: {
    proactiveRefresh: ({ context }) => timerDelayUntil(context.refreshDueAt, Date.now()),
    refreshTimeout: ({ context }) => context.config.refreshTimeout,
    refreshBackoff: ({ context }) => backoffDelay(context.refreshAttempt),
  },
}).createMachine({
  id: 'auth',
  context: ({ input }) => ({
    ...noTokens,
    refreshAttempt: 0,
    error: null,
    loginId: null,
    config: { ...DEFAULT_CONFIG, ...definedOnly(input) },
  }),
  initial: 'restoring',
  on: {
    // A new login discards a login or refresh in flight: leaving their state stops their actor.
    LOGIN_START: {
      target: '.authenticating',
      actions: [{ type: 'startLogin', params: ({ event }) => event.loginId }, 'clearStoredTokens'],
    },
    LOGIN: {
      target: '.authenticated',
      actions: [
        assign({ loginId: ({ event }) => event.loginId }),
        { type: 'storeTokens', params: ({ event }) => event.tokens },
        'persistTokens',
        { type: 'announceTokens', params: ({ event }) => event.tokens },
        'emitLoggedIn',
      ],
    },
    LOGOUT: [
      {
        guard: 'isFromOtherTab',
        target: '.anonymous',
        actions: ['forgetSession', 'clearStoredTokens', 'emitLoggedOut'],
      },
      {
        target: '.anonymous',
        actions: ['forgetSession', 'clearStoredTokens', 'announceLogout', 'emitLoggedOut'],
      },
    ],
  },
  states: {
    restoring: {
      // `login()` waits for the restore to end instead: a stored session must not overwrite a new one.
      on: { LOGIN: {}, LOGIN_START: {} },
      invoke: {
        src: 'restoreTokens',
        onDone: [
          { guard: { type: 'isNothingStored', params: ({ event }) => event.output }, target: 'anonymous' },
          {
            guard: { type: 'isStoredAccessTokenUsable', params: ({ event }) => stored(event.output) },
            target: 'authenticated',
            actions: { type: 'storeTokens', params: ({ event }) => stored(event.output) },
          },
          {
            guard: { type: 'hasStoredRefreshToken', params: ({ event }) => stored(event.output) },
            target: 'refreshing',
            actions: { type: 'storeTokens', params: ({ event }) => stored(event.output) },
          },
          {
            target: 'expired',
            actions: {
              type: 'recordSessionEnd',
              params: { message: 'The stored access token has expired and there is no refresh token: log in again.' },
            },
          },
        ],
        onError: {
          target: 'anonymous',
          actions: [{ type: 'recordStorageFailure', params: errorOf }, 'emitStorageFailed'],
        },
      },
    },
    anonymous: {
      on: { TOKENS_SYNCED: { target: 'authenticated', actions: adoptTokens('emitLoggedIn') } },
    },
    authenticating: {
      invoke: {
        src: 'loginTokens',
        input: ({ context }) => ({ loginId: context.loginId ?? 0 }),
        onDone: {
          target: 'authenticated',
          actions: [
            { type: 'storeTokens', params: ({ event }) => event.output },
            'persistTokens',
            { type: 'announceTokens', params: ({ event }) => event.output },
            'emitLoggedIn',
          ],
        },
        onError: {
          target: 'anonymous',
          actions: { type: 'recordLoginFailure', params: errorOf },
        },
      },
    },
    authenticated: {
      initial: 'schedulingRefresh',
      states: {
        schedulingRefresh: {
          always: [{ guard: 'hasProactiveRefresh', target: 'refreshScheduled' }, { target: 'refreshNotScheduled' }],
        },
        refreshScheduled: {
          after: {
            proactiveRefresh: [
              { guard: 'isRefreshDue', target: '#auth.refreshing' },
              { target: 'refreshScheduled', reenter: true },
            ],
          },
        },
        refreshNotScheduled: {},
      },
      on: {
        // Another tab refreshed (or logged in again): its tokens replace ours, and the timer restarts.
        TOKENS_SYNCED: { target: 'authenticated', reenter: true, actions: adoptTokens('emitRefreshed') },
        SESSION_ENDED: endedInOtherTab(),
        // A 401 for an older token (a late answer) must not start a refresh: only the current one.
        TOKEN_REJECTED: [
          { guard: and(['isCurrentToken', 'hasRefreshToken']), target: 'refreshing' },
          {
            guard: 'isCurrentToken',
            target: 'expired',
            actions: {
              type: 'recordSessionEnd',
              params: { message: 'The access token was rejected and there is no refresh token: log in again.' },
            },
          },
        ],
        REFRESH: [
          { guard: 'hasRefreshToken', target: 'refreshing' },
          {
            target: 'expired',
            actions: {
              type: 'recordSessionEnd',
              params: { message: 'There is no refresh token to extend the session with: log in again.' },
            },
          },
        ],
      },
    },
    refreshing: {
      entry: 'startRefresh',
      // Another tab finished the refresh first: leaving `calling` aborts ours (and its lock request).
      on: {
        TOKENS_SYNCED: { target: 'authenticated', actions: adoptTokens('emitRefreshed') },
        // Another tab's refresh with our refresh token was rejected: ours would be too.
        SESSION_ENDED: endedInOtherTab(),
      },
      initial: 'calling',
      states: {
        calling: {
          invoke: {
            src: 'refreshTokens',
            input: ({ context }) => ({ refreshToken: context.refreshToken ?? '' }),
            onDone: {
              target: '#auth.authenticated',
              actions: [
                { type: 'storeTokens', params: ({ event }) => event.output },
                'persistTokens',
                { type: 'announceTokens', params: ({ event }) => event.output },
                'emitRefreshed',
              ],
            },
            onError: [
              {
                guard: { type: 'isSessionEnded', params: errorOf },
                target: '#auth.expired',
                actions: [
                  {
                    type: 'recordSessionEnd',
                    params: ({ event }) => ({
                      message: 'The server rejected the refresh token: log in again.',
                      cause: event.error,
                    }),
                  },
                  // Before `expired` forgets it: the other tabs end the session that holds this token.
                  { type: 'announceSessionEnd', params: ({ context }) => context.refreshToken },
                ],
              },
              {
                // Offline, a retry cannot succeed: the waiting requests fail at once, the tokens are kept.
                guard: and([{ type: 'canRetryRefresh', params: errorOf }, 'isOnline']),
                target: 'backingOff',
                actions: { type: 'recordRefreshFailure', params: errorOf },
              },
              {
                target: '#auth.authenticated',
                actions: [{ type: 'recordRefreshFailure', params: errorOf }, 'emitRefreshFailed'],
              },
            ],
          },
          // Leaving `calling` stops the refresh actor, which aborts the signal the refresh call got.
          after: {
            refreshTimeout: [
              {
                guard: and([{ type: 'canRetryRefresh', params: timeoutErrorOf }, 'isOnline']),
                target: 'backingOff',
                actions: { type: 'recordRefreshFailure', params: timeoutErrorOf },
              },
              {
                target: '#auth.authenticated',
                actions: [{ type: 'recordRefreshFailure', params: timeoutErrorOf }, 'emitRefreshFailed'],
              },
            ],
          },
        },
        backingOff: {
          after: { refreshBackoff: 'calling' },
        },
      },
    },
    expired: {
      entry: ['forgetTokens', 'clearStoredTokens', 'emitSessionExpired'],
      // Another tab logged in again: this one follows.
      on: { TOKENS_SYNCED: { target: 'authenticated', actions: adoptTokens('emitLoggedIn') } },
    },
  },
});

/** The session ended in another tab: this one ends too, without a refresh call of its own. */
function endedInOtherTab() {
  return {
    guard: 'isSameRefreshToken',
    target: '#auth.expired',
    actions: {
      type: 'recordSessionEnd',
      params: { message: 'The server rejected the refresh token in another tab: log in again.' },
    },
  } as const;
}

/** Tokens from another tab: stored and persisted here, never announced back. */
function adoptTokens(emitted: 'emitLoggedIn' | 'emitRefreshed') {
  return [
    { type: 'storeTokens', params: ({ event }: { event: AuthMachineEvent }) => syncedTokensOf(event) },
    'persistTokens',
    emitted,
  ] as const;
}

function syncedTokensOf(event: AuthMachineEvent): SessionTokens {
  assertEvent(event, 'TOKENS_SYNCED');
  return event.tokens;
}

// The restore's onDone branches after `isNothingStored` only see tokens; this narrows the type.
function stored(output: SessionTokens | null): SessionTokens {
  if (output === null) throw new AuthError('STORAGE_FAILED', 'Expected stored tokens.');
  return output;
}

// Typed parameter mappers: XState cannot infer `unknown` params inside action lists.
function errorOf({ event }: { event: ErrorActorEvent }): unknown {
  return event.error;
}

function timeoutErrorOf({ context }: { context: AuthMachineContext }): AuthError {
  return refreshTimeoutError(context);
}

function refreshTimeoutError(context: AuthMachineContext): AuthError {
  return new AuthError(
    'REFRESH_TIMEOUT',
    `The refresh call did not answer within ${context.config.refreshTimeout} ms.`,
  );
}

function toStorageError(error: unknown): AuthError {
  if (error instanceof AuthError) return error;
  return new AuthError('STORAGE_FAILED', 'Reading the stored tokens failed; the session starts anonymous.', {
    cause: error,
  });
}

function definedOnly(input: AuthMachineInput | undefined): Partial<AuthMachineConfig> {
  return Object.fromEntries(Object.entries(input ?? {}).filter(([, value]) => value !== undefined));
}
