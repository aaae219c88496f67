import type { AuthSession } from '../types.js';
import {
  advanceWait,
  beginWait,
  isHeld,
  queueTimeoutError,
  type RequestWait,
  sessionStoppedError,
} from './requestOutcome.js';
import { stateChangesOf } from './stateChanges.js';

export interface SettleOptions {
  /** Aborting rejects the wait at once with the signal's reason; the session and other waits go on. */
  signal?: AbortSignal | undefined;
  /** Ms the wait may last; then it rejects with `timeoutError(ms)`. */
  timeout?: number | undefined;
  /** Default: an `AuthError` `QUEUE_TIMEOUT`. */
  timeoutError?: ((ms: number) => unknown) | undefined;
}

type SessionView = Pick<AuthSession, 'actor' | 'getSnapshot' | 'stateForRequest'>;

/**
 * Resolves once the session is neither restoring nor refreshing (at once when it is not), with
 * whether a refresh ran meanwhile; `decideBeforeSending` / `decideAfterRejection` turn that into
 * what the request gets. Every request held through one stretch shares one fold of the state
 * changes (`stretchOf`), and those without a signal or a timeout share one promise too.
 */
export function waitUntilSettled(session: SessionView, options: SettleOptions = {}): Promise<RequestWait> {
  const { signal, timeout } = options;
  if (signal?.aborted) return Promise.reject(signal.reason);
  // A token known to be dead starts its refresh here, and the wait is for that refresh.
  const first = beginWait(session.stateForRequest());
  if (!isHeld(first.state)) return Promise.resolve(first);
  const stretch = stretchOf(session, first);
  if (!signal && timeout === undefined) return stretch.settled();
  return new Promise<RequestWait>((resolve, reject) => {
    const leave = (): void => {
      stretch.leave(listener);
      signal?.removeEventListener('abort', onAbort);
      clearTimeout(timer);
    };
    const listener: StretchListener = {
      settled: (wait) => {
        leave();
        resolve(wait);
      },
      failed: (error) => {
        leave();
        reject(error);
      },
    };
    const onAbort = (): void => listener.failed(signal?.reason);
    const timer =
      timeout === undefined
        ? undefined
        : setTimeout(() => listener.failed((options.timeoutError ?? queueTimeoutError)(timeout)), timeout);
    signal?.addEventListener('abort', onAbort, { once: true });
    stretch.join(listener);
  });
}

export interface StretchListener {
  settled(wait: RequestWait): void;
  failed(error: unknown): void;
}

/** One held stretch (restoring or refreshing, until the session settles) and who waits through it. */
interface Stretch {
  /** The one promise every wait without a signal or a timeout gets. */
  settled(): Promise<RequestWait>;
  join(listener: StretchListener): void;
  leave(listener: StretchListener): void;
}

const stretchesByActor = new WeakMap<object, Stretch>();

/**
 * The primitive under `waitUntilSettled`, for adapters that hold their own queue (the axios one
 * keeps its RxJS stream over it): `listener` is told synchronously when the session settles (at
 * once when it is not held), or fails; `leave()` withdraws it.
 */
export function joinSettlement(session: SessionView, listener: StretchListener): { leave(): void } {
  const first = beginWait(session.stateForRequest());
  if (!isHeld(first.state)) {
    listener.settled(first);
    return { leave: () => undefined };
  }
  const stretch = stretchOf(session, first);
  stretch.join(listener);
  return { leave: () => stretch.leave(listener) };
}

/**
 * The stretch under way, for every adapter of the session: N requests held by one refresh cost one
 * observer of `stateChangesOf` and one fold, not N. They all get the same answer, because the fold
 * only asks whether a refresh ran since the wait began, and a stretch that holds a refresh holds it
 * after any `restoring` it starts with. Listeners are told synchronously, so a stopped session
 * leaves no timer behind; the stretch lets go of the source when the last listener leaves.
 */
function stretchOf(session: SessionView, first: RequestWait): Stretch {
  const existing = stretchesByActor.get(session.actor);
  if (existing) return existing;
  const listeners = new Set<StretchListener>();
  let wait = first;
  let shared: Promise<RequestWait> | undefined;
  let subscription: { unsubscribe(): void } | undefined;
  let ended = false;

  const close = (): void => {
    ended = true;
    stretchesByActor.delete(session.actor);
    subscription?.unsubscribe();
  };
  const end = (tell: (listener: StretchListener) => void): void => {
    close();
    for (const listener of [...listeners]) tell(listener);
    listeners.clear();
  };
  const stretch: Stretch = {
    settled() {
      shared ??= new Promise((resolve, reject) => stretch.join({ settled: resolve, failed: reject }));
      return shared;
    },
    join(listener) {
      // Only a stretch of a session that was stopped before it began is ended when joined.
      if (ended) listener.failed(sessionStoppedError());
      else listeners.add(listener);
    },
    leave(listener) {
      if (!listeners.delete(listener) || listeners.size > 0 || ended) return;
      close();
    },
  };
  subscription = stateChangesOf(session).subscribe({
    next: (state) => {
      wait = advanceWait(wait, state);
      if (!isHeld(state)) end((listener) => listener.settled(wait));
    },
    error: (error) => end((listener) => listener.failed(error)),
    complete: () => end((listener) => listener.failed(sessionStoppedError())),
  });
  // The source completes synchronously for a session that is already stopped: nothing to share.
  if (ended) subscription.unsubscribe();
  else stretchesByActor.set(session.actor, stretch);
  return stretch;
}
