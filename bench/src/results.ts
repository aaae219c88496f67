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
  /** Absent in runs recorded before the load benchmark existed. */
  load?: LoadResult;
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

export interface LoadResult {
  sessions: number;
  requestsPerSession: number;
  durationS: number;
  accessTtlS: number;
  /** Each burst is 1 to maxBurst concurrent requests. */
  maxBurst: number;
  /** Of the request plan (burst times and sizes, item ids): the same seed replays the same plan. */
  seed: number;
  /** From the first burst until the last request settled: how long the run took (noisy, not a goal). */
  elapsedS: number;
  /**
   * How late the timers of the client (this process) and of the server ran during the run, in ms
   * (99th percentile, worst). A stall about as long as a token lives lets a token issued before it
   * expire before the server reads the request retried with it: that request is lost whatever
   * the library does, and the run says so.
   */
  eventLoopDelay: LoadEventLoopDelay;
  /** axios sessions, fetch sessions, then all sessions. */
  rows: LoadRow[];
  server: LoadServerFigures;
  heap: LoadHeap;
  /** The first failure of up to three sessions that lost requests (error name and message). */
  failures: string[];
}

/** What the load section counts, per session and summed per adapter. */
export interface LoadCounts {
  planned: number;
  succeeded: number;
  /** Planned requests that did not end with a 200: failed, or never settled. */
  lost: number;
  /**
   * Tokens of the session that expired (the server's clock) while it still had requests to send:
   * each token a refresh replaced after its expiry, counted once however many calls replaced it,
   * and the last token if it expired before the session's last request was started.
   */
  expiriesCrossed: number;
  refreshCalls: number;
  /** Refreshes the server answered with 200 for this session. */
  serverRefreshes: number;
  /** Refresh calls for a token the server still honoured: none may happen with the timer off. */
  earlyRefreshCalls: number;
  overlappingRefreshCalls: number;
  /** Calls started once the session's own clock said the token had expired (a request found it so, or a late 401). */
  refreshesOnClientExpiry: number;
  /** Calls started after the server's expiry but while the session's clock still held the token valid: a 401 started them. */
  refreshesOn401: number;
  /** Requests the server answered 401 for this session: in flight across an expiry, then retried. */
  unauthorized: number;
  /** The longest refresh call, from its start until the new tokens arrived, in ms. */
  refreshRoundTripMaxMs: number;
  /**
   * New tokens that had already expired on the server's clock when they arrived: the machine was
   * slower than a token's life, and requests retried with them fail whatever the library does.
   */
  tokensDeadOnArrival: number;
}

export interface LoadRow extends LibraryRef, LoadCounts {
  sessions: number;
  /** Sessions whose refresh calls were not exactly one per expiry crossed. */
  sessionsOff: number;
  refreshesPerSessionMin: number;
  refreshesPerSessionMax: number;
}

/** The reference server's own counters at the end of the run (zeroed after the warm-up). */
export interface LoadServerFigures {
  refreshRequests: number;
  refreshes: number;
  refreshFailures: number;
  reuseDetections: number;
  apiRequests: number;
  apiSucceeded: number;
  unauthorized: number;
  expiredTokens: number;
}

export interface LoadHeap {
  /** `heapUsed` after forced full collections, in MB, from before the first request to after the last settled. */
  samples: LoadHeapSample[];
  startMB: number;
  middleMB: number;
  endMB: number;
  growthMB: number;
  /** Least-squares slope over every sample. */
  slopeKBPerS: number;
  /** The goal: growth from start to end below this. */
  toleranceMB: number;
}

export interface LoadEventLoopDelay {
  clientP99Ms: number;
  clientMaxMs: number;
  serverP99Ms: number;
  serverMaxMs: number;
}

export interface LoadHeapSample {
  atS: number;
  usedMB: number;
}
