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
  return new Promise<void>((resolve, reject) => {
    /** Granted, or given up: from then on nothing else runs or rejects. */
    let done = false;
    const waiting = new AbortController();
    // After the grant a rejection (the lock taken from us) means nothing: `holder` runs on.
    const fail = (error: unknown): void => {
      if (done) return;
      done = true;
      clearTimeout(stealTimer);
      waiting.abort();
      reject(error);
    };
    // Only the first grant runs: a steal granted after the plain request was (or the reverse).
    const run = (): Promise<void> | undefined => {
      if (done) return;
      done = true;
      clearTimeout(stealTimer);
      return holder().finally(resolve);
    };
    const stealTimer = setTimeout(() => {
      waiting.abort();
      locks.request(name, { steal: true }, run).catch(fail);
    }, stealAt - Date.now());
    // A steal request has no signal (Web Locks refuses the pair): the signal ends the wait here. One
    // that aborted already is seen by `holder`, which checks it first.
    signal.addEventListener('abort', () => fail(signal.reason), { once: true });
    locks.request(name, { signal: waiting.signal }, run).catch((error: unknown) => {
      if (!waiting.signal.aborted) fail(error);
    });
  });
}
