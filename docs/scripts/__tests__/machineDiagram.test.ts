import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { authMachine } from '@authmachine/core';
import { describe, expect, it } from 'vitest';
import { LABEL_LINE_BREAK, labelOf, mermaidIdOf, statePathsOf, toMermaid, transitionsOf } from '../machineDiagram.js';

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
    const lines = committed.split('\n');
    for (const transition of transitions) {
      const { source, target } = transition;
      const label = labelOf(transition);
      if (source === '*') {
        expect(lines).toContain(`    ${label} → ${target}`);
        continue;
      }
      // One arrow per pair of states; each transition between them is one line of its label.
      const arrow = `  ${mermaidIdOf(source)} --> ${mermaidIdOf(target)} : `;
      const labels = lines
        .find((line) => line.startsWith(arrow))
        ?.slice(arrow.length)
        .split(LABEL_LINE_BREAK);
      expect(labels, `${source} → ${target}`).toContain(label);
    }
    // The events a user sends all appear.
    for (const event of ['LOGIN', 'LOGOUT', 'TOKEN_REJECTED', 'REFRESH']) expect(committed).toContain(event);
  });
});
