import {
  type AuthSession,
  type AuthState,
  advanceWait,
  beginWait,
  isHeld,
  queueTimeoutError,
  type RequestWait,
  sessionStoppedError,
  stateChangesOf,
} from '@authmachine/core';
import { CanceledError, type InternalAxiosRequestConfig } from 'axios';
import {
  filter,
  firstValueFrom,
  identity,
  Observable,
  race,
  Subject,
  scan,
  take,
  takeUntil,
  throwError,
  throwIfEmpty,
  timeout,
} from 'rxjs';

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
  const closed$ = new Subject<void>();
  let closed = false;
  const changes = stateChangesOf(session);
  const states$ = new Observable<AuthState>((subscriber) => changes.subscribe(subscriber)).pipe(takeUntil(closed$));
  const current = (): AuthState => session.getSnapshot();

  function whenSettled(config: InternalAxiosRequestConfig): Promise<RequestWait> {
    const first = beginWait(current());
    if (!isHeld(first.state)) return Promise.resolve(first);
    if (closed) return Promise.reject(detachedError(config));
    const settled$ = states$.pipe(
      scan(advanceWait, first),
      filter((wait) => !isHeld(wait.state)),
      take(1),
      // The stream ends without a settled state only when we detach or the session stops.
      throwIfEmpty(() => (closed ? detachedError(config) : sessionStoppedError())),
      queueTimeout === undefined
        ? identity
        : timeout({ first: queueTimeout, with: () => throwError(() => queueTimeoutError(queueTimeout)) }),
    );
    const { signal } = config;
    return firstValueFrom(signal ? race(settled$, abortOf(signal, config)) : settled$);
  }

  return {
    current,
    whenSettled,
    close() {
      closed = true;
      closed$.next();
      closed$.complete();
    },
  };
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
