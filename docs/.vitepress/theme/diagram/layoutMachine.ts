import type { DiagramState, DiagramTransition, MachineGraph } from '../../../scripts/machineDiagram';
import { labelOf } from '../../../scripts/machineDiagram';

/**
 * The machine page's own layout, computed for the width the diagram gets (no scaling, so text keeps
 * its size on a phone). States are boxes stacked top-down, children inside their parent; each
 * transition is a line of text inside its source state, and its arrow leaves that line to the right
 * into a gutter where every target state has its own vertical lane, then enters the target from the
 * right. Text sits only left of the boxes' right edges and arrows run only right of the text, so no
 * arrow can cross a label, at any width.
 */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface StateBox extends Rect {
  /** `refreshing.calling`; `*` for the box of transitions taken from any state. */
  path: string;
  name: string;
  depth: number;
  /** Where the state's name is written (its label, for the tests that check nothing covers it). */
  nameBox: Rect;
  /** Drawn with a dot and an arrow at its left: the state entered first (at its level). */
  initial: boolean;
  /** The color of the lane that leads into this state, when something does. */
  color: string | null;
}

export interface TextLine {
  x: number;
  /** Baseline. */
  y: number;
  text: string;
}

export interface TransitionEdge {
  /** Index in the graph's `transitions`. */
  index: number;
  transition: DiagramTransition;
  lines: TextLine[];
  labelBox: Rect;
  /** The arrow as points: from the end of its label, through the lane, into the target box. */
  points: Array<[number, number]>;
  color: string;
}

export interface MachineLayout {
  width: number;
  height: number;
  fontSize: number;
  nameFontSize: number;
  boxes: StateBox[];
  edges: TransitionEdge[];
}

/** Label fonts are monospace: a width per character makes the layout exact without measuring text. */
export const CHAR_WIDTH_EM = 0.62;
const NAME_CHAR_WIDTH_EM = 0.62;
const LEFT = 14;
const INDENT = 8;
const PAD = 7;
const LANE_GAP = 8;
const GAP = 8;
// Colorblind-safe and readable on white (Okabe-Ito, darkened where needed).
const LANE_COLORS = [
  '#0072b2',
  '#d55e00',
  '#009e73',
  '#cc79a7',
  '#8a6d00',
  '#56b4e9',
  '#000000',
  '#7a3e9d',
  '#b22222',
  '#2e8b57',
  '#4169e1',
  '#a0522d',
];

/** The layout for a diagram at most `availableWidth` wide (narrower when its labels need less). */
export function layoutMachine(graph: MachineGraph, availableWidth: number): MachineLayout {
  const width = Math.max(300, Math.floor(availableWidth));
  // A phone gets the smallest text still read without zooming; a wide column a little more.
  const fontSize = width < 520 ? 12 : 13;
  const nameFontSize = fontSize + 2;
  const lineHeight = Math.round(fontSize * 1.4);
  const headerHeight = Math.round(nameFontSize * 1.7);
  const charWidth = fontSize * CHAR_WIDTH_EM;

  const fromAnyState: DiagramState = { path: '*', key: 'from any state', initial: null, children: [] };
  const states = graph.transitions.some((transition) => transition.source === '*')
    ? [fromAnyState, ...graph.states]
    : graph.states;
  // One lane per target, in the order the targets appear from the top.
  const targets = orderedPaths(states).filter((path) => graph.transitions.some((t) => t.target === path));
  const laneOf = new Map(targets.map((path, index) => [path, index]));
  const gutter = targets.length * LANE_GAP + 6;
  // On a wide column the boxes stop a little after the longest label, so arrows stay short.
  const longestLabel = Math.max(...graph.transitions.map((transition) => labelOf(transition).length));
  const widest = LEFT + 2 * depthOf(states) * INDENT + 2 * PAD + 24 + longestLabel * charWidth;
  const boxesRight = Math.min(width - gutter, Math.ceil(widest));
  const laneX = (path: string): number => boxesRight + 6 + (laneOf.get(path) ?? 0) * LANE_GAP;
  const colorOf = (path: string): string => LANE_COLORS[(laneOf.get(path) ?? 0) % LANE_COLORS.length] ?? '#000';

  const boxes: StateBox[] = [];
  const edges: TransitionEdge[] = [];
  const initials = new Set([graph.initial, ...allStates(graph.states).map((state) => state.initial)]);

  const place = (state: DiagramState, depth: number, top: number): number => {
    const x = LEFT + depth * INDENT;
    const right = boxesRight - depth * INDENT;
    const nameWidth = state.key.length * nameFontSize * NAME_CHAR_WIDTH_EM;
    const box: StateBox = {
      path: state.path,
      name: state.key,
      depth,
      x,
      y: top,
      width: right - x,
      height: 0,
      nameBox: { x: x + PAD, y: top + 4, width: nameWidth, height: headerHeight - 6 },
      initial: initials.has(state.path),
      color: laneOf.has(state.path) ? colorOf(state.path) : null,
    };
    boxes.push(box);
    let y = top + headerHeight;
    // Room for the text: the box's inside, less a stub of arrow before the box's edge.
    const maxChars = Math.max(12, Math.floor((right - x - 2 * PAD - 10) / charWidth));
    graph.transitions.forEach((transition, index) => {
      if (transition.source !== state.path) return;
      const wrapped = wrap(labelOf(transition), maxChars);
      const lines = wrapped.map((text, line) => ({ x: x + PAD, y: y + (line + 1) * lineHeight - 4, text }));
      const longest = Math.max(...wrapped.map((text) => text.length));
      const labelBox = { x: x + PAD, y, width: longest * charWidth, height: wrapped.length * lineHeight };
      const exitY = y + lineHeight / 2;
      // From the right of the whole label (a wrapped guard may be longer than its first line).
      const labelEnd = labelBox.x + labelBox.width + 4;
      edges.push({
        index,
        transition,
        lines,
        labelBox,
        points: [
          [labelEnd, exitY],
          [laneX(transition.target), exitY],
        ],
        color: colorOf(transition.target),
      });
      y += wrapped.length * lineHeight;
    });
    if (state.children.length > 0) y += GAP / 2;
    for (const child of state.children) y = place(child, depth + 1, y) + GAP;
    box.height = y + PAD - top;
    return top + box.height;
  };

  let y = 4;
  for (const state of states) y = place(state, 0, y) + GAP;

  // The targets' positions are known now: each arrow goes down or up its lane and into the target.
  const boxOf = new Map(boxes.map((box) => [box.path, box]));
  for (const edge of edges) {
    const target = boxOf.get(edge.transition.target);
    if (!target) continue;
    const entryY = target.y + headerHeight / 2;
    const lane = laneX(edge.transition.target);
    edge.points.push([lane, entryY], [target.x + target.width, entryY]);
  }
  return { width: boxesRight + gutter, height: Math.ceil(y), fontSize, nameFontSize, boxes, edges };
}

/** Breaks a label at spaces into lines of at most `maxChars` (a longer word keeps its line). */
export function wrap(text: string, maxChars: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line ? `${line} ${word}` : word;
    if (next.length <= maxChars || !line) line = next;
    else {
      lines.push(line);
      line = `  ${word}`;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** How many levels of nesting the deepest state has (0 when no state has children). */
function depthOf(states: DiagramState[]): number {
  return Math.max(0, ...states.map((state) => (state.children.length > 0 ? 1 + depthOf(state.children) : 0)));
}

function allStates(states: DiagramState[]): DiagramState[] {
  return states.flatMap((state) => [state, ...allStates(state.children)]);
}

function orderedPaths(states: DiagramState[]): string[] {
  return allStates(states).map((state) => state.path);
}
