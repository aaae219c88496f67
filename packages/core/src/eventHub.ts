/** A typed set of handlers per event name. One throwing handler does not keep the others from running. */
export interface EventHub<TMap> {
  on<E extends keyof TMap>(event: E, handler: (payload: TMap[E]) => void): () => void;
  emit<E extends keyof TMap>(event: E, payload: TMap[E]): void;
  clear(): void;
}

export function createEventHub<TMap>(): EventHub<TMap> {
  const handlers = new Map<keyof TMap, Set<(payload: never) => void>>();
  return {
    on(event, handler) {
      let set = handlers.get(event);
      if (!set) {
        set = new Set();
        handlers.set(event, set);
      }
      set.add(handler);
      return () => {
        set.delete(handler);
        if (set.size === 0 && handlers.get(event) === set) handlers.delete(event);
      };
    },
    emit(event, payload) {
      for (const handler of [...(handlers.get(event) ?? [])]) {
        callSafely(() => (handler as (payload: TMap[typeof event]) => void)(payload));
      }
    },
    clear: () => handlers.clear(),
  };
}

/** Calls an app's callback; its error is rethrown on its own so that it is seen but breaks nothing of ours. */
export function callSafely(callback: () => void): void {
  try {
    callback();
  } catch (error) {
    queueMicrotask(() => {
      throw error;
    });
  }
}
