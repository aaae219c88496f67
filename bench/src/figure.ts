/** Rounds a figure to the precision it is stored and shown with. */
export function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** How every table, the JSON-backed docs page and its test write a figure: 12,345.6 */
export function formatFigure(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 3 });
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? Number.NaN;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? upper) + upper) / 2;
}
