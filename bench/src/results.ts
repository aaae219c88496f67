/**
 * The shape of `results/latest.json`. Every figure is stored already rounded to the precision the
 * tables print, so the JSON, the console and the docs page show the same numbers.
 */
export interface BenchResults {
  /** ISO date of the run. */
  date: string;
  environment: BenchEnvironment;
  /** Through axios: bare axios is the baseline. */
  happyPath: HappyPathResult;
  /** Through fetch: the bare in-memory fetch stand-in is the baseline. */
  fetchHappyPath: HappyPathResult;
  refreshStorm: RefreshStormResult;
  memory: MemoryResult;
  bundle: BundleResult;
}

export interface BenchEnvironment {
  node: string;
  platform: string;
  cpu: string;
  cores: number;
}

/** A library set-up as the tables name it: `id` is stable, `label` is what is printed. */
export interface LibraryRef {
  id: string;
  label: string;
}

export interface HappyPathResult {
  /** Rounds of all tasks, interleaved; each figure is the median of the rounds' means. */
  rounds: number;
  rows: HappyPathRow[];
}

export interface HappyPathRow extends LibraryRef {
  /** nsPerRequest / the baseline's (the first row: bare axios, or the bare fetch stand-in). */
  ratioToBare: number;
  nsPerRequest: number;
  /** Relative margin of error of the mean, in percent (median over the rounds). */
  rmePercent: number;
  medianNs: number;
  samples: number;
  /** The mean of each round, in round order: how much the machine's speed moved during the run. */
  roundMeansNs?: number[];
}

export interface RefreshStormResult {
  refreshDelayMs: number;
  /** Which axios-auth-refresh option was used for "deduplication off", and why. */
  notes: string[];
  rows: RefreshStormRow[];
}

export interface RefreshStormRow extends LibraryRef {
  n: number;
  runs: number;
  /** The most refresh calls any run made. */
  refreshCalls: number;
  /** The fewest requests that succeeded in any run. */
  succeeded: number;
  /** Median over the runs, from the first request made until the last one settled. */
  settleMs: number;
  /** settleMs at this N / settleMs at N ÷ 10 (linear is 10); null for the smallest N. */
  growth: number | null;
  /** settleMs of this library / settleMs of authmachine at the same N. */
  timeVsAuthmachine: number;
}

export interface MemoryResult {
  warmupCycles: number;
  fewCycles: number;
  manyCycles: number;
  /** Growth from manyCycles to twice as many below which a set-up counts as flat. */
  laterGrowthNoiseKB: number;
  rows: MemoryRow[];
}

export interface MemoryRow extends LibraryRef {
  /** Heap after manyCycles / heap after fewCycles. */
  heapRatio: number;
  heapAfterFewKB: number;
  heapAfterManyKB: number;
  heapAfterTwiceManyKB: number;
  /** From fewCycles to manyCycles. */
  growthKB: number;
  bytesPerCycle: number;
  /** From manyCycles to twice as many: a leak keeps growing here, warm-up does not. */
  laterGrowthKB: number;
}

export interface BundleResult {
  rows: BundleRow[];
}

export interface BundleRow {
  name: string;
  percentOfBudget: number;
  sizeBytes: number;
  budgetBytes: number;
  passed: boolean;
}
