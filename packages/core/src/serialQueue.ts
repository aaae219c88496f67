/**
 * Runs async operations one after another, in the order they were queued. Storage writes go
 * through one: a logout's `clear` queued after a login's `set` must land after it, even when the
 * storage is async and the `set` is slow.
 */
export interface SerialQueue {
  /** Queues `operation`; the promise settles with its outcome. Sync throws become rejections. */
  run(operation: () => unknown): Promise<void>;
  /** Resolves once everything queued so far has settled. */
  idle(): Promise<void>;
}

export function createSerialQueue(): SerialQueue {
  let tail: Promise<void> = Promise.resolve();
  return {
    run(operation) {
      const result = tail.then(async () => {
        await operation();
      });
      tail = result.catch(() => undefined);
      return result;
    },
    idle: () => tail,
  };
}
