import type { AuthEventName, AuthSession, CrossTabChannel, TokenSet, TokenStorage } from '@authmachine/core';

/**
 * Test doubles for driving a real `createAuthSession` step by step: the test decides when each
 * refresh/login call, storage read and promise settles, so no test waits for real time.
 */

export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
  /** True once `resolve` or `reject` was called. */
  readonly settled: boolean;
}

export function createDeferred<T>(): Deferred<T> {
  let resolvePromise: (value: T) => void = () => undefined;
  let rejectPromise: (error: unknown) => void = () => undefined;
  let settled = false;
  const promise = new Promise<T>((resolve, reject) => {
    resolvePromise = resolve;
    rejectPromise = reject;
  });
  return {
    promise,
    resolve(value) {
      settled = true;
      resolvePromise(value);
    },
    reject(error) {
      settled = true;
      rejectPromise(error);
    },
    get settled() {
      return settled;
    },
  };
}

export interface PendingCall<TArgs extends unknown[], TResult> extends Deferred<TResult> {
  readonly args: TArgs;
}

/** An async function (a refresh or login call) whose every call waits until the test settles it. */
export interface ControllableFunction<TArgs extends unknown[], TResult> {
  readonly fn: (...args: TArgs) => Promise<TResult>;
  readonly calls: ReadonlyArray<PendingCall<TArgs, TResult>>;
  /** The calls nobody has settled yet. */
  unsettled(): Array<PendingCall<TArgs, TResult>>;
}

export function createControllableFunction<TArgs extends unknown[], TResult>(): ControllableFunction<TArgs, TResult> {
  const calls: Array<PendingCall<TArgs, TResult>> = [];
  return {
    fn: (...args) => {
      const deferred = createDeferred<TResult>();
      calls.push({
        args,
        promise: deferred.promise,
        resolve: deferred.resolve,
        reject: deferred.reject,
        get settled() {
          return deferred.settled;
        },
      });
      return deferred.promise;
    },
    calls,
    unsettled: () => calls.filter((call) => !call.settled),
  };
}

export type StorageCall = { op: 'get' } | { op: 'set'; tokens: TokenSet } | { op: 'clear' };

/** An async storage that records every call; its reads can be held until the test answers them. */
export interface RecordingStorage extends TokenStorage {
  readonly calls: ReadonlyArray<StorageCall>;
  /** What the storage holds now (anything, for storage that holds garbage). */
  held(): unknown;
  /** Answers the read `get()` left pending (`holdReads`): with a stored value, or by failing. */
  finishRead(outcome: { value: unknown } | { error: unknown }): void;
}

export function createRecordingStorage(options: { holdReads?: boolean; initial?: unknown } = {}): RecordingStorage {
  let held: unknown = options.initial ?? null;
  const calls: StorageCall[] = [];
  const reads: Array<Deferred<TokenSet | null>> = [];
  return {
    calls,
    held: () => held,
    get() {
      calls.push({ op: 'get' });
      if (!options.holdReads) return Promise.resolve(held as TokenSet | null);
      const read = createDeferred<TokenSet | null>();
      reads.push(read);
      return read.promise;
    },
    // Writes land a tick later, as with IndexedDB or a native bridge: callers must await them.
    async set(tokens) {
      calls.push({ op: 'set', tokens: { ...tokens } });
      await Promise.resolve();
      held = { ...tokens };
    },
    async clear() {
      calls.push({ op: 'clear' });
      await Promise.resolve();
      held = null;
    },
    finishRead(outcome) {
      const read = reads.find((candidate) => !candidate.settled);
      if (!read) throw new Error('finishRead: no storage read is pending.');
      if ('error' in outcome) {
        read.reject(outcome.error);
        return;
      }
      held = outcome.value;
      read.resolve(outcome.value as TokenSet | null);
    },
  };
}

export interface RecordedEvent {
  name: AuthEventName;
  payload: unknown;
}

export const AUTH_EVENT_NAMES: readonly AuthEventName[] = [
  'loggedIn',
  'refreshed',
  'loggedOut',
  'sessionExpired',
  'refreshFailed',
  'storageFailed',
];

/** Records every `session.on(...)` event in order; `take()` returns those since the last take. */
export function recordEvents(session: AuthSession): { readonly all: RecordedEvent[]; take(): RecordedEvent[] } {
  const all: RecordedEvent[] = [];
  let taken = 0;
  for (const name of AUTH_EVENT_NAMES) {
    session.on(name, (payload) => all.push({ name, payload }));
  }
  return {
    all,
    take() {
      const fresh = all.slice(taken);
      taken = all.length;
      return fresh;
    },
  };
}

export type Tracked<T> =
  | { readonly status: 'pending' }
  | { readonly status: 'resolved'; readonly value: T }
  | { readonly status: 'rejected'; readonly error: unknown };

/** Follows a promise a user holds (login, refresh, waitForAccessToken) without letting it go unhandled. */
export function trackPromise<T>(promise: Promise<T>): { current(): Tracked<T> } {
  let state: Tracked<T> = { status: 'pending' };
  promise.then(
    (value) => {
      state = { status: 'resolved', value };
    },
    (error: unknown) => {
      state = { status: 'rejected', error };
    },
  );
  return { current: () => state };
}

type MessageListener = (event: { data: unknown }) => void;

/**
 * BroadcastChannel as browsers run it, in one process and on fake timers: a message reaches every
 * other channel open under its name (not the sender) a microtask later, as a structured clone.
 */
export function createTabBus(): {
  open(name: string): CrossTabChannel;
  /** Another tab on `name`: posts as that tab, and `take()` returns what it heard since the last take. */
  peer(name: string): { post(message: unknown): void; take(): unknown[] };
} {
  const open = new Set<{ name: string; deliver(data: unknown): void }>();
  const openChannel = (name: string, onMessage?: (data: unknown) => void) => {
    const listeners = new Set<MessageListener>();
    const self = {
      name,
      deliver(data: unknown) {
        onMessage?.(data);
        for (const listener of [...listeners]) listener({ data });
      },
    };
    open.add(self);
    const channel: CrossTabChannel = {
      postMessage(message) {
        const data = structuredClone(message);
        queueMicrotask(() => {
          for (const other of [...open]) if (other !== self && other.name === name) other.deliver(data);
        });
      },
      addEventListener: (_type, listener) => listeners.add(listener),
      removeEventListener: (_type, listener) => listeners.delete(listener),
      close: () => open.delete(self),
    };
    return channel;
  };
  return {
    open: (name) => openChannel(name),
    peer(name) {
      const heard: unknown[] = [];
      let taken = 0;
      const channel = openChannel(name, (data) => heard.push(data));
      return {
        post: (message) => channel.postMessage(message),
        take() {
          const fresh = heard.slice(taken);
          taken = heard.length;
          return fresh;
        },
      };
    },
  };
}
