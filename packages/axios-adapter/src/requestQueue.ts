import {
  type AuthSession,
  type AuthState,
  advanceWait,
  beginWait,
  isHeld,
  queueTimeoutError,
  type RequestWait,
  type StateChanges,
  type StateObserver,
  sessionStoppedError,
  stateChangesOf,
} from '@authmachine/core';
import { CanceledError, type InternalAxiosRequestConfig } from 'axios';
import { Observable, race, type Subscriber, throwError, timeout, type Unsubscribable } from 'rxjs';

export interface RequestQueue {
  /** The session's state now, as the queue sees it. */
  current(): AuthState;
  /** Resolves once the machine is neither `restoring` nor `refreshing` (at once if it is not). */
  whenSettled(config: InternalAxiosRequestConfig): Promise<RequestWait>;
  /** Rejects every waiting request with a `CanceledError`. */
  close(): void;
}

/**
 * The waiting requests, held as RxJS streams over core's one source of state changes
 * (`stateChangesOf`), which every adapter of the session shares: the actor sees one subscriber
 * however many requests wait, and one change releases all of them in one pass. What a request gets
 * once released is core's decision; this file only turns axios' signal and `detach()` into ends of
 * the stream.
 */
export function createRequestQueue(session: AuthSession, options: { queueTimeout?: number | undefined }): RequestQueue {
  const { queueTimeout } = options;
  const changes = stateChangesOf(session);
  const current = (): AuthState => session.getSnapshot();
  // The waits under way, for `close()`. A Set, not a Subject that every wait listens to: a Subject
  // keeps its observers in an array, and N waits leaving it one by one cost O(N²).
  const waiting = new Set<Wait>();
  let closed = false;

  function whenSettled(config: InternalAxiosRequestConfig): Promise<RequestWait> {
    const first = beginWait(current());
    if (!isHeld(first.state)) return Promise.resolve(first);
    if (closed) return Promise.reject(detachedError(config));
    let settled$ = new Observable<RequestWait>((subscriber) => new Wait(first, subscriber, config, waiting, changes));
    // Timer and abort listener only for the requests that have them.
    if (queueTimeout !== undefined) {
      settled$ = settled$.pipe(
        timeout({ first: queueTimeout, with: () => throwError(() => queueTimeoutError(queueTimeout)) }),
      );
    }
    const { signal } = config;
    return settledValue(signal ? race(settled$, abortOf(signal, config)) : settled$);
  }

  return {
    current,
    whenSettled,
    close() {
      closed = true;
      // Each wait leaves the Set as it ends; a Set iterates safely meanwhile.
      for (const wait of waiting) wait.detach();
    },
  };
}

/**
 * One request's wait, the body of its stream: core's fold of the states it sees (`advanceWait`),
 * emitted once the session holds requests no longer. One object doing what `scan`, `filter`,
 * `take(1)` and `throwIfEmpty` did, its own observer of core's source and its own teardown: while
 * 10,000 requests wait, every object a wait keeps is 10,000 objects the garbage collector moves.
 */
class Wait implements StateObserver, Unsubscribable {
  private wait: RequestWait;
  private readonly subscriber: Subscriber<RequestWait>;
  private readonly config: InternalAxiosRequestConfig;
  private readonly waiting: Set<Wait>;
  private readonly subscription: Unsubscribable;

  constructor(
    first: RequestWait,
    subscriber: Subscriber<RequestWait>,
    config: InternalAxiosRequestConfig,
    waiting: Set<Wait>,
    changes: StateChanges,
  ) {
    this.wait = first;
    this.subscriber = subscriber;
    this.config = config;
    this.waiting = waiting;
    waiting.add(this);
    this.subscription = changes.subscribe(this);
  }

  next(state: AuthState): void {
    this.wait = advanceWait(this.wait, state);
    if (isHeld(state)) return;
    this.subscriber.next(this.wait);
    this.subscriber.complete();
  }

  error(error: unknown): void {
    this.subscriber.error(error);
  }

  /** The source ends without a settled state only when the session stops. */
  complete(): void {
    this.subscriber.error(sessionStoppedError());
  }

  detach(): void {
    this.subscriber.error(detachedError(this.config));
  }

  unsubscribe(): void {
    this.waiting.delete(this);
    this.subscription.unsubscribe();
  }
}

/**
 * The one value of a wait's stream, as a promise. Each of these streams emits once and completes,
 * or errors, so `resolve` and `reject` are its whole observer; `firstValueFrom` keeps a context and
 * three closures of its own per waiting request, a third of what a waiting request holds here.
 */
function settledValue(settled$: Observable<RequestWait>): Promise<RequestWait> {
  return new Promise((resolve, reject) => {
    settled$.subscribe({ next: resolve, error: reject });
  });
}

type AbortSignalLike = NonNullable<InternalAxiosRequestConfig['signal']>;

/** Errors as soon as the request's own signal aborts: only that request leaves the queue. */
function abortOf(signal: AbortSignalLike, config: InternalAxiosRequestConfig): Observable<never> {
  return new Observable<never>((subscriber) => {
    const onAbort = (): void => subscriber.error(new CanceledError(undefined, config));
    if (signal.aborted) {
      onAbort();
      return undefined;
    }
    signal.addEventListener?.('abort', onAbort);
    return () => signal.removeEventListener?.('abort', onAbort);
  });
}

function detachedError(config: InternalAxiosRequestConfig): CanceledError<unknown> {
  return new CanceledError('The request was cancelled: attachAuth was detached while it waited.', config);
}
