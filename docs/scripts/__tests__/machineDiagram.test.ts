import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { authMachine } from '@authmachine/core';
import { describe, expect, it } from 'vitest';
import { mermaidIdOf, statePathsOf, toMermaid, transitionsOf } from '../machineDiagram.js';

const committed = readFileSync(join(import.meta.dirname, '..', '..', 'generated', 'authMachine.mmd'), 'utf8');

describe('the machine diagram on the docs site', () => {
  it('is what authMachine draws today (run `pnpm --dir docs diagram` after changing the machine)', () => {
    expect(committed).toBe(toMermaid(authMachine));
  });

  it('declares every state of the machine, nested ones inside their parent', () => {
    const paths = statePathsOf(authMachine);
    expect(paths).toEqual(
      expect.arrayContaining(['restoring', 'authenticated.refreshScheduled', 'refreshing.calling']),
    );
    for (const path of paths) expect(committed).toContain(` as ${mermaidIdOf(path)}`);
  });

  it('draws every transition with its event and guard', () => {
    const transitions = transitionsOf(authMachine);
    expect(transitions.length).toBeGreaterThan(20);
    for (const { source, target, event, guard } of transitions) {
      const label = guard ? `${event} [${guard}]` : event;
      const line =
        source === '*' ? `    ${label} → ${target}` : `  ${mermaidIdOf(source)} --> ${mermaidIdOf(target)} : ${label}`;
      expect(committed).toContain(line);
    }
    // The events a user sends all appear.
    for (const event of ['LOGIN', 'LOGOUT', 'TOKEN_REJECTED', 'REFRESH']) expect(committed).toContain(event);
  });
});
