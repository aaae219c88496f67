import type { ActorRefLike, InspectionEvent, Observer } from 'xstate';

/** An XState inspector: what `createActor(machine, { inspect })` takes, e.g. `@statelyai/inspect`'s. */
export type SessionInspector = Observer<InspectionEvent> | ((event: InspectionEvent) => void);

const REDACTED = '[redacted]';
const TOKEN_KEYS = new Set(['accessToken', 'refreshToken', 'access_token', 'refresh_token', 'id_token']);

/**
 * The inspector the session's actor gets. Inspection events carry the machine's context, its events
 * and its children's input and output, which all hold tokens; an inspector ships them to another
 * window or a websocket. So each event is copied with every token replaced by "[redacted]", unless
 * the app opted in with `inspectTokens: true`.
 */
export function toInspector(
  inspect: SessionInspector | undefined,
  showTokens: boolean,
): ((event: InspectionEvent) => void) | undefined {
  if (inspect === undefined) return undefined;
  const deliver = typeof inspect === 'function' ? inspect : (event: InspectionEvent) => inspect.next?.(event);
  if (showTokens) return deliver;
  const actors = new WeakMap<ActorRefLike, ActorRefLike>();
  // The inspector may read an actor's snapshot itself (Stately's does on '@xstate.actor'): it gets a
  // stand-in whose snapshots are redacted, the same one each time so that it can compare actors.
  const redactActor = (actorRef: ActorRefLike): ActorRefLike => {
    let standIn = actors.get(actorRef);
    if (!standIn) {
      standIn = new Proxy(actorRef, {
        get(target, key) {
          if (key === 'getSnapshot') return () => redactSnapshot(target.getSnapshot());
          if (key === 'getPersistedSnapshot') {
            return () => redact((target as { getPersistedSnapshot?: () => unknown }).getPersistedSnapshot?.());
          }
          const value: unknown = Reflect.get(target, key);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      actors.set(actorRef, standIn);
    }
    return standIn;
  };
  return (event) => {
    const copy: Record<string, unknown> = { ...event, actorRef: redactActor(event.actorRef) };
    if ('event' in event) copy.event = redact(event.event);
    if ('snapshot' in event) copy.snapshot = redactSnapshot(event.snapshot);
    if ('action' in event) copy.action = redact(event.action);
    if ('sourceRef' in event && event.sourceRef) copy.sourceRef = redactActor(event.sourceRef);
    deliver(copy as unknown as InspectionEvent);
  };
}

function redactSnapshot<T>(snapshot: T): T {
  if (typeof snapshot !== 'object' || snapshot === null) return snapshot;
  const copy: Record<string, unknown> = { ...(snapshot as Record<string, unknown>) };
  for (const key of ['context', 'input', 'output', 'error'] as const) {
    if (key in copy) copy[key] = redact(copy[key]);
  }
  return copy as T;
}

/** A copy of plain objects and arrays with token fields replaced; anything else is kept as it is. */
function redact(value: unknown, depth = 0): unknown {
  if (typeof value !== 'object' || value === null || depth > 8) return value;
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    copy[key] = TOKEN_KEYS.has(key) && typeof field === 'string' ? REDACTED : redact(field, depth + 1);
  }
  return copy;
}
