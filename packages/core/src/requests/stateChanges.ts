import type { AuthSession, AuthState } from '../types.js';

export interface StateObserver {
  next(state: AuthState): void;
  error(error: unknown): void;
  /** The session stopped: no state will come. */
  complete(): void;
}

/** An observer with any of the three callbacks; a callback given as `undefined` counts as absent. */
type PartialStateObserver = { [K in keyof StateObserver]?: StateObserver[K] | undefined };

/**
 * The session's `AuthState`, each time users could see it change: the one source every waiting
 * request of every adapter listens to. Observer-shaped, so an RxJS `Observable` wraps it in one line.
 */
export interface StateChanges {
  subscribe(observer: PartialStateObserver): { unsubscribe(): void };
}

type SessionView = Pick<AuthSession, 'actor' | 'getSnapshot'>;

// One per actor, so several auth fetches, axios instances and the session itself share it.
const changesByActor = new WeakMap<object, StateChanges>();

export function stateChangesOf(session: SessionView): StateChanges {
  let changes = changesByActor.get(session.actor);
  if (changes === undefined) {
    changes = createStateChanges(session);
    changesByActor.set(session.actor, changes);
  }
  return changes;
}

/**
 * Subscribes to the actor only while someone waits, and only ever once however many wait. The
 * actor emits a snapshot for every event, also those it ignores (a late 401 for the token being
 * refreshed); the session keeps its `AuthState` as the same object until it changes, so comparing
 * references lets only changes through: N queued 401s cost O(N), not O(N²), in the waiters. The
 * observers live in a Set: each leaves in O(1), so one change releases N waiters in one O(N) pass.
 */
function createStateChanges(session: SessionView): StateChanges {
  const observers = new Set<PartialStateObserver>();
  let actorSubscription: { unsubscribe(): void } | null = null;
  let last: AuthState | null = null;

  const endAll = (end: (observer: PartialStateObserver) => void): void => {
    const ending = [...observers];
    observers.clear();
    actorSubscription = null;
    for (const observer of ending) end(observer);
  };

  const connect = (): void => {
    last = session.getSnapshot();
    actorSubscription = session.actor.subscribe({
      next: () => {
        // The session subscribed first (when it was created), so its AuthState is already current.
        const state = session.getSnapshot();
        if (state === last) return;
        last = state;
        // A Set iterates safely while its members delete themselves, and skips those already gone.
        for (const observer of observers) observer.next?.(state);
      },
      error: (error) => endAll((observer) => observer.error?.(error)),
      complete: () => endAll((observer) => observer.complete?.()),
    });
  };

  const changes: StateChanges = {
    subscribe(observer) {
      // A stopped actor neither emits nor completes for a new subscriber: say so at once.
      if (session.actor.getSnapshot().status !== 'active') {
        observer.complete?.();
        return { unsubscribe: () => undefined };
      }
      observers.add(observer);
      if (actorSubscription === null) connect();
      return {
        unsubscribe: () => {
          if (!observers.delete(observer) || observers.size > 0 || actorSubscription === null) return;
          actorSubscription.unsubscribe();
          actorSubscription = null;
        },
      };
    },
  };
  return changes;
}
