import type { Actor } from 'xstate';
import type { authMachine } from './authMachine.js';
import type { CrossTabLocks } from './crossTab/refreshLock.js';
import type { CrossTabChannel } from './crossTab/tabChannel.js';
import type { AuthError, SessionExpiredError, TokenRefreshError } from './errors.js';
import type { SessionInspector } from './inspection.js';

/** What a login or refresh call returns, and what storage holds. */
export interface TokenSet {
  accessToken: string;
  /** Absent in a refresh result: the old refresh token is kept (RFC 6749 §6). */
  refreshToken?: string | undefined;
  /** Epoch ms. Else computed from `expiresIn`, else from the JWT `exp`, else unknown. */
  expiresAt?: number | undefined;
  /** Seconds, as OAuth token endpoints send it. */
  expiresIn?: number | undefined;
}

/**
 * The standard token response of RFC 6749 §5.1, as Keycloak, Auth0, Cognito, Okta and oidc-provider
 * send it: a login or refresh may return the body as it came.
 */
export interface OAuthTokenResponse {
  access_token: string;
  /** Absent in a refresh result: the old refresh token is kept (RFC 6749 §6). */
  refresh_token?: string | undefined;
  /** Seconds; some servers (Azure AD v1) send a string of digits. */
  expires_in?: number | string | undefined;
  token_type?: string | undefined;
  scope?: string | undefined;
}

/** What a login, refresh or storage read may return: our shape, or the RFC 6749 body. */
export type TokenResult = TokenSet | OAuthTokenResponse;

/** Tokens as the machine holds them: validated, with the expiry resolved once on arrival. */
export interface SessionTokens {
  accessToken: string;
  refreshToken: string | null;
  expiresAt: number | null;
  /** When they arrived (epoch ms): the proactive timer refreshes halfway through their life at the latest. */
  receivedAt: number;
}

export interface TokenStorage {
  get(): TokenResult | null | Promise<TokenResult | null>;
  set(tokens: TokenSet): void | Promise<void>;
  clear(): void | Promise<void>;
}

export interface RefreshContext {
  refreshToken: string;
  /**
   * Aborted when the refresh ends without this call's answer: it failed after its retries, a logout,
   * a new login, another tab's tokens, `stop()`. A timeout alone does not abort it: the call may have
   * rotated the token on the server already, so the retry waits for this same call (see `refreshTimeout`).
   */
  signal: AbortSignal;
}

export interface AuthSessionOptions {
  refresh: (ctx: RefreshContext) => Promise<TokenResult>;
  /** Default `memoryStorage()`. */
  storage?: TokenStorage | undefined;
  /** Ms before expiry to refresh proactively; `false` turns the timer off. Default 30_000. */
  refreshLeeway?: number | false | undefined;
  /**
   * Ms one attempt waits for the refresh call before it counts as a transient failure. Default 10_000.
   * The call is not re-sent: a retry waits for the same call, whose late answer the session takes.
   */
  refreshTimeout?: number | undefined;
  /** Transient failures retried with exponential backoff and jitter. Default 2. */
  refreshRetries?: number | undefined;
  /** Whether a refresh error ends the session. Default: HTTP 400/401/403 or OAuth `invalid_grant`. */
  isSessionEnded?: ((error: unknown) => boolean) | undefined;
  /** The clock (epoch ms), for tests. */
  now?: (() => number) | undefined;
  /**
   * Opt-in: every tab of the app shares one session. At most one refresh runs at a time across
   * tabs (Web Locks), and new tokens, logins, logouts and a session's end reach the other tabs
   * (BroadcastChannel, same origin only; tokens travel over it). Default off: each tab keeps its own session.
   */
  crossTab?: boolean | CrossTabOptions | undefined;
  /**
   * An XState inspector for the session's actor, as `createActor(machine, { inspect })` takes it:
   * `createBrowserInspector().inspect` from `@statelyai/inspect` shows the live session in Stately's
   * inspector. Token values in what it receives are replaced by "[redacted]" unless `inspectTokens`.
   */
  inspect?: SessionInspector | undefined;
  /** Opt-in: the inspector receives the token values themselves. Default false. */
  inspectTokens?: boolean | undefined;
  /**
   * Ends the session on the server too: `logout()` calls it with the tokens it is about to forget
   * (`oauth2Revoke(...)` for an RFC 7009 endpoint). The local logout happens at once and never waits
   * on it; a failure is reported on the `revokeFailed` event, never thrown.
   */
  revoke?: ((ctx: RevokeContext) => Promise<void> | void) | undefined;
}

/** What `revoke` gets: the tokens of the session being logged out, and a signal aborted by `stop()`. */
export interface RevokeContext {
  refreshToken: string | null;
  accessToken: string | null;
  signal: AbortSignal;
}

export interface CrossTabOptions {
  /** Names the channel and the lock; tabs with the same name share a session. Default `'authmachine'`. */
  name?: string | undefined;
  /** Default `navigator.locks`. `null`: no lock (tabs may refresh at once; only for non-rotating tokens). */
  locks?: CrossTabLocks | null | undefined;
  /** Opens the channel. Default `(name) => new BroadcastChannel(name)`. */
  channel?: ((name: string) => CrossTabChannel) | undefined;
  /** Ms a tab keeps the lock after its refresh call (new tokens or a refusal), so the news reaches the next tab first. Default 50. */
  handoffDelay?: number | undefined;
  /** Ms a tab waits for the refresh lock before it takes the lock over from a tab that froze holding it. Default 5000. */
  lockTimeout?: number | undefined;
}

export type AuthStatus = 'restoring' | 'anonymous' | 'authenticating' | 'authenticated' | 'refreshing' | 'expired';

export interface AuthState {
  status: AuthStatus;
  /** True in `authenticated` and `refreshing`, so that a refresh causes no UI flicker. */
  isAuthenticated: boolean;
  accessToken: string | null;
  expiresAt: number | null;
  /** The last login or refresh error, cleared on success. */
  error: unknown | null;
}

/**
 * What a server renders and hands to the browser with the page: an `AuthState` without its access
 * token and error (see `toServerAuthState`). `accessToken` may only be absent or null, so that a
 * full `AuthState` passed by mistake fails to compile.
 */
export interface ServerAuthState {
  status: AuthStatus;
  isAuthenticated: boolean;
  expiresAt?: number | null | undefined;
  accessToken?: null | undefined;
  error?: null | undefined;
}

/** The events `session.on(...)` delivers, by name, with their payloads. */
export interface AuthEventMap {
  loggedIn: { expiresAt: number | null };
  refreshed: { expiresAt: number | null };
  loggedOut: Record<string, never>;
  sessionExpired: { error: SessionExpiredError };
  refreshFailed: { error: TokenRefreshError };
  storageFailed: { error: AuthError };
  /** The `revoke` option failed (or took longer than `refreshTimeout`); the local logout stands. */
  revokeFailed: { error: unknown };
}

export type AuthEventName = keyof AuthEventMap;

export interface WaitOptions {
  signal?: AbortSignal | undefined;
  /** Ms; then the wait rejects with a `TimeoutError` DOMException, as `AbortSignal.timeout` does. */
  timeout?: number | undefined;
}

export interface AuthSession {
  /** The running XState actor (`Symbol.observable` works, so RxJS `from(actor)` does too). */
  readonly actor: Actor<typeof authMachine>;
  /** The same object until the state changes. */
  getSnapshot(): AuthState;
  subscribe(listener: (state: AuthState) => void): () => void;
  login(tokens: TokenResult | (() => Promise<TokenResult>)): Promise<void>;
  /** Resolves once storage is cleared. */
  logout(): Promise<void>;
  /** Forces one refresh, or joins the one under way; resolves with the new access token. */
  refresh(): Promise<string>;
  getAccessToken(): string | null;
  /** Reports a 401 for the token a request carried; starts a refresh only for the current token. */
  tokenRejected(accessToken: string): void;
  /**
   * The state a request about to go out acts on (what `getSnapshot()` gives), after one check:
   * an access token whose expiry has passed on the session's clock is never sent, so the one
   * refresh a 401 would start starts now (or the session ends, without a refresh token), and the
   * request waits for it. Adapters call it before each request; `waitUntilSettled` does too.
   */
  stateForRequest(): AuthState;
  waitForAccessToken(options?: WaitOptions): Promise<string | null>;
  on<E extends AuthEventName>(event: E, handler: (payload: AuthEventMap[E]) => void): () => void;
  /** Leaves no timer or listener behind; commands reject with `SESSION_STOPPED` afterwards. */
  stop(): void;
}
