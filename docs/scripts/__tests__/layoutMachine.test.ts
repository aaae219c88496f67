import { authMachine } from '@authmachine/core';
import { describe, expect, it } from 'vitest';
import { layoutMachine, type Rect, TWO_COLUMNS_FROM } from '../../.vitepress/theme/diagram/layoutMachine.js';
import { labelOf, statePathsOf, toMachineGraph, transitionsOf } from '../machineDiagram.js';

// The widths the diagram gets: VitePress's content column without aside at 1280 px (two columns of
// states) and with one, a 390 px phone (24 px of padding each side), and a narrower phone.
const WIDTHS = [880, 688, 342, 320];
const graph = toMachineGraph(authMachine);

type Segment = [[number, number], [number, number]];

function segmentsOf(points: Array<[number, number]>): Segment[] {
  return points.slice(1).map((point, index) => [points[index] as [number, number], point]);
}

/** Whether an axis-parallel segment passes through the inside of a rectangle. */
function crosses([[x1, y1], [x2, y2]]: Segment, rect: Rect): boolean {
  const [left, right] = [Math.min(x1, x2), Math.max(x1, x2)];
  const [top, bottom] = [Math.min(y1, y2), Math.max(y1, y2)];
  return left < rect.x + rect.width && right > rect.x && top < rect.y + rect.height && bottom > rect.y;
}

function inside(inner: Rect, outer: Rect): boolean {
  return (
    inner.x >= outer.x &&
    inner.y >= outer.y &&
    inner.x + inner.width <= outer.x + outer.width &&
    inner.y + inner.height <= outer.y + outer.height
  );
}

describe.each(WIDTHS)('the machine page diagram at %i px', (width) => {
  const layout = layoutMachine(graph, width);

  it('fits the width, with text of 12 px or more', () => {
    expect(layout.width).toBeLessThanOrEqual(width);
    expect(layout.width).toBeGreaterThan(Math.min(width, 500) - 1);
    // Two columns on a wide column: the diagram is shorter than it is wide... nearly.
    if (width >= TWO_COLUMNS_FROM)
      expect(new Set(layout.boxes.map((box) => box.side))).toEqual(new Set(['left', 'right']));
    expect(layout.fontSize).toBeGreaterThanOrEqual(12);
    expect(layout.nameFontSize).toBeGreaterThanOrEqual(12);
    for (const box of layout.boxes) expect(box.x + box.width, box.path).toBeLessThanOrEqual(width);
    for (const edge of layout.edges) {
      for (const [x] of edge.points) expect(x).toBeLessThanOrEqual(width);
    }
  });

  it('draws every state once, each nested state inside its parent', () => {
    const paths = layout.boxes.map((box) => box.path).filter((path) => path !== '*');
    expect(paths).toEqual(statePathsOf(authMachine));
    for (const box of layout.boxes) {
      const parentPath = box.path.split('.').slice(0, -1).join('.');
      const parent = layout.boxes.find((candidate) => candidate.path === parentPath);
      if (parent) expect(inside(box, parent), `${box.path} in ${parent.path}`).toBe(true);
      expect(inside(box.nameBox, box), box.path).toBe(true);
    }
    const calling = layout.boxes.find((box) => box.path === 'refreshing.calling');
    const refreshing = layout.boxes.find((box) => box.path === 'refreshing');
    expect(calling && refreshing && inside(calling, refreshing)).toBe(true);
  });

  it('writes every transition once, with its event and guard, inside its source state', () => {
    expect(layout.edges.map((edge) => edge.transition)).toEqual(transitionsOf(authMachine));
    for (const edge of layout.edges) {
      const text = edge.lines.map((line) => line.text.trim()).join(' ');
      expect(text).toBe(labelOf(edge.transition));
      const source = layout.boxes.find((box) => box.path === edge.transition.source);
      expect(source && inside(edge.labelBox, source), labelOf(edge.transition)).toBe(true);
    }
  });

  it('draws no arrow across a label or a state name', () => {
    const labels: Array<[string, Rect]> = [
      ...layout.edges.map((edge): [string, Rect] => [labelOf(edge.transition), edge.labelBox]),
      ...layout.boxes.map((box): [string, Rect] => [box.path, box.nameBox]),
    ];
    const crossings: string[] = [];
    for (const edge of layout.edges) {
      for (const segment of segmentsOf(edge.points)) {
        for (const [name, rect] of labels) {
          if (crosses(segment, rect)) crossings.push(`${labelOf(edge.transition)} crosses ${name}`);
        }
      }
    }
    expect(crossings).toEqual([]);
  });

  it('ends every arrow on the border of its target state', () => {
    for (const edge of layout.edges) {
      const target = layout.boxes.find((box) => box.path === edge.transition.target);
      const [x, y] = edge.points.at(-1) ?? [0, 0];
      expect(target, edge.transition.target).toBeDefined();
      if (!target) continue;
      expect(x).toBe(target.side === 'right' ? target.x + target.width : target.x);
      expect(y).toBeGreaterThan(target.y);
      expect(y).toBeLessThan(target.y + target.height);
    }
  });
});
