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

/**
 * Resolves once the session is neither restoring nor refreshing (at once when it is not), with
 * whether a refresh ran meanwhile; `decideBeforeSending` / `decideAfterRejection` turn that into
 * what the request gets. Every wait listens to the one shared `stateChangesOf(session)`.
 */
export function waitUntilSettled(
  session: Pick<AuthSession, 'actor' | 'getSnapshot'>,
  options: SettleOptions = {},
): Promise<RequestWait> {
  const { signal, timeout } = options;
  if (signal?.aborted) return Promise.reject(signal.reason);
  let wait = beginWait(session.getSnapshot());
  if (!isHeld(wait.state)) return Promise.resolve(wait);
  return new Promise<RequestWait>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let subscription: { unsubscribe(): void } | undefined;
    let done = false;
    const finish = (): void => {
      done = true;
      subscription?.unsubscribe();
      signal?.removeEventListener('abort', onAbort);
      if (timer !== undefined) clearTimeout(timer);
    };
    const fail = (error: unknown): void => {
      finish();
      reject(error);
    };
    const onAbort = (): void => fail(signal?.reason);
    subscription = stateChangesOf(session).subscribe({
      next: (state) => {
        wait = advanceWait(wait, state);
        if (isHeld(state)) return;
        finish();
        resolve(wait);
      },
      error: fail,
      complete: () => fail(sessionStoppedError()),
    });
    // The source completes synchronously for a session that is already stopped.
    if (done) {
      subscription.unsubscribe();
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    if (timeout !== undefined) {
      timer = setTimeout(() => fail((options.timeoutError ?? queueTimeoutError)(timeout)), timeout);
    }
  });
}
