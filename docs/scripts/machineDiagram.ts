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
    for (const transition of transitions) {
      for (const target of transition.target ?? []) {
        result.push({
          source: node.path.join('.') || '*',
          target: target.path.join('.'),
          event: readableEvent(transition.eventType, node),
          guard: guardName(transition.guard),
        });
      }
    }
    for (const child of Object.values(node.states)) visit(child);
  };
  visit(machine.root as unknown as StateNodeLike);
  return result;
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

/** Between the labels of transitions that share an arrow. */
export const LABEL_LINE_BREAK = '<br/>';

/** Mermaid ids cannot hold dots: `authenticated.refreshScheduled` → `authenticated__refreshScheduled`. */
export function mermaidIdOf(statePath: string): string {
  return statePath.replaceAll('.', '__');
}

/** How a transition reads on the diagram: its event, and its guard in brackets. */
export function labelOf({ event, guard }: DiagramTransition): string {
  return guard ? `${event} [${guard}]` : event;
}

/**
 * The machine as a Mermaid state diagram: nested states as composite states, every transition with
 * its event and guard, and the root's transitions (taken from any state) as a note. Transitions
 * between the same two states share one arrow, one label line each, so their labels cannot overlap.
 */
export function toMermaid(machine: AnyStateMachine): string {
  const root = machine.root as unknown as StateNodeLike;
  const transitions = transitionsOf(machine);
  // Left to right: the diagram is wider than tall, so it fits beside the simulator's controls.
  const lines = ['stateDiagram-v2', '  direction LR'];
  const declare = (node: StateNodeLike, indent: string): void => {
    for (const child of Object.values(node.states)) {
      const id = mermaidIdOf(child.path.join('.'));
      const children = Object.values(child.states);
      if (children.length === 0) {
        lines.push(`${indent}state "${child.key}" as ${id}`);
        continue;
      }
      lines.push(`${indent}state "${child.key}" as ${id} {`);
      const initial = child.initial?.target[0];
      if (initial) lines.push(`${indent}  [*] --> ${mermaidIdOf(initial.path.join('.'))}`);
      declare(child, `${indent}  `);
      lines.push(`${indent}}`);
    }
  };
  const initial = root.initial?.target[0];
  if (initial) lines.push(`  [*] --> ${mermaidIdOf(initial.path.join('.'))}`);
  declare(root, '  ');
  const fromAnyState: string[] = [];
  const arrows = new Map<string, string[]>();
  for (const transition of transitions) {
    const { source, target } = transition;
    if (source === '*') {
      fromAnyState.push(`${labelOf(transition)} → ${target}`);
      continue;
    }
    const arrow = `${mermaidIdOf(source)} --> ${mermaidIdOf(target)}`;
    arrows.set(arrow, [...(arrows.get(arrow) ?? []), labelOf(transition)]);
  }
  for (const [arrow, labels] of arrows) lines.push(`  ${arrow} : ${labels.join(LABEL_LINE_BREAK)}`);
  if (fromAnyState.length > 0 && initial) {
    lines.push(`  note right of ${mermaidIdOf(initial.path.join('.'))}`);
    lines.push('    From any state:');
    for (const line of fromAnyState) lines.push(`    ${line}`);
    lines.push('  end note');
  }
  return `${lines.join('\n')}\n`;
}
