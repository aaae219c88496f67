import { getHeapSpaceStatistics } from 'node:v8';
import { isAxiosError } from 'axios';
import { authmachine, axiosAuthRefreshDefault, axiosFor, bareAxios, type ClientSetup } from './clients.js';
import { collectGarbage } from './collectGarbage.js';
import { round } from './figure.js';
import type { MemoryResult, MemoryRow } from './results.js';
import { createMemoryServer, type MemoryServer, REFRESH_PATH } from './transport.js';

export interface MemoryOptions {
  warmupCycles: number;
  fewCycles: number;
  manyCycles: number;
}

/** One refresh cycle: the token expires, a request gets its 401, one refresh, one retry. */
type Cycle = () => Promise<void>;

interface CycleSetup {
  setup: ClientSetup;
  start(server: MemoryServer): Promise<{ cycle: Cycle; close(): void }>;
}

/** The library does the cycle: the request simply succeeds after its retry. */
function libraryCycle(setup: ClientSetup): CycleSetup {
  return {
    setup,
    async start(server) {
      const client = await setup.create(server);
      return {
        cycle: async () => {
          server.expireToken();
          await client.get('/api/data');
        },
        close: client.close,
      };
    },
  };
}

/** The control: bare axios making the same calls by hand, so its growth is the noise floor. */
const controlCycle: CycleSetup = {
  setup: { ...bareAxios, id: 'bare-axios-control', label: 'bare axios, same calls by hand (control)' },
  async start(server) {
    const api = axiosFor(server);
    let token = server.currentToken ?? server.issueToken();
    const get = () => api.get('/api/data', { headers: { Authorization: `Bearer ${token}` } });
    return {
      cycle: async () => {
        server.expireToken();
        try {
          await get();
        } catch (error) {
          if (!isAxiosError(error) || error.response?.status !== 401) throw error;
        }
        token = (await api.post<{ accessToken: string }>(REFRESH_PATH, {})).data.accessToken;
        await get();
      },
      close: () => undefined,
    };
  },
};

const CYCLE_SETUPS: readonly CycleSetup[] = [
  controlCycle,
  libraryCycle(authmachine),
  libraryCycle(axiosAuthRefreshDefault),
];

/** Growth from `manyCycles` to twice as many that still counts as flat: 256 KB, 26 B a cycle. */
export const LATER_GROWTH_NOISE_KB = 256;

/**
 * Benchmark 3: the heap after `manyCycles` refresh cycles against the heap after `fewCycles`, on one
 * long-lived client each, and once more after twice `manyCycles`: a leak keeps growing, while what
 * V8 sets up as code warms (inline caches, feedback) stops. Each set-up first runs `warmupCycles`
 * on a client of its own; compiled code is left out of the heap figures (`v8` heap spaces).
 */
export async function runMemory(options: MemoryOptions): Promise<MemoryResult> {
  const rows: MemoryRow[] = [];
  for (const cycleSetup of CYCLE_SETUPS) {
    await measureCycles(cycleSetup, [options.warmupCycles]);
    const [few, many, twiceMany] = await measureCycles(cycleSetup, [
      options.fewCycles,
      options.manyCycles,
      options.manyCycles * 2,
    ]);
    if (few === undefined || many === undefined || twiceMany === undefined) throw new Error('memory: no heap figure');
    const { setup } = cycleSetup;
    rows.push({
      id: setup.id,
      label: setup.label,
      heapRatio: round(many / few, 3),
      heapAfterFewKB: round(few / 1024, 1),
      heapAfterManyKB: round(many / 1024, 1),
      heapAfterTwiceManyKB: round(twiceMany / 1024, 1),
      growthKB: round((many - few) / 1024, 1),
      bytesPerCycle: round((many - few) / (options.manyCycles - options.fewCycles), 1),
      laterGrowthKB: round((twiceMany - many) / 1024, 1),
    });
  }
  return { ...options, laterGrowthNoiseKB: LATER_GROWTH_NOISE_KB, rows };
}

/** Runs cycles on one new client, and reads the heap each time the count reaches a checkpoint. */
async function measureCycles({ setup, start }: CycleSetup, checkpoints: readonly number[]): Promise<number[]> {
  const server = createMemoryServer({ refreshDelayMs: 0, checkTokens: true });
  server.issueToken();
  const client = await start(server);
  const heaps: number[] = [];
  let done = 0;
  for (const checkpoint of checkpoints) {
    for (; done < checkpoint; done++) await client.cycle();
    heaps.push(await dataHeap());
  }
  client.close();
  if (server.counts.refreshCalls !== done) {
    throw new Error(`memory: ${setup.label} made ${server.counts.refreshCalls} refreshes in ${done} cycles`);
  }
  return heaps;
}

/** Bytes in use after a full collection, less compiled code (which grows as V8 optimises, not as data leaks). */
async function dataHeap(): Promise<number> {
  await collectGarbage();
  await collectGarbage();
  return getHeapSpaceStatistics()
    .filter((space) => !space.space_name.startsWith('code'))
    .reduce((sum, space) => sum + space.space_used_size, 0);
}
