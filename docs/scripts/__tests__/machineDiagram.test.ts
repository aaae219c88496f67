import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { authMachine } from '@authmachine/core';
import { describe, expect, it } from 'vitest';
import { type DiagramState, statePathsOf, toMachineGraph, transitionKeyOf, transitionsOf } from '../machineDiagram.js';

const committed = readFileSync(join(import.meta.dirname, '..', '..', 'generated', 'authMachine.json'), 'utf8');
const drawn = JSON.parse(committed) as ReturnType<typeof toMachineGraph>;

function pathsOf(states: DiagramState[]): string[] {
  return states.flatMap((state) => [state.path, ...pathsOf(state.children)]);
}

describe('the machine diagram on the docs site', () => {
  it('is what authMachine draws today (run `pnpm --dir docs diagram` after changing the machine)', () => {
    expect(committed).toBe(`${JSON.stringify(toMachineGraph(authMachine), null, 2)}\n`);
  });

  it('holds every state of the machine, nested ones inside their parent', () => {
    const paths = statePathsOf(authMachine);
    expect(paths).toEqual(
      expect.arrayContaining(['restoring', 'authenticated.refreshScheduled', 'refreshing.calling']),
    );
    expect(pathsOf(drawn.states)).toEqual(paths);
    const refreshing = drawn.states.find((state) => state.path === 'refreshing');
    expect(refreshing?.children.map((child) => child.key)).toEqual(['calling', 'backingOff']);
    expect(refreshing?.initial).toBe('refreshing.calling');
    expect(drawn.initial).toBe('restoring');
  });

  it('holds every transition with its event and guard, the retry edges guarded by isOnline', () => {
    const transitions = transitionsOf(authMachine);
    expect(transitions.length).toBeGreaterThan(20);
    expect(drawn.transitions.map(transitionKeyOf)).toEqual(transitions.map(transitionKeyOf));
    expect(drawn.transitions).toContainEqual({
      source: 'refreshing.calling',
      target: 'refreshing.backingOff',
      event: 'error: refreshTokens',
      guard: 'canRetryRefresh && isOnline',
    });
    for (const event of ['LOGIN', 'LOGOUT', 'TOKEN_REJECTED', 'REFRESH']) {
      expect(drawn.transitions.map((transition) => transition.event)).toContain(event);
    }
  });
});
