import { formatFigure as f, round } from './figure.js';
import type { BenchResults, HappyPathRow, RefreshStormRow } from './results.js';
import type { Table } from './table.js';

/** Growth from N/10 to N that reads as linear: ten times the requests, at most ten times the time. */
export const LINEAR_GROWTH_LIMIT = 10;

/** The storm sizes at which authmachine's settle time is compared with axios-auth-refresh's. */
export const COMPARED_STORM_SIZES = [1_000, 10_000];

/** The axios-auth-refresh set-up that retries every 401, as authmachine does. */
const NO_DEDUP_ID = 'axios-auth-refresh-no-dedup';

export interface Goal {
  goal: string;
  met: boolean;
  figures: string;
}

/** The goals, read off one run's results for authmachine: reported, never asserted. */
export function goalsOf(results: BenchResults): Goal[] {
  const happy = new Map(results.happyPath.rows.map((row) => [row.id, row]));
  const bare = happy.get('bare-axios');
  const ours = happy.get('authmachine');
  const theirs = happy.get('axios-auth-refresh');
  const overhead = (ns: number | undefined): number => (ns ?? Number.NaN) - (bare?.nsPerRequest ?? Number.NaN);
  const signed = (ns: number): string => `${ns >= 0 ? '+' : ''}${f(ns)}`;

  const stormOf = (id: string): RefreshStormRow[] => results.refreshStorm.rows.filter((row) => row.id === id);
  const storm = stormOf('authmachine');
  const fetchStorm = stormOf('authmachine-fetch');
  const noDedup = new Map(stormOf(NO_DEDUP_ID).map((row) => [row.n, row]));
  const compared = storm.filter((row) => COMPARED_STORM_SIZES.includes(row.n));
  const memory = results.memory.rows.find((row) => row.id === 'authmachine');

  return [
    {
      goal: "overhead per request no worse than axios-auth-refresh's",
      met: overhead(ours?.nsPerRequest) <= overhead(theirs?.nsPerRequest),
      figures: `authmachine ${signed(overhead(ours?.nsPerRequest))} ns (${f(ours?.ratioToBare ?? Number.NaN)}× bare), axios-auth-refresh ${signed(overhead(theirs?.nsPerRequest))} ns (${f(theirs?.ratioToBare ?? Number.NaN)}× bare); ${differenceFigures(ours, theirs)}`,
    },
    {
      goal: 'exactly one refresh per expiry for every N, every request succeeding',
      met: everyStormSucceeded(storm),
      figures: storm.map(stormFigures).join('; '),
    },
    {
      goal: `refresh storm settled no slower than axios-auth-refresh (deduplicateRefresh: false) at N = ${COMPARED_STORM_SIZES.map(f).join(' and ')} (≤ 1×)`,
      met:
        compared.length === COMPARED_STORM_SIZES.length &&
        compared.every((row) => row.settleMs <= (noDedup.get(row.n)?.settleMs ?? Number.NaN)),
      figures: compared
        .map((row) => {
          const theirsMs = noDedup.get(row.n)?.settleMs ?? Number.NaN;
          return `N = ${f(row.n)}: ${f(row.settleMs)} ms vs ${f(theirsMs)} ms, ${f(round(row.settleMs / theirsMs, 2))}×`;
        })
        .join('; '),
    },
    growthGoal('', storm),
    {
      goal: 'fetch: exactly one refresh per expiry for every N, every call succeeding',
      met: everyStormSucceeded(fetchStorm),
      figures: fetchStorm.map(stormFigures).join('; '),
    },
    growthGoal('fetch: ', fetchStorm),
    {
      goal: 'no heap growth beyond noise over refresh cycles',
      met: memory !== undefined && memory.laterGrowthKB < results.memory.laterGrowthNoiseKB,
      figures: memory
        ? `${f(results.memory.fewCycles)} → ${f(results.memory.manyCycles)} cycles: ${f(memory.growthKB)} KB (${f(memory.bytesPerCycle)} B/cycle); ${f(results.memory.manyCycles)} → ${f(results.memory.manyCycles * 2)}: ${f(memory.laterGrowthKB)} KB`
        : 'not measured',
    },
    {
      goal: 'every bundle within its size-limit budget',
      met: results.bundle.rows.length > 0 && results.bundle.rows.every((row) => row.passed),
      figures: results.bundle.rows.map((row) => `${f(row.sizeBytes)} / ${f(row.budgetBytes)} B`).join(', '),
    },
  ];
}

/**
 * How far apart two means are, against the margin of error of their difference (the two margins
 * combined in quadrature): a difference within it is not one this run can tell.
 */
function differenceFigures(a: HappyPathRow | undefined, b: HappyPathRow | undefined): string {
  const margin = (row: HappyPathRow | undefined): number =>
    ((row?.rmePercent ?? Number.NaN) / 100) * (row?.nsPerRequest ?? Number.NaN);
  const difference = Math.round(Math.abs((a?.nsPerRequest ?? Number.NaN) - (b?.nsPerRequest ?? Number.NaN)));
  const combined = Math.round(Math.hypot(margin(a), margin(b)));
  const text = `difference ${f(difference)} ns, ${difference <= combined ? 'within' : 'beyond'} the margin of error (±${f(combined)} ns)`;
  // The rounds ran at different machine speeds: their differences show what one mean hides.
  const perRound = (a?.roundMeansNs ?? []).map((ns, index) => ns - (b?.roundMeansNs?.[index] ?? Number.NaN));
  if (perRound.length < 2 || perRound.some(Number.isNaN)) return text;
  const ahead = perRound.filter((ns) => ns <= 0).length;
  const signed = perRound.map((ns) => `${ns > 0 ? '+' : ''}${f(ns)}`).join(', ');
  return `${text}; per round, authmachine − axios-auth-refresh: ${signed} ns (no slower in ${ahead} of ${perRound.length})`;
}

function everyStormSucceeded(rows: readonly RefreshStormRow[]): boolean {
  return rows.length > 0 && rows.every((row) => row.refreshCalls === 1 && row.succeeded === row.n);
}

/** Whether the largest storm took at most ten times as long as the one ten times smaller. */
function growthGoal(prefix: string, rows: readonly RefreshStormRow[]): Goal {
  const largest = rows.at(-1);
  const beforeLargest = rows.at(-2);
  return {
    goal: `${prefix}${f(largest?.n ?? Number.NaN)} waiting requests released in time linear in N (growth ≤ ${f(LINEAR_GROWTH_LIMIT)}×)`,
    met: largest?.growth !== null && largest?.growth !== undefined && largest.growth <= LINEAR_GROWTH_LIMIT,
    figures: `${f(beforeLargest?.n ?? Number.NaN)} → ${f(largest?.n ?? Number.NaN)}: ${f(beforeLargest?.settleMs ?? Number.NaN)} ms → ${f(largest?.settleMs ?? Number.NaN)} ms, ${f(largest?.growth ?? Number.NaN)}×`,
  };
}

function stormFigures(row: RefreshStormRow): string {
  return `N = ${f(row.n)}: ${f(row.refreshCalls)} refresh, ${f(row.succeeded)} succeeded`;
}

export function goalsTable(goals: readonly Goal[], title = 'Goals (authmachine; reported, not asserted)'): Table {
  return {
    title,
    columns: [
      { header: 'met', align: 'left' },
      { header: 'goal', align: 'left' },
      { header: 'figures', align: 'left' },
    ],
    rows: goals.map((goal) => [goal.met ? 'yes' : 'NO', goal.goal, goal.figures]),
    notes: [],
  };
}
