import type { CrossTabLocks } from './refreshLock.js';

/**
 * Runs `holder` with the lock `name`: requested as usual, and taken over (Web Locks `steal`) when
 * it is still not granted at `stealAt` (epoch ms). Resolves when `holder` is done; rejects only when
 * the wait ends without the lock (the signal aborted, or the lock manager refused the request).
 *
 * Why steal rather than wait on: a tab that holds the lock but no longer runs (the browser froze it
 * in the background, a debugger paused it, a long task blocks it) would block every other tab's
 * refresh for as long as it sleeps, and each of their attempts would time out in turn. Stealing is
 * safe here because the lock only orders the tabs: what keeps a refresh token from being sent twice
 * is its claim (`tokenClaim.ts`), which is never stolen. The holder that loses the lock runs on; its
 * `request` rejects with an `AbortError`, which means nothing to it once it was granted.
 */
export function requestOrSteal(
  locks: CrossTabLocks,
  name: string,
  { signal, stealAt }: { signal: AbortSignal; stealAt: number },
  holder: () => Promise<void>,
): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<void>((resolve, reject) => {
    /** Granted, or given up: from then on nothing else is run or rejected. */
    let done = false;
    const waiting = new AbortController();
    const finish = (): boolean => {
      if (done) return false;
      done = true;
      clearTimeout(stealTimer);
      signal.removeEventListener('abort', onAbort);
      return true;
    };
    // Also after the grant, a rejection (the lock taken from us) means nothing: `holder` runs on.
    const fail = (error: unknown): void => {
      if (!finish()) return;
      waiting.abort(error);
      reject(error);
    };
    // A steal request has no signal (Web Locks refuses the pair): the signal ends the wait here.
    const onAbort = (): void => fail(signal.reason);
    // Only the first grant runs: a steal granted after the plain request was (or the reverse).
    const run = (): Promise<void> | undefined => (finish() ? holder().finally(resolve) : undefined);
    const stealTimer = setTimeout(
      () => {
        waiting.abort();
        locks.request(name, { steal: true }, run).catch(fail);
      },
      Math.max(0, stealAt - Date.now()),
    );
    signal.addEventListener('abort', onAbort, { once: true });
    locks.request(name, { signal: waiting.signal }, run).catch((error: unknown) => {
      if (!waiting.signal.aborted) fail(error);
    });
  });
}
