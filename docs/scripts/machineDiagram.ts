import type { AnyStateMachine } from 'xstate';

/** One edge of the diagram, read from the machine's own state nodes. */
export interface DiagramTransition {
  source: string;
  target: string;
  event: string;
  guard: string | null;
}

interface StateNodeLike {
  id: string;
  key: string;
  path: string[];
  initial?: { target: ReadonlyArray<StateNodeLike> } | undefined;
  states: Record<string, StateNodeLike>;
  transitions: Map<string, ReadonlyArray<TransitionLike>>;
  always?: ReadonlyArray<TransitionLike> | undefined;
}

interface TransitionLike {
  eventType: string;
  target?: ReadonlyArray<StateNodeLike> | undefined;
  guard?: unknown;
  reenter?: boolean;
}

/** Every state of the machine as a dotted path (`authenticated.refreshScheduled`), parents first. */
export function statePathsOf(machine: AnyStateMachine): string[] {
  const paths: string[] = [];
  const visit = (node: StateNodeLike): void => {
    for (const child of Object.values(node.states)) {
      paths.push(child.path.join('.'));
      visit(child);
    }
  };
  visit(machine.root as unknown as StateNodeLike);
  return paths;
}

/** Every transition, with its event named as a reader knows it (`after refreshTimeout`, `done: refreshTokens`). */
export function transitionsOf(machine: AnyStateMachine): DiagramTransition[] {
  const result: DiagramTransition[] = [];
  const visit = (node: StateNodeLike): void => {
    const transitions = [...node.transitions.values()].flat().concat(node.always ?? []);
    for (const transition of transitions) result.push(...diagramTransitionsOf({ ...transition, source: node }));
    for (const child of Object.values(node.states)) visit(child);
  };
  visit(machine.root as unknown as StateNodeLike);
  return result;
}

/**
 * The diagram's edges for one transition definition of the machine: the same reading whether it
 * comes from walking the machine here or from a transition the running actor just took (inspection).
 */
export function diagramTransitionsOf(definition: unknown): DiagramTransition[] {
  const transition = definition as TransitionLike & { source: StateNodeLike };
  return (transition.target ?? []).map((target) => ({
    source: transition.source.path.join('.') || '*',
    target: target.path.join('.'),
    event: readableEvent(transition.eventType, transition.source),
    guard: guardName(transition.guard),
  }));
}

function readableEvent(eventType: string, node: StateNodeLike): string {
  if (eventType === '') return 'always';
  const after = /^xstate\.after\.([^.]+)\./.exec(eventType);
  if (after) return `after ${after[1]}`;
  if (eventType.startsWith('xstate.done.actor.')) return `done: ${invokedSource(node)}`;
  if (eventType.startsWith('xstate.error.actor.')) return `error: ${invokedSource(node)}`;
  return eventType;
}

function invokedSource(node: StateNodeLike): string {
  const invoke = (node as unknown as { invoke?: Array<{ src: unknown }> }).invoke;
  const src = invoke?.[0]?.src;
  return typeof src === 'string' ? src : 'actor';
}

function guardName(guard: unknown): string | null {
  if (guard === undefined || guard === null) return null;
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'object' && 'type' in guard) return String((guard as { type: unknown }).type);
  if (typeof guard === 'function') {
    const combined = guard as { guards?: unknown[]; name?: string };
    if (Array.isArray(combined.guards)) {
      const joiner = combined.name === 'or' ? ' || ' : ' && ';
      return combined.guards.map(guardName).join(joiner);
    }
  }
  return 'guard';
}

/** How a transition reads on the diagram: its event, and its guard in brackets. */
export function labelOf({ event, guard }: DiagramTransition): string {
  return guard ? `${event} [${guard}]` : event;
}

/** One state of the diagram; a parent holds its children, in the machine's order. */
export interface DiagramState {
  path: string;
  key: string;
  /** The child entered first, as a path; null for a state without children. */
  initial: string | null;
  children: DiagramState[];
}

/** What the machine page draws: every state (nested inside its parent) and every transition. */
export interface MachineGraph {
  initial: string | null;
  states: DiagramState[];
  /** Source `*` is the machine itself: a transition taken from any state. */
  transitions: DiagramTransition[];
}

/** The machine as the data its diagram is drawn from (written to docs/generated/authMachine.json). */
export function toMachineGraph(machine: AnyStateMachine): MachineGraph {
  const toState = (node: StateNodeLike): DiagramState => ({
    path: node.path.join('.'),
    key: node.key,
    initial: initialOf(node),
    children: Object.values(node.states).map(toState),
  });
  const root = machine.root as unknown as StateNodeLike;
  return {
    initial: initialOf(root),
    states: Object.values(root.states).map(toState),
    transitions: transitionsOf(machine),
  };
}

function initialOf(node: StateNodeLike): string | null {
  const initial = node.initial?.target[0];
  return initial && Object.keys(node.states).length > 0 ? initial.path.join('.') : null;
}

/** The same key for the same edge, wherever it was read from. */
export function transitionKeyOf({ source, target, event, guard }: DiagramTransition): string {
  return `${source}|${target}|${event}|${guard ?? ''}`;
}
