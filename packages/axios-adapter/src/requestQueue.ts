import {
  type AuthSession,
  type AuthState,
  beginWait,
  isHeld,
  joinSettlement,
  queueTimeoutError,
  type RequestWait,
} from '@authmachine/core';
import { CanceledError, type InternalAxiosRequestConfig } from 'axios';
import { from, Observable, race, throwError, timeout } from 'rxjs';

export interface RequestQueue {
  /** The session's state for a request about to go out (a token known to be dead starts its refresh). */
  current(): AuthState;
  /**
   * Calls `then` once the machine is neither `restoring` nor `refreshing` (at once if it is not),
   * with what the request saw meanwhile; rejects if the request left the queue first (its signal,
   * the queue's timeout, a detach). One promise per request: the continuation is chained onto the
   * shared wait directly, rather than onto a promise of its own.
   */
  afterSettled<T>(config: InternalAxiosRequestConfig, then: (wait: RequestWait) => T | Promise<T>): Promise<T>;
  /** Rejects every waiting request with a `CanceledError`. */
  close(): void;
}

const DETACHED = Symbol('detached');

/**
 * The waiting requests of one `attachAuth`. Every request held by one refresh (or the restore)
 * waits on the same stretch: one listener on core's settlement of the session (`joinSettlement`,
 * shared by every adapter), so N waiting requests cost N promise reactions and nothing else. A
 * request with its own signal, or a queue with `queueTimeout`, waits through an RxJS stream over
 * that stretch, which turns axios' signal and the timeout into ends of the wait for that request
 * alone. What a request gets once released is core's decision.
 */
export function createRequestQueue(session: AuthSession, options: { queueTimeout?: number | undefined }): RequestQueue {
  const { queueTimeout } = options;
  const current = (): AuthState => session.stateForRequest();
  let stretch: HeldStretch | null = null;
  let closed = false;

  function afterSettled<T>(
    config: InternalAxiosRequestConfig,
    then: (wait: RequestWait) => T | Promise<T>,
  ): Promise<T> {
    const first = beginWait(current());
    if (!isHeld(first.state)) return Promise.resolve(first).then(then);
    if (closed) return Promise.reject(detachedError(config));
    if (stretch === null || stretch.isOver()) stretch = heldStretch(session);
    const held = stretch;
    held.join();
    const { signal } = config;
    const ownsWait = signal || queueTimeout !== undefined;
    const waited = ownsWait ? ownWait(held.settled, config, queueTimeout) : held.settled;
    return waited.then(then, (error: unknown) => {
      // This request left before the stretch ended (its signal, its timeout): one fewer to wait for.
      if (ownsWait) held.leave();
      throw error === DETACHED ? detachedError(config) : error;
    });
  }

  return {
    current,
    afterSettled,
    close() {
      closed = true;
      stretch?.detach();
    },
  };
}

interface HeldStretch {
  settled: Promise<RequestWait>;
  join(): void;
  leave(): void;
  isOver(): boolean;
  detach(): void;
}

/**
 * This queue's share of one held stretch: one wait on core's settlement, withdrawn (its own
 * signal) when `detach()` is called or when every request of the queue has left it early, so that
 * nothing of ours stays subscribed to a refresh nobody waits for.
 */
function heldStretch(session: AuthSession): HeldStretch {
  let waiting = 0;
  // Set synchronously as the stretch ends, so a request that comes right after joins the next one.
  let over = false;
  let membership: { leave(): void } = { leave: () => undefined };
  let fail: (error: unknown) => void = () => undefined;
  const settled = new Promise<RequestWait>((resolve, reject) => {
    fail = reject;
    membership = joinSettlement(session, {
      settled: (wait) => {
        over = true;
        resolve(wait);
      },
      failed: (error) => {
        over = true;
        reject(error);
      },
    });
  });
  const end = (error: unknown): void => {
    if (over) return;
    over = true;
    membership.leave();
    fail(error);
  };
  return {
    settled,
    join: () => {
      waiting += 1;
    },
    leave: () => {
      waiting -= 1;
      if (waiting === 0) end(DETACHED);
    },
    isOver: () => over,
    detach: () => end(DETACHED),
  };
}

/** The stretch, ended early for this request alone by its signal or by the queue's timeout. */
function ownWait(
  settled: Promise<RequestWait>,
  config: InternalAxiosRequestConfig,
  queueTimeout: number | undefined,
): Promise<RequestWait> {
  let settled$: Observable<RequestWait> = from(settled);
  if (queueTimeout !== undefined) {
    settled$ = settled$.pipe(
      timeout({ first: queueTimeout, with: () => throwError(() => queueTimeoutError(queueTimeout)) }),
    );
  }
  const { signal } = config;
  if (signal) settled$ = race(settled$, abortOf(signal, config));
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
