import {
  type AuthEventMap,
  type AuthEventName,
  type AuthSession,
  type AuthSessionOptions,
  type AuthStatus,
  createAuthSession,
  type RefreshContext,
  type TokenSet,
} from '@authmachine/core';
import { afterEach, beforeEach, vi } from 'vitest';

/**
 * Small test doubles for the unit tests of `@authmachine/core`: a refresh function whose calls the
 * test settles one by one, a storage that records what it was given, a JWT builder, and a flush that
 * lets promises settle under fake timers. Every test drives the public API only.
 */

/** Every unit test starts its fake clock here. */
export const T0 = Date.UTC(2030, 0, 1);
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** Fake timers from T0 around every test of the file: the session's timers run when the test says. */
export function useFakeClock(): void {
  beforeEach(() => {
    vi.useFakeTimers({ now: T0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });
}

/**
 * Errors a session rethrows on their own (from app callbacks, in a microtask so that the session
 * goes on), caught here instead of failing the run.
 */
export function captureRethrown(): unknown[] {
  const rethrown: unknown[] = [];
  const original = globalThis.queueMicrotask.bind(globalThis);
  vi.spyOn(globalThis, 'queueMicrotask').mockImplementation((callback) =>
    original(() => {
      try {
        callback();
      } catch (error) {
        rethrown.push(error);
      }
    }),
  );
  return rethrown;
}

export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function createDeferred<T = void>(): Deferred<T> {
  let resolve: (value: T) => void = () => undefined;
  let reject: (error: unknown) => void = () => undefined;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export interface RefreshCall {
  readonly ctx: RefreshContext;
  resolve(result: unknown): void;
  reject(error: unknown): void;
}

/** A refresh function (a `vi.fn`) whose every call waits until the test settles it. */
export function controllableRefresh(): {
  fn: ReturnType<typeof vi.fn<(ctx: RefreshContext) => Promise<TokenSet>>>;
  calls: RefreshCall[];
  /** The most recent call; throws when there is none, so a test cannot settle a call that never came. */
  last(): RefreshCall;
} {
  const calls: RefreshCall[] = [];
  const fn = vi.fn((ctx: RefreshContext) => {
    const deferred = createDeferred<TokenSet>();
    calls.push({
      ctx,
      resolve: (result) => deferred.resolve(result as TokenSet),
      reject: deferred.reject,
    });
    return deferred.promise;
  });
  return {
    fn,
    calls,
    last() {
      const call = calls.at(-1);
      if (!call) throw new Error('The refresh function was not called.');
      return call;
    },
  };
}

/** A synchronous storage whose methods are spies; `initial` is what `get()` returns. */
export function spyStorage(initial: unknown = null): {
  get: ReturnType<typeof vi.fn<() => TokenSet | null>>;
  set: ReturnType<typeof vi.fn<(tokens: TokenSet) => void>>;
  clear: ReturnType<typeof vi.fn<() => void>>;
  held(): unknown;
} {
  let held: unknown = initial;
  return {
    get: vi.fn(() => held as TokenSet | null),
    set: vi.fn((tokens: TokenSet) => {
      held = { ...tokens };
    }),
    clear: vi.fn(() => {
      held = null;
    }),
    held: () => held,
  };
}

/** Lets every pending promise settle (a real macrotask turn), without moving the fake clock. */
export async function flush(): Promise<void> {
  await vi.advanceTimersByTimeAsync(0);
}

/** A JWT with these claims (unsigned: the library never verifies, only the server can). */
export function makeJwt(claims: Record<string, unknown>): string {
  const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}.c2lnbmF0dXJl`;
}

/** Creates a session with a spy storage and waits until its restore is over. */
export async function startSession(
  options: Partial<AuthSessionOptions> & { refresh: AuthSessionOptions['refresh'] },
): Promise<AuthSession> {
  const session = createAuthSession(options);
  await flush();
  return session;
}

/** A session logged in with `tokens`, on a controllable refresh and a spy storage. */
export async function loggedInSession(
  tokens: TokenSet = { accessToken: 'access-1', refreshToken: 'refresh-1', expiresIn: 3600 },
  options: Partial<Omit<AuthSessionOptions, 'refresh' | 'storage'>> = {},
): Promise<{
  session: AuthSession;
  refresh: ReturnType<typeof controllableRefresh>;
  storage: ReturnType<typeof spyStorage>;
}> {
  const refresh = controllableRefresh();
  const storage = spyStorage();
  const session = await startSession({ ...options, refresh: refresh.fn, storage });
  await session.login(tokens);
  storage.set.mockClear();
  storage.clear.mockClear();
  return { session, refresh, storage };
}

export interface Recorded {
  name: AuthEventName;
  payload: unknown;
}

/** Every event `session.on(...)` delivers, in order. */
export function recordEvents(session: AuthSession): Recorded[] {
  const recorded: Recorded[] = [];
  const names: AuthEventName[] = [
    'loggedIn',
    'refreshed',
    'loggedOut',
    'sessionExpired',
    'refreshFailed',
    'storageFailed',
    'revokeFailed',
  ];
  for (const name of names) {
    session.on(name, (payload: AuthEventMap[typeof name]) => recorded.push({ name, payload }));
  }
  return recorded;
}

export type Settled<T> =
  | { status: 'pending' }
  | { status: 'resolved'; value: T }
  | { status: 'rejected'; error: unknown };

/** Follows a promise without letting its rejection go unhandled. */
export function track<T>(promise: Promise<T>): { readonly current: Settled<T> } {
  const tracked: { current: Settled<T> } = { current: { status: 'pending' } };
  promise.then(
    (value) => {
      tracked.current = { status: 'resolved', value };
    },
    (error: unknown) => {
      tracked.current = { status: 'rejected', error };
    },
  );
  return tracked;
}

/** The error a settled promise rejected with; fails the test when it did not reject. */
export function rejectionOf(tracked: { readonly current: Settled<unknown> }): unknown {
  const { current } = tracked;
  if (current.status !== 'rejected') throw new Error(`Expected a rejection, the promise is ${current.status}.`);
  return current.error;
}

/** Resolves as soon as the session reaches `status` (at once if it is there already). */
export function untilStatus(session: AuthSession, status: AuthStatus): Promise<void> {
  return new Promise((resolve) => {
    if (session.getSnapshot().status === status) {
      resolve();
      return;
    }
    const unsubscribe = session.subscribe((state) => {
      if (state.status !== status) return;
      unsubscribe();
      resolve();
    });
  });
}
