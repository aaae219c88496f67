import { AuthError, type AuthSession, type AuthState } from '@authmachine/core';
import { CanceledError, type InternalAxiosRequestConfig } from 'axios';
import {
  distinctUntilChanged,
  filter,
  firstValueFrom,
  from,
  identity,
  map,
  Observable,
  type OperatorFunction,
  race,
  Subject,
  scan,
  share,
  take,
  takeUntil,
  throwError,
  throwIfEmpty,
  timeout,
} from 'rxjs';
import { FanOutSubject } from './fanOutSubject.js';

/** How a wait ended: the state the machine settled in, and whether a refresh ran meanwhile. */
export interface SettledWait {
  state: AuthState;
  sawRefreshing: boolean;
}

export interface RequestQueue {
  /** The session's state now, as the queue sees it. */
  current(): AuthState;
  /** Resolves once the machine is neither `restoring` nor `refreshing` (at once if it is not). */
  whenSettled(config: InternalAxiosRequestConfig): Promise<SettledWait>;
  /** Rejects every waiting request with a `CanceledError` and lets go of the actor. */
  close(): void;
}

/** Requests wait while the session is restoring its tokens or getting new ones. */
export function isHeld(state: AuthState): boolean {
  return state.status === 'restoring' || state.status === 'refreshing';
}

/**
 * The waiting requests, held as one RxJS stream over the session's actor. `share()` gives the actor
 * a single subscriber however many requests wait (and none once they have all gone), and one
 * snapshot releases all of them in one O(N) pass (see FanOutSubject).
 */
export function createRequestQueue(session: AuthSession, options: { queueTimeout?: number | undefined }): RequestQueue {
  const { queueTimeout } = options;
  const closed$ = new Subject<void>();
  let closed = false;
  // The actor's stream ends when the session stops; the session's own AuthState (updated first: it
  // subscribed when it was created) is kept as the same object until users could see a change.
  const states$ = from(session.actor).pipe(
    map(() => session.getSnapshot()),
    // An event the machine ignores (a 401 for the token being refreshed) still emits a snapshot:
    // only changes may reach the waiters, or N queued 401s cost O(N²) in their scans.
    distinctUntilChanged(),
    takeUntil(closed$),
    share({ connector: () => new FanOutSubject<AuthState>() }),
  );
  const current = (): AuthState => session.getSnapshot();

  function whenSettled(config: InternalAxiosRequestConfig): Promise<SettledWait> {
    const start = current();
    const first: SettledWait = { state: start, sawRefreshing: start.status === 'refreshing' };
    if (!isHeld(start)) return Promise.resolve(first);
    if (closed) return Promise.reject(detachedError(config));
    // A stopped actor neither emits nor completes for a new subscriber: the wait would never end.
    if (session.actor.getSnapshot().status === 'stopped') return Promise.reject(sessionStoppedError());
    const settled$ = states$.pipe(
      scan((wait, state) => ({ state, sawRefreshing: wait.sawRefreshing || state.status === 'refreshing' }), first),
      filter((wait) => !isHeld(wait.state)),
      take(1),
      // The stream ends without a settled state only when we detach or the session stops.
      throwIfEmpty(() => (closed ? detachedError(config) : sessionStoppedError())),
      queueTimeout === undefined ? identity : timeoutAfter(queueTimeout),
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

function timeoutAfter(ms: number): OperatorFunction<SettledWait, SettledWait> {
  return timeout({
    first: ms,
    with: () =>
      throwError(
        () =>
          new AuthError(
            'QUEUE_TIMEOUT',
            `The request waited more than ${ms} ms for the session to restore or refresh its token; it was not sent.`,
          ),
      ),
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

function sessionStoppedError(): AuthError {
  return new AuthError('SESSION_STOPPED', 'The session was stopped while the request waited for a token.');
}
