/**
 * The part of the Web Locks API (`navigator.locks`) the refresh lock uses. `navigator.locks` fits;
 * so does `inProcessLocks()` (one JavaScript context: tests, Node, the demo).
 */
export interface CrossTabLocks {
  request<T>(
    name: string,
    options: { signal?: AbortSignal; ifAvailable?: boolean },
    callback: (lock: unknown) => T | Promise<T>,
  ): Promise<T>;
  /** The locks held now, as `navigator.locks.query()` lists them. Without it, no rotation marks (see rotationMark.ts). */
  query?: (() => Promise<{ held?: Array<{ name?: string | undefined }> | undefined }>) | undefined;
}

/**
 * Exclusive Web Locks for one JavaScript context: the same queueing, `signal` and `ifAvailable`
 * semantics as `navigator.locks`, for sessions that share a process (tests, Node, the demo's tabs).
 */
export function inProcessLocks(): CrossTabLocks {
  const queues = new Map<string, Array<() => void>>();
  const held = new Set<string>();

  const release = (name: string): void => {
    const next = queues.get(name)?.shift();
    if (next) next();
    else held.delete(name);
  };

  return {
    query: async () => ({ held: [...held].map((name) => ({ name })) }),
    request(name, { signal, ifAvailable }, callback) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      const run = async () => {
        try {
          return await callback({ name, mode: 'exclusive' });
        } finally {
          release(name);
        }
      };
      if (!held.has(name)) {
        held.add(name);
        return run();
      }
      if (ifAvailable) return Promise.resolve(callback(null));
      return new Promise((resolve, reject) => {
        const queue = queues.get(name) ?? [];
        queues.set(name, queue);
        const grant = (): void => {
          signal?.removeEventListener('abort', onAbort);
          run().then(resolve, reject);
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
