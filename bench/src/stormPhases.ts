import { median } from './figure.js';
import { STORM_SETUPS } from './refreshStorm.js';
import { createMemoryServer, type MemoryServer, REFRESH_PATH } from './transport.js';

/**
 * `pnpm --dir bench profile:phases [N] [runs] [set-up ids, comma-separated]`: where a refresh storm's time goes, per set-up, as
 * the server sees it: when the last first-try request arrived, when the refresh call arrived and
 * was answered, when the first retry arrived, when every request had settled (ms from the start,
 * medians). The set-ups run interleaved; the first two runs warm the JIT and are not counted.
 */
const [n = '1000', runs = '11', only] = process.argv.slice(2);
const setups = only === undefined ? STORM_SETUPS : STORM_SETUPS.filter((setup) => only.split(',').includes(setup.id));
const size = Number(n);
const phases = ['last first try', 'refresh call', 'refresh answered', 'first retry', 'all settled'] as const;
const figures = new Map<string, number[][]>();

for (let run = 0; run < Number(runs) + 2; run++) {
  for (const setup of setups) {
    const times = await stormPhases(setup.create.bind(setup));
    if (run >= 2) figures.set(setup.label, [...(figures.get(setup.label) ?? []), times]);
  }
}
console.log(`refresh storm, N = ${size}: ms from the start (median of ${runs})`);
console.log(['set-up'.padEnd(48), ...phases.map((phase) => phase.padStart(17))].join(''));
for (const [label, rows] of figures) {
  const cells = phases.map((_, index) =>
    median(rows.map((row) => row[index] ?? 0))
      .toFixed(1)
      .padStart(17),
  );
  console.log([label.padEnd(48), ...cells].join(''));
}

async function stormPhases(
  create: (server: MemoryServer) => Promise<{ get(path: string): Promise<unknown>; close(): void }>,
) {
  const server = createMemoryServer({ refreshDelayMs: 20, checkTokens: true });
  let start = 0;
  let sent = 0;
  const seen = { lastFirstTry: 0, refreshCall: 0, refreshAnswered: 0, firstRetry: 0 };
  const since = (): number => performance.now() - start;
  /** One arrival at the server, timed: `answer` is the server's own answer to it. */
  const timedArrival = <T>(isRefresh: boolean, answer: () => Promise<T>): Promise<T> => {
    if (start === 0) return answer();
    if (isRefresh) {
      seen.refreshCall = since();
      return answer().finally(() => (seen.refreshAnswered = since()));
    }
    sent += 1;
    if (sent === size) seen.lastFirstTry = since();
    if (sent === size + 1) seen.firstRetry = since();
    return answer();
  };
  // The server as the client sees it, with a clock on its door (axios adapter and fetch alike).
  const timed: MemoryServer = Object.create(server);
  Object.defineProperty(timed, 'adapter', {
    value: (config: Parameters<MemoryServer['adapter']>[0]) =>
      timedArrival(config.url === REFRESH_PATH, () => server.adapter(config)),
  });
  Object.defineProperty(timed, 'fetch', {
    value: (input: RequestInfo | URL, init?: RequestInit) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      return timedArrival(url.endsWith(REFRESH_PATH), () => server.fetch(input, init));
    },
  });
  server.issueToken();
  const client = await create(timed);
  server.expireToken();
  globalThis.gc?.();
  start = performance.now();
  await Promise.allSettled(Array.from({ length: size }, (_, i) => client.get(`/api/items/${i}`)));
  const allSettled = since();
  client.close();
  return [seen.lastFirstTry, seen.refreshCall, seen.refreshAnswered, seen.firstRetry, allSettled];
}
