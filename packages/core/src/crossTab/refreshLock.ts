/**
 * The part of the Web Locks API (`navigator.locks`) the refresh lock uses. `navigator.locks` fits;
 * so does `inProcessLocks()` (one JavaScript context: tests, Node, the demo).
 */
export interface CrossTabLocks {
  request<T>(
    name: string,
    options: { signal?: AbortSignal; ifAvailable?: boolean; steal?: boolean },
    callback: (lock: unknown) => T | Promise<T>,
  ): Promise<T>;
  /**
   * The locks held now, as `navigator.locks.query()` lists them. Optional, and no longer used (nor
   * offered by `inProcessLocks()`): a tab finds out whether a refresh token was sent by claiming it
   * (see tokenClaim.ts).
   */
  query?: (() => Promise<{ held?: Array<{ name?: string | undefined }> | undefined }>) | undefined;
}

/**
 * Exclusive Web Locks for one JavaScript context: the same queueing, `signal`, `ifAvailable` and
 * `steal` semantics as `navigator.locks`, for sessions that share a process (tests, Node, the demo's
 * tabs). A steal releases the holder's lock at once and grants the thief ahead of the queue; the
 * holder's `request` rejects with an `AbortError` while its callback keeps running, and its end
 * releases nothing it no longer holds.
 */
export function inProcessLocks(): CrossTabLocks {
  const queues = new Map<string, Array<() => void>>();
  /** Each held lock's holder: what rejects its `request` when the lock is stolen. */
  const holders = new Map<string, (reason: unknown) => void>();

  const run = <T>(name: string, callback: (lock: unknown) => T | Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      holders.set(name, reject);
      Promise.resolve()
        .then(() => callback({ name, mode: 'exclusive' }))
        .then(resolve, reject)
        .finally(() => {
          if (holders.get(name) !== reject) return;
          holders.delete(name);
          queues.get(name)?.shift()?.();
        });
    });

  return {
    request(name, { signal, ifAvailable, steal }, callback) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      if (steal) {
        holders.get(name)?.(new DOMException('Lock stolen', 'AbortError'));
        return run(name, callback);
      }
      if (!holders.has(name)) return run(name, callback);
      if (ifAvailable) return Promise.resolve(callback(null));
      return new Promise((resolve, reject) => {
        const queue = queues.get(name) ?? [];
        queues.set(name, queue);
        const grant = (): void => {
          signal?.removeEventListener('abort', onAbort);
          run(name, callback).then(resolve, reject);
        };
        const onAbort = (): void => {
          queue.splice(queue.indexOf(grant), 1);
          reject(signal?.reason);
        };
        queue.push(grant);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
  };
}
