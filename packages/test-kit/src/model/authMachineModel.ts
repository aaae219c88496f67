import { type AuthMachineContext, authMachine } from '@authmachine/core';
import {
  type AnyMachineSnapshot,
  type AnyStateMachine,
  type AnyStateNode,
  type AnyTransitionDefinition,
  assign,
  createMachine,
  type StateValue,
} from 'xstate';

/*
 * authMachine as a test model, and its graph as the coverage yardstick: shared by the core's model
 * test (test-kit/src/__tests__/authMachine.model.test.ts) and every adapter's (adapter.model.test.ts, via describeAdapterModel).
 * `createTestModel` refuses machines that invoke actors or use delays (it could not tell when they
 * finish), so the model is authMachine's own config with each `invoke.onDone/onError` and `after`
 * moved under `on`, keyed by the very event XState would send, with the machine's own guards and
 * actions. The test supplies those events; the real session meets them for real.
 */

export type ModelSnapshot = AnyMachineSnapshot;

/** Every path starts on this fake clock; the model has all tokens arrive at this instant. */
export const T0 = Date.UTC(2030, 0, 1);
export const HOUR = 3_600_000;
/** setTimeout's longest delay: a proactive timer further away fires early and only re-arms. */
export const MAX_TIMER_DELAY = 2 ** 31 - 1;
type Config = Record<string, unknown>;

export const contextOf = (state: ModelSnapshot): AuthMachineContext => state.context as AuthMachineContext;

function stateNode(path: string): AnyStateNode {
  return authMachine.getStateNodeById(`${authMachine.root.id}.${path}`);
}

/** The event XState sends when the actor a state invokes is done or fails, read from the machine. */
export function invokedActorEvent(path: string, outcome: 'done' | 'error'): string {
  const [invocation] = stateNode(path).invoke;
  if (!invocation) throw new Error(`${path} invokes nothing`);
  return `xstate.${outcome}.actor.${invocation.id}`;
}

/** The event XState sends when a state's named delay elapses, read from the machine. */
export function delayedEvent(path: string, delay: string): string {
  const transition = stateNode(path).after.find((candidate) => candidate.delay === delay);
  if (!transition) throw new Error(`${path} has no delay ${delay}`);
  return transition.eventType;
}

function withActorsAndDelaysAsEvents(config: Config, node: AnyStateNode): Config {
  const { invoke, after, on, states, ...rest } = config;
  const transitions: Config = { ...(on as Config | undefined) };
  const invocations = (invoke === undefined ? [] : [invoke].flat()) as Config[];
  node.invoke.forEach((invocation, index) => {
    const { onDone, onError } = invocations[index] ?? {};
    if (onDone !== undefined) transitions[`xstate.done.actor.${invocation.id}`] = onDone;
    if (onError !== undefined) transitions[`xstate.error.actor.${invocation.id}`] = onError;
  });
  for (const [delay, delayed] of Object.entries((after ?? {}) as Config)) {
    transitions[delayedEvent(node.path.join('.'), delay)] = delayed;
  }
  const lowered: Config = { ...rest, on: transitions };
  if (states !== undefined) {
    lowered.states = Object.fromEntries(
      Object.entries(states as Record<string, Config>).map(([key, child]) => {
        const childNode = node.states[key];
        if (!childNode) throw new Error(`no state node ${key}`);
        return [key, withActorsAndDelaysAsEvents(child, childNode)];
      }),
    );
  }
  return lowered;
}

/**
 * authMachine with invocations and delays as plain events, and `guards` replacing the machine's
 * (the clock). One model-only addition, which changes no transition: entering `refreshing` notes in
 * the context which model event started the refresh (`refreshStartedBy`, its `variant` name), so
 * that a traversal can tell a refresh started by a 401 from one started by the timer.
 */
function authModelMachine(guards: Record<string, (args: { context: AuthMachineContext }) => boolean>): AnyStateMachine {
  const config = withActorsAndDelaysAsEvents(authMachine.config as Config, authMachine.root);
  const states = config.states as Record<string, Config>;
  const refreshing = states.refreshing;
  if (!refreshing) throw new Error('authMachine has no refreshing state');
  const noteStart = assign(({ event }: { event: { type: string; variant?: unknown } }) => ({
    refreshStartedBy: typeof event.variant === 'string' ? event.variant : event.type,
  }));
  states.refreshing = { ...refreshing, entry: [refreshing.entry ?? [], noteStart].flat() };
  return createMachine(
    config as Parameters<typeof createMachine>[0],
    authMachine.implementations as Parameters<typeof createMachine>[1],
  ).provide({ guards } as Parameters<AnyStateMachine['provide']>[0]);
}

/** Which model event started the refresh under way (or the last one), by its variant name. */
export function refreshStartedBy(state: ModelSnapshot): string | null {
  const value = (state.context as { refreshStartedBy?: unknown }).refreshStartedBy;
  return typeof value === 'string' ? value : null;
}

export function topLevelState(value: StateValue): string {
  return typeof value === 'string' ? value : (Object.keys(value)[0] ?? '');
}

export function stateValueOf(snapshot: unknown): StateValue {
  if (typeof snapshot === 'object' && snapshot !== null && 'value' in snapshot) return snapshot.value as StateValue;
  throw new Error('expected a machine snapshot');
}

/** The ids of every state node a state value is in (`auth.refreshing`, `auth.refreshing.calling`). */
export function stateIdsOf(value: StateValue, parentId: string = authMachine.root.id): string[] {
  if (typeof value === 'string') return [`${parentId}.${value}`];
  return Object.entries(value).flatMap(([key, child]) => [
    `${parentId}.${key}`,
    ...(child === undefined ? [] : stateIdsOf(child, `${parentId}.${key}`)),
  ]);
}

/** A transition's identity across machine instances: its state, its event and its rank there. */
export function transitionKey(transition: AnyTransitionDefinition): string {
  const isEventless = transition.eventType === '';
  const siblings = isEventless
    ? (transition.source.always ?? [])
    : (transition.source.transitions.get(transition.eventType) ?? []);
  return `${transition.source.id} on ${isEventless ? '(always)' : transition.eventType} #${siblings.indexOf(transition)}`;
}

function describeTransition(transition: AnyTransitionDefinition): string {
  const targets = transition.target?.map((target) => target.id).join(', ') ?? '(no target)';
  return `${transitionKey(transition)} → ${targets}${transition.guard ? ` if ${describeGuard(transition.guard)}` : ''}`;
}

function describeGuard(guard: unknown): string {
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'object' && guard !== null && 'type' in guard) return String(guard.type);
  if (typeof guard === 'function' && 'guards' in guard && Array.isArray(guard.guards)) {
    return `${guard.name}(${guard.guards.map(describeGuard).join(', ')})`;
  }
  return 'guard';
}

/** Everything the machine declares: its state nodes, and each transition (always and after included). */
export function machineGraph(root: AnyStateNode = authMachine.root): {
  states: string[];
  transitions: Map<string, string>;
} {
  const states: string[] = [];
  const transitions = new Map<string, string>();
  const visit = (node: AnyStateNode): void => {
    if (node !== root) states.push(node.id);
    for (const definitions of node.transitions.values()) {
      for (const transition of definitions) transitions.set(transitionKey(transition), describeTransition(transition));
    }
    for (const transition of node.always ?? []) {
      transitions.set(transitionKey(transition), describeTransition(transition));
    }
    for (const child of Object.values(node.states)) visit(child);
  };
  visit(root);
  return { states, transitions };
}

// The events XState sends when the machine's actors finish and its delays elapse: the model's steps.
export const RESTORE_DONE = invokedActorEvent('restoring', 'done');
export const RESTORE_ERROR = invokedActorEvent('restoring', 'error');
export const LOGIN_DONE = invokedActorEvent('authenticating', 'done');
export const LOGIN_ERROR = invokedActorEvent('authenticating', 'error');
export const REFRESH_DONE = invokedActorEvent('refreshing.calling', 'done');
export const REFRESH_ERROR = invokedActorEvent('refreshing.calling', 'error');
export const REFRESH_TIMED_OUT = delayedEvent('refreshing.calling', 'refreshTimeout');
export const BACKOFF_ELAPSED = delayedEvent('refreshing.backingOff', 'refreshBackoff');
export const PROACTIVE_TIMER = delayedEvent('authenticated.refreshScheduled', 'proactiveRefresh');

/**
 * The one clock-reading guard gets the model's clock (createAuthSession supplies its own too): all
 * model tokens arrive at T0 and their timer is armed then, so it finds the refresh due when the due
 * time fits in one setTimeout, and otherwise fires early only to re-arm.
 */
const isRefreshDueInModel = ({ context }: { context: AuthMachineContext }): boolean =>
  context.refreshDueAt !== null && context.refreshDueAt - T0 <= MAX_TIMER_DELAY;

/** The proactive timer as the model sees it: what tells two otherwise equal states apart. */
export function modelTimer(context: AuthMachineContext): 'no timer' | 'timer due' | 'timer re-arms' {
  if (context.refreshDueAt === null) return 'no timer';
  return isRefreshDueInModel({ context }) ? 'timer due' : 'timer re-arms';
}

/** The model both model tests walk. */
export const modelMachine: AnyStateMachine = authModelMachine({ isRefreshDue: isRefreshDueInModel });
