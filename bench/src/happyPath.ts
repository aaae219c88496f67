import { Bench } from 'tinybench';
import { authmachine, axiosAuthRefreshDefault, type BenchClient, bareAxios, type ClientSetup } from './clients.js';
import { authmachineFetch, bareFetch } from './fetchClients.js';
import { median, round } from './figure.js';
import type { HappyPathResult, HappyPathRow } from './results.js';
import { createMemoryServer } from './transport.js';

export interface HappyPathOptions {
  rounds: number;
  /** Ms each task runs per round. */
  timeMs: number;
}

/** The axios set-ups; the first is the baseline the ratios are taken to. */
export const AXIOS_HAPPY_SETUPS: readonly ClientSetup[] = [bareAxios, authmachine, axiosAuthRefreshDefault];
/** The fetch set-ups, over the in-memory fetch stand-in; the first is the baseline. */
export const FETCH_HAPPY_SETUPS: readonly ClientSetup[] = [bareFetch, authmachineFetch];

interface RoundFigures {
  meanNs: number;
  medianNs: number;
  rmePercent: number;
  samples: number;
}

/**
 * Benchmark 1: one GET with a valid token, answered from memory, through each set-up (`setups[0]`
 * is the baseline of the ratios). The rounds interleave the tasks (each round starts with the next
 * one), so drift of the machine's speed during the run lands on all of them alike.
 */
export async function runHappyPath(
  options: HappyPathOptions,
  setups: readonly ClientSetup[],
): Promise<HappyPathResult> {
  // Every request is answered 200 whatever it carries: the baseline sends no token, and the
  // transport must do the same work for every set-up.
  const server = createMemoryServer({ refreshDelayMs: 0, checkTokens: false });
  server.issueToken();
  const clients = new Map<ClientSetup, BenchClient>();
  for (const setup of setups) clients.set(setup, await setup.create(server));
  const figures = new Map<ClientSetup, RoundFigures[]>(setups.map((setup) => [setup, []]));

  for (let round = 0; round < options.rounds; round++) {
    const bench = new Bench({ time: options.timeMs, warmupTime: Math.min(200, options.timeMs), throws: true });
    for (let i = 0; i < setups.length; i++) {
      const setup = setups[(round + i) % setups.length] as ClientSetup;
      const client = clients.get(setup) as BenchClient;
      bench.add(setup.id, async () => {
        await client.get('/api/data');
      });
    }
    await bench.run();
    for (const task of bench.tasks) {
      const setup = setups.find((candidate) => candidate.id === task.name) as ClientSetup;
      const { result } = task;
      if (result.state !== 'completed') throw new Error(`happy path: ${task.name} ended ${result.state}`);
      figures.get(setup)?.push({
        meanNs: result.latency.mean * 1e6,
        medianNs: result.latency.p50 * 1e6,
        rmePercent: result.latency.rme,
        samples: result.latency.samplesCount,
      });
    }
  }
  for (const client of clients.values()) client.close();

  const rowOf = (setup: ClientSetup): Omit<HappyPathRow, 'ratioToBare'> => {
    const rounds = figures.get(setup) ?? [];
    return {
      id: setup.id,
      label: setup.label,
      nsPerRequest: Math.round(median(rounds.map((r) => r.meanNs))),
      rmePercent: round(median(rounds.map((r) => r.rmePercent)), 1),
      medianNs: Math.round(median(rounds.map((r) => r.medianNs))),
      samples: rounds.reduce((sum, r) => sum + r.samples, 0),
      roundMeansNs: rounds.map((r) => Math.round(r.meanNs)),
    };
  };
  const rows = setups.map(rowOf);
  const bare = rows[0]?.nsPerRequest ?? Number.NaN;
  return {
    rounds: options.rounds,
    rows: rows.map((row) => ({ ...row, ratioToBare: round(row.nsPerRequest / bare, 2) })),
  };
}
