import { formatFigure } from './figure.js';
import type { RefreshStormResult, RefreshStormRow } from './results.js';

const WIDTH = 760;
const HEIGHT = 440;
const PLOT = { left: 80, right: 730, top: 56, bottom: 330 };
const COLORS = ['#3451b2', '#d97706', '#059669', '#be123c', '#7c3aed', '#475569'];

export interface ChartPoint {
  n: number;
  ms: number;
}

export interface ChartSeries {
  id: string;
  label: string;
  points: ChartPoint[];
}

/** One series per library set-up, in the order the results list them. */
export function seriesOf(rows: readonly RefreshStormRow[]): ChartSeries[] {
  const series = new Map<string, ChartSeries>();
  for (const row of rows) {
    const entry = series.get(row.id) ?? { id: row.id, label: row.label, points: [] };
    entry.points.push({ n: row.n, ms: row.settleMs });
    series.set(row.id, entry);
  }
  return [...series.values()];
}

/**
 * Benchmark 2 as a log–log chart: time until all N requests settled, per N, one line per library.
 * On log–log axes linear growth is a slope of one decade per decade, drawn as a dashed guide.
 */
export function renderRefreshStormSvg(result: RefreshStormResult): string {
  const series = seriesOf(result.rows);
  const sizes = [...new Set(result.rows.map((row) => row.n))].sort((a, b) => a - b);
  const guide = linearGuideOf(series[0]);
  const times = [...result.rows.map((row) => row.settleMs), ...(guide ? [guide.to.ms] : [])].filter((ms) => ms > 0);
  const xMin = Math.log10(sizes[0] ?? 1);
  const xMax = Math.log10(sizes.at(-1) ?? 10);
  const yMin = Math.floor(Math.log10(Math.min(...times)));
  const yMax = Math.max(Math.ceil(Math.log10(Math.max(...times))), yMin + 1);
  const x = (n: number): number => PLOT.left + ((Math.log10(n) - xMin) / (xMax - xMin || 1)) * (PLOT.right - PLOT.left);
  const y = (ms: number): number =>
    PLOT.bottom - ((Math.log10(Math.max(ms, 10 ** yMin)) - yMin) / (yMax - yMin)) * (PLOT.bottom - PLOT.top);
  const px = (value: number): string => value.toFixed(1);

  const grid: string[] = [];
  for (let decade = yMin; decade <= yMax; decade++) {
    const ms = 10 ** decade;
    grid.push(
      `<line class="grid" x1="${PLOT.left}" x2="${PLOT.right}" y1="${px(y(ms))}" y2="${px(y(ms))}"/>`,
      `<text class="tick" x="${PLOT.left - 8}" y="${px(y(ms) + 4)}" text-anchor="end">${escapeXml(durationLabel(ms))}</text>`,
    );
  }
  for (const n of sizes) {
    grid.push(
      `<line class="grid" x1="${px(x(n))}" x2="${px(x(n))}" y1="${PLOT.top}" y2="${PLOT.bottom}"/>`,
      `<text class="tick" x="${px(x(n))}" y="${PLOT.bottom + 18}" text-anchor="middle">${escapeXml(formatFigure(n))}</text>`,
    );
  }

  const lines = series.map((entry, index) => {
    const color = COLORS[index % COLORS.length];
    const points = entry.points.map((point) => `${px(x(point.n))},${px(y(point.ms))}`).join(' ');
    const dots = entry.points
      .map(
        (point) =>
          `<circle cx="${px(x(point.n))}" cy="${px(y(point.ms))}" r="4"><title>${escapeXml(`${entry.label}: N = ${formatFigure(point.n)}, ${formatFigure(point.ms)} ms`)}</title></circle>`,
      )
      .join('');
    return `<g class="series" data-library="${escapeXml(entry.id)}" stroke="${color}" fill="${color}"><polyline fill="none" stroke-width="2.5" points="${points}"/>${dots}</g>`;
  });

  const legend = series.map((entry, index) => {
    const color = COLORS[index % COLORS.length];
    const top = PLOT.bottom + 44 + index * 20;
    return `<g class="legend-item"><line x1="${PLOT.left}" x2="${PLOT.left + 28}" y1="${top}" y2="${top}" stroke="${color}" stroke-width="2.5"/><text x="${PLOT.left + 36}" y="${top + 4}">${escapeXml(entry.label)}</text></g>`;
  });

  const title = `Refresh storm: time until all N requests settled (refresh takes ${formatFigure(result.refreshDelayMs)} ms; log–log)`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT + series.length * 20 - 60}" width="${WIDTH}" height="${HEIGHT + series.length * 20 - 60}" role="img" aria-labelledby="chart-title">`,
    `<title id="chart-title">${escapeXml(title)}</title>`,
    '<style>text{font:13px system-ui,-apple-system,Segoe UI,sans-serif;fill:#1f2937}.tick{fill:#4b5563;font-size:12px}.grid{stroke:#e5e7eb;stroke-width:1}.axis-title{font-weight:600}.guide{stroke:#9ca3af;stroke-dasharray:6 4;stroke-width:1.5;fill:none}</style>',
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text class="axis-title" x="${PLOT.left}" y="28">${escapeXml(title)}</text>`,
    ...grid,
    guide
      ? `<g class="guide-group"><polyline class="guide" points="${px(x(guide.from.n))},${px(y(guide.from.ms))} ${px(x(guide.to.n))},${px(y(guide.to.ms))}"/><text class="tick" x="${px(x(guide.to.n) - 8)}" y="${px(y(guide.to.ms) - 10)}" text-anchor="end">linear from N = ${escapeXml(formatFigure(guide.from.n))}</text></g>`
      : '',
    ...lines,
    `<text class="axis-title" x="${(PLOT.left + PLOT.right) / 2}" y="${PLOT.bottom + 36}" text-anchor="middle">N concurrent requests</text>`,
    `<text class="axis-title" transform="translate(18 ${(PLOT.top + PLOT.bottom) / 2}) rotate(-90)" text-anchor="middle">time until all settled</text>`,
    ...legend,
    '</svg>',
    '',
  ].join('\n');
}

/** Linear growth from the first series' second-to-last point to the last N: ten times per decade. */
function linearGuideOf(first: ChartSeries | undefined): { from: ChartPoint; to: ChartPoint } | null {
  const from = first?.points.at(-2);
  const to = first?.points.at(-1);
  return from && to ? { from, to: { n: to.n, ms: from.ms * (to.n / from.n) } } : null;
}

function durationLabel(ms: number): string {
  return ms >= 1000 ? `${formatFigure(ms / 1000)} s` : `${formatFigure(ms)} ms`;
}

export function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}
