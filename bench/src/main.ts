import { cpus } from 'node:os';
import { buildPackages } from './buildPackages.js';
import { runBundleSize } from './bundleSize.js';
import { canCollectGarbage } from './collectGarbage.js';
import { goalsOf, goalsTable } from './goals.js';
import { AXIOS_HAPPY_SETUPS, FETCH_HAPPY_SETUPS, runHappyPath } from './happyPath.js';
import { runLoad } from './load.js';
import { loadGoals } from './loadGoals.js';
import { loadTable } from './loadTable.js';
import { runMemory } from './memory.js';
import { runRefreshStorm } from './refreshStorm.js';
import type { BenchEnvironment, BenchResults } from './results.js';
import { bundleTable, fetchHappyPathTable, happyPathTable, memoryTable, refreshStormTable } from './resultTables.js';
import { formatTextTable, type Table } from './table.js';
import { writeResults } from './writeResults.js';

/**
 * The load benchmark's heap goal: client heap growth from start to end below 4 MB, about 20 % of
 * the 50 sessions' heap and 400 B per request; a per-request or per-refresh leak passes it soon
 * after 10,000 requests and 1,000 refreshes (the memory benchmark measures per-cycle growth finely).
 */
const LOAD_HEAP_TOLERANCE_MB = 4;

const BENCHMARKS = ['happy', 'storm', 'memory', 'bundle', 'load'] as const;
type BenchmarkName = (typeof BENCHMARKS)[number];

const USAGE = `pnpm bench [--json] [--quick] [--only=${BENCHMARKS.join(',')}]

  --json    also write bench/results/latest.json, docs/benchmarks.md and docs/public/bench-refresh-storm.svg
  --quick   smaller sizes and fewer rounds, to try a change (not with --json)
  --only    run some benchmarks only (not with --json)

Exits with 1 when a goal of the load benchmark is missed (the other goals are reported only).`;

function parseArgs(args: string[]): { json: boolean; quick: boolean; only: Set<BenchmarkName> } {
  const only = new Set<BenchmarkName>(BENCHMARKS);
  let json = false;
  let quick = false;
  for (const arg of args) {
    if (arg === '--json') json = true;
    else if (arg === '--quick') quick = true;
    else if (arg.startsWith('--only=')) {
      only.clear();
      for (const name of arg.slice('--only='.length).split(',')) {
        if (!BENCHMARKS.includes(name as BenchmarkName)) fail(`unknown benchmark "${name}"`);
        only.add(name as BenchmarkName);
      }
    } else fail(arg === '--help' || arg === '-h' ? '' : `unknown argument "${arg}"`);
  }
  if (json && (quick || only.size < BENCHMARKS.length)) fail('--json records a full default run: drop --quick/--only');
  for (const name of ['memory', 'load'] as const) {
    if (only.has(name) && !canCollectGarbage) fail(`the ${name} benchmark needs node --expose-gc (pnpm bench sets it)`);
  }
  return { json, quick, only };
}

function fail(message: string): never {
  if (message) console.error(`${message}\n`);
  console.error(USAGE);
  process.exit(message ? 1 : 0);
}

function environment(): BenchEnvironment {
  const cores = cpus();
  return {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpu: cores[0]?.model.trim() ?? 'unknown',
    cores: cores.length,
  };
}

function print(table: Table): void {
  console.log(`${formatTextTable(table)}\n`);
}

async function step<T>(label: string, run: () => T | Promise<T>): Promise<T> {
  console.error(`… ${label}`);
  return run();
}

async function main(): Promise<void> {
  const { json, quick, only } = parseArgs(process.argv.slice(2));
  const env = environment();
  console.log(`authmachine benchmarks: Node ${env.node}, ${env.platform}, ${env.cores} × ${env.cpu}\n`);

  await step('building the packages (what is measured is their dist/)', buildPackages);

  const happyOptions = quick ? { rounds: 1, timeMs: 200 } : { rounds: 5, timeMs: 500 };
  const happyPath = only.has('happy')
    ? await step('1/5 happy path, axios (about 10 s)', () => runHappyPath(happyOptions, AXIOS_HAPPY_SETUPS))
    : undefined;
  if (happyPath) print(happyPathTable(happyPath));
  const fetchHappyPath = only.has('happy')
    ? await step('1/5 happy path, fetch (about 6 s)', () => runHappyPath(happyOptions, FETCH_HAPPY_SETUPS))
    : undefined;
  if (fetchHappyPath) print(fetchHappyPathTable(fetchHappyPath));

  const refreshStorm = only.has('storm')
    ? await step('2/5 refresh storm (about 90 s)', () =>
        runRefreshStorm(
          quick
            ? { sizes: [10, 100, 1_000], refreshDelayMs: 20, runsFor: () => 1 }
            : // Single storms of 1,000 vary by ±25 % on this machine: enough runs for a median that holds.
              { sizes: [10, 100, 1_000, 10_000], refreshDelayMs: 20, runsFor: (n) => (n >= 10_000 ? 7 : 15) },
        ),
      )
    : undefined;
  if (refreshStorm) print(refreshStormTable(refreshStorm));

  const memory = only.has('memory')
    ? await step('3/5 memory (about 20 s)', () =>
        runMemory(
          quick
            ? { warmupCycles: 200, fewCycles: 100, manyCycles: 1_000 }
            : { warmupCycles: 1_000, fewCycles: 100, manyCycles: 10_000 },
        ),
      )
    : undefined;
  if (memory) print(memoryTable(memory));

  const bundle = only.has('bundle') ? await step('4/5 bundle size', runBundleSize) : undefined;
  if (bundle) print(bundleTable(bundle));

  const load = only.has('load')
    ? await step(`5/5 load (about ${quick ? 15 : 45} s)`, () =>
        runLoad({
          ...(quick
            ? { sessions: 10, requestsPerSession: 40, durationMs: 6_000, heapSampleEveryMs: 1_000 }
            : { sessions: 50, requestsPerSession: 200, durationMs: 30_000, heapSampleEveryMs: 3_000 }),
          accessTtl: 1,
          maxBurst: 5,
          // Fixed, so that every run sends the same plan; only the machine's timing differs.
          seed: 15,
          heapToleranceMB: LOAD_HEAP_TOLERANCE_MB,
          settleTimeoutMs: 30_000,
          // The server closes idle keep-alive connections after 5 s.
          idleBeforeEndMs: 6_000,
        }),
      )
    : undefined;
  if (load) {
    print(loadTable(load));
    const goals = loadGoals(load);
    print(goalsTable(goals, 'Load goals (checked: pnpm bench exits with 1 when one is missed)'));
    const missed = goals.filter((goal) => !goal.met).length;
    if (missed > 0) {
      console.error(`load: ${missed} goal${missed === 1 ? '' : 's'} missed`);
      process.exitCode = 1;
    }
  }

  if (!happyPath || !fetchHappyPath || !refreshStorm || !memory || !bundle || !load) return;
  const results: BenchResults = {
    date: new Date().toISOString(),
    environment: env,
    happyPath,
    fetchHappyPath,
    refreshStorm,
    memory,
    bundle,
    load,
  };
  print(goalsTable(goalsOf(results)));
  if (json) {
    for (const path of await writeResults(results)) console.log(`wrote ${path}`);
  }
}

await main();
