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
  /** Drawn with a dot and an arrow before its name: the state entered first (at its level). */
  initial: boolean;
  /** The side facing the lanes, where its arrows leave and enter. */
  side: 'left' | 'right';
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
const MARGIN = 4;
/** Room for the mark (a dot and an arrow) of the state entered first. */
const INITIAL_MARK = 14;
/** The arrow's start between a label and the lanes. */
const STUB = 10;
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

/** From this width on, the top-level states go in two columns with the lanes between them. */
export const TWO_COLUMNS_FROM = 760;

interface Column {
  left: number;
  right: number;
  /** The side of the column's boxes that faces the lanes: arrows leave and enter there. */
  side: 'left' | 'right';
}

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
  // The boxes stop a little after the longest label, so that arrows stay short on a wide column.
  const longestLabel = Math.max(...graph.transitions.map((transition) => labelOf(transition).length));
  const widest = Math.ceil(2 * depthOf(states) * INDENT + 2 * PAD + 30 + longestLabel * charWidth);
  const colorOf = (path: string): string => LANE_COLORS[(laneOf.get(path) ?? 0) % LANE_COLORS.length] ?? '#000';
  const initials = new Set([graph.initial, ...allStates(graph.states).map((state) => state.initial)]);

  /** Places states top-down in a column; the arrows get their lane points afterwards. */
  const placeColumn = (column: Column, placed: DiagramState[]) => {
    const boxes: StateBox[] = [];
    const edges: TransitionEdge[] = [];
    const place = (state: DiagramState, depth: number, top: number): number => {
      const x = column.left + depth * INDENT;
      const right = column.right - depth * INDENT;
      const initial = initials.has(state.path);
      // Inside the box: the mark of the state entered first, then the name, aligned with the labels.
      const nameX = x + PAD + (column.side === 'left' ? STUB : 0) + (initial ? INITIAL_MARK : 0);
      const box: StateBox = {
        path: state.path,
        name: state.key,
        depth,
        x,
        y: top,
        width: right - x,
        height: 0,
        side: column.side,
        nameBox: {
          x: nameX,
          y: top + 4,
          width: state.key.length * nameFontSize * NAME_CHAR_WIDTH_EM,
          height: headerHeight - 6,
        },
        initial,
        color: laneOf.has(state.path) ? colorOf(state.path) : null,
      };
      boxes.push(box);
      let y = top + headerHeight;
      // Room for the text: the box's inside, less a stub of arrow between the text and the lanes.
      const textX = x + PAD + (column.side === 'left' ? STUB : 0);
      const maxChars = Math.max(12, Math.floor((right - x - 2 * PAD - STUB) / charWidth));
      graph.transitions.forEach((transition, index) => {
        if (transition.source !== state.path) return;
        const wrapped = wrap(labelOf(transition), maxChars);
        const lines = wrapped.map((text, line) => ({ x: textX, y: y + (line + 1) * lineHeight - 4, text }));
        const longest = Math.max(...wrapped.map((text) => text.length));
        const labelBox = { x: textX, y, width: longest * charWidth, height: wrapped.length * lineHeight };
        // From the side of the whole label that faces the lanes (a wrapped guard may be its longest line).
        const exitX = column.side === 'right' ? labelBox.x + labelBox.width + 4 : labelBox.x - 4;
        edges.push({
          index,
          transition,
          lines,
          labelBox,
          points: [[exitX, y + lineHeight / 2]],
          color: colorOf(transition.target),
        });
        y += wrapped.length * lineHeight;
      });
      if (state.children.length > 0) y += GAP / 2;
      for (const child of state.children) y = place(child, depth + 1, y) + GAP;
      box.height = y + PAD - top;
      return top + box.height;
    };
    let bottom = 4;
    for (const state of placed) bottom = place(state, 0, bottom) + GAP;
    return { boxes, edges, bottom };
  };

  let columns: Array<ReturnType<typeof placeColumn>>;
  let lanesLeft: number;
  let totalWidth: number;
  if (width >= TWO_COLUMNS_FROM && states.length > 2) {
    // Two columns facing each other across the lanes; the split (in the machine's order) that
    // gives the shortest diagram.
    const columnWidth = Math.min(widest, Math.floor((width - gutter - 6 - 2 * MARGIN) / 2));
    const leftColumn: Column = { left: MARGIN, right: MARGIN + columnWidth, side: 'right' };
    lanesLeft = leftColumn.right;
    const rightColumn: Column = {
      left: lanesLeft + gutter + 6,
      right: lanesLeft + gutter + 6 + columnWidth,
      side: 'left',
    };
    totalWidth = rightColumn.right + MARGIN;
    const splits = states
      .slice(1)
      .map((_, index) => [
        placeColumn(leftColumn, states.slice(0, index + 1)),
        placeColumn(rightColumn, states.slice(index + 1)),
      ]);
    const height = (split: Array<ReturnType<typeof placeColumn>>): number =>
      Math.max(...split.map((column) => column.bottom));
    columns = splits.reduce((best, split) => (height(split) < height(best) ? split : best));
  } else {
    const right = Math.min(width - gutter, MARGIN + widest);
    columns = [placeColumn({ left: MARGIN, right, side: 'right' }, states)];
    lanesLeft = right;
    totalWidth = right + gutter;
  }
  const boxes = columns.flatMap((column) => column.boxes);
  const edges = columns.flatMap((column) => column.edges).sort((a, b) => a.index - b.index);

  // Every box is placed now: each arrow goes to its lane, down or up it, and into its target on the
  // side that faces the lanes.
  const boxOf = new Map(boxes.map((box) => [box.path, box]));
  for (const edge of edges) {
    const target = boxOf.get(edge.transition.target);
    const [start] = edge.points;
    if (!target || !start) continue;
    const laneX = lanesLeft + 6 + (laneOf.get(edge.transition.target) ?? 0) * LANE_GAP;
    const entryY = target.y + headerHeight / 2;
    const entryX = target.side === 'right' ? target.x + target.width : target.x;
    edge.points.push([laneX, start[1]], [laneX, entryY], [entryX, entryY]);
  }
  const height = Math.ceil(Math.max(...columns.map((column) => column.bottom)));
  return { width: totalWidth, height, fontSize, nameFontSize, boxes, edges };
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
