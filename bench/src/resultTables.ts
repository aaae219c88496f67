import { formatFigure as f } from './figure.js';
import type { BenchResults, BundleResult, HappyPathResult, MemoryResult, RefreshStormResult } from './results.js';
import type { Column, Table } from './table.js';

const right = (header: string): Column => ({ header, align: 'right' });
const left = (header: string): Column => ({ header, align: 'left' });
const times = (ratio: number): string => `${f(ratio)}×`;

export function happyPathTable(result: HappyPathResult): Table {
  return happyTable(result, {
    title: `1. Happy path: one GET with a valid token, in-memory transport (median of ${f(result.rounds)} interleaved rounds)`,
    baseline: '× bare axios',
    notes: [
      'ns/request: mean latency of one awaited request; ± %: relative margin of error of that mean.',
      'axios-auth-refresh is 5.0.2, with the request interceptor its README shows (Authorization from a token variable).',
    ],
  });
}

export function fetchHappyPathTable(result: HappyPathResult): Table {
  return happyTable(result, {
    title: `1b. Happy path through fetch: one GET with a valid token, in-memory fetch stand-in (median of ${f(result.rounds)} interleaved rounds)`,
    baseline: '× bare fetch',
    notes: [
      "The stand-in has fetch's signature and answers every call with a new `Response` from memory (no network). Bare fetch calls it directly and sends no token; authmachine fetch is `createAuthFetch(session, { fetch: standIn, allowedOrigins })`.",
      'A call is awaited until its `Response`; neither reads the body.',
    ],
  });
}

function happyTable(result: HappyPathResult, text: { title: string; baseline: string; notes: string[] }): Table {
  return {
    title: text.title,
    columns: [
      right(text.baseline),
      left('set-up'),
      right('ns/request'),
      right('± %'),
      right('median ns'),
      right('samples'),
    ],
    rows: result.rows.map((row) => [
      times(row.ratioToBare),
      row.label,
      f(row.nsPerRequest),
      f(row.rmePercent),
      f(row.medianNs),
      f(row.samples),
    ]),
    notes: text.notes,
  };
}

export function refreshStormTable(result: RefreshStormResult): Table {
  return {
    title: `2. Refresh storm: N requests at once with a just-expired token; the refresh takes ${f(result.refreshDelayMs)} ms`,
    columns: [
      right('growth ×'),
      right('× authmachine'),
      left('set-up'),
      right('N'),
      right('refresh calls'),
      right('succeeded'),
      right('failed'),
      right('all settled (ms)'),
      right('runs'),
    ],
    rows: result.rows.map((row) => [
      row.growth === null ? '–' : times(row.growth),
      times(row.timeVsAuthmachine),
      row.label,
      f(row.n),
      f(row.refreshCalls),
      f(row.succeeded),
      f(row.n - row.succeeded),
      f(row.settleMs),
      f(row.runs),
    ]),
    notes: [
      "growth ×: time at N / time at N ÷ 10; linear is 10 (less while the fixed refresh delay dominates). × authmachine: time / authmachine's time at the same N.",
      'refresh calls: the most in any run; succeeded: the fewest in any run; time: the median run.',
      ...result.notes,
    ],
  };
}

export function memoryTable(result: MemoryResult): Table {
  const few = f(result.fewCycles);
  const many = f(result.manyCycles);
  const twice = f(result.manyCycles * 2);
  return {
    title: `3. Memory: heap after ${many} refresh cycles vs after ${few} (node --expose-gc, after ${f(result.warmupCycles)} warm-up cycles)`,
    columns: [
      right(`heap × (${many} / ${few})`),
      left('set-up'),
      right(`KB after ${few}`),
      right(`KB after ${many}`),
      right('growth KB'),
      right('B/cycle'),
      right(`KB after ${twice}`),
      right(`${many} → ${twice} KB`),
      left('verdict'),
    ],
    rows: result.rows.map((row) => [
      times(row.heapRatio),
      row.label,
      f(row.heapAfterFewKB),
      f(row.heapAfterManyKB),
      f(row.growthKB),
      f(row.bytesPerCycle),
      f(row.heapAfterTwiceManyKB),
      f(row.laterGrowthKB),
      row.laterGrowthKB < result.laterGrowthNoiseKB ? 'flat' : 'grows',
    ]),
    notes: [
      'A cycle: the token expires, a request gets its 401, one refresh, one retry. Heap: used bytes after full collections, compiled code left out.',
      `flat: the heap grew less than ${f(result.laterGrowthNoiseKB)} KB from ${many} to ${twice} cycles (a leak keeps growing; V8 warming up does not).`,
    ],
  };
}

export function bundleTable(result: BundleResult): Table {
  return {
    title: '4. Bundle size: size-limit, minified + gzipped, with the budgets `pnpm test` enforces',
    columns: [right('% of budget'), left('entry'), right('bytes'), right('budget bytes'), left('within budget')],
    rows: result.rows.map((row) => [
      `${f(row.percentOfBudget)} %`,
      row.name,
      f(row.sizeBytes),
      f(row.budgetBytes),
      row.passed ? 'yes' : 'NO',
    ]),
    notes: [],
  };
}

export function tablesOf(results: BenchResults): Table[] {
  return [
    happyPathTable(results.happyPath),
    fetchHappyPathTable(results.fetchHappyPath),
    refreshStormTable(results.refreshStorm),
    memoryTable(results.memory),
    bundleTable(results.bundle),
  ];
}
