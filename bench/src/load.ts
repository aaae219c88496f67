import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { round } from './figure.js';
import { heapFigures, heapUsedAfterGc } from './loadHeap.js';
import type { LoadClientKind } from './loadHttp.js';
import { planBursts } from './loadPlan.js';
import { loadRows } from './loadRows.js';
import { startLoadServer } from './loadServerProcess.js';
import { createLoadSession, type LoadSession } from './loadSession.js';
import { checkSession } from './loadSessionCheck.js';
import type { LoadHeapSample, LoadResult } from './results.js';
import { seededRandom } from './seededRandom.js';

export interface LoadOptions {
  sessions: number;
  requestsPerSession: number;
  durationMs: number;
  /** Access-token lifetime on the server, in seconds. */
  accessTtl: number;
  maxBurst: number;
  seed: number;
  /** How often the heap is sampled while requests run (each sample forces full collections). */
  heapSampleEveryMs: number;
  /** The heap goal: growth from start to end below this. */
  heapToleranceMB: number;
  /** How long after the last burst requests may take to settle; the rest count as lost. */
  settleTimeoutMs: number;
  /** How long after the last request settled the heap's end figure is read. */
  idleBeforeEndMs: number;
}

/** The demo server's users; several sessions per user are fine, each login is a token family of its own. */
const USERS = [
  { username: 'ada', password: 'lovelace' },
  { username: 'grace', password: 'hopper' },
] as const;

const MB = 1024 * 1024;

/**
 * Benchmark 5: `sessions` sessions, half through axios and half through fetch, each sending
 * `requestsPerSession` GETs in jittered bursts over `durationMs` to one reference server in a
 * child process, whose access tokens live `accessTtl` seconds. Counts what the sessions and the
 * server saw, and samples this process's heap.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const server = await startLoadServer(options.accessTtl);
  const sessions: LoadSession[] = [];
  try {
    for (let index = 0; index < options.sessions; index++) {
      const client: LoadClientKind = index % 2 === 0 ? 'axios' : 'fetch';
      sessions.push(createLoadSession(`s${index + 1}`, client, server.url));
    }
    await Promise.all(
      sessions.map((session, index) => {
        const user = USERS[Math.floor(index / 2) % USERS.length] ?? USERS[0];
        return session.login(user.username, user.password);
      }),
    );

    await warmUp(sessions, options);
    await server.reset();
    for (const session of sessions) session.resetRecord();

    const random = seededRandom(options.seed);
    const plans = sessions.map(() =>
      planBursts(options.requestsPerSession, options.durationMs, options.maxBurst, random),
    );
    const itemId = (): number => 1 + Math.floor(random() * 1000);

    const samples: LoadHeapSample[] = [];
    const startedAt = performance.now();
    const sample = async (): Promise<void> => {
      const used = await heapUsedAfterGc();
      samples.push({ atS: (performance.now() - startedAt) / 1000, usedMB: used / MB });
    };
    await sample();
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const runStart = performance.now();

    // Only a count of requests in flight is kept, not their promises, so the heap at the end holds
    // what the clients hold and nothing of the bench's.
    let pending = 0;
    let firing = true;
    let drained: () => void = () => undefined;
    const allSettled = new Promise<void>((resolve) => {
      drained = resolve;
    });
    const settleOne = (): void => {
      pending -= 1;
      if (pending === 0 && !firing) drained();
    };

    let sampling = Promise.resolve();
    const sampler = setInterval(() => {
      sampling = sampling.then(sample);
    }, options.heapSampleEveryMs);
    // One loop per session, each waiting for its next burst: a few dozen timers, not thousands.
    await Promise.all(
      plans.map(async (plan, index) => {
        const session = sessions[index];
        if (!session) return;
        for (const burst of plan) {
          const wait = burst.atMs - (performance.now() - runStart);
          if (wait > 0) await sleep(wait);
          for (let i = 0; i < burst.size; i++) {
            pending += 1;
            void session.request(`/api/items/${itemId()}`).finally(settleOne);
          }
        }
      }),
    );
    firing = false;
    clearInterval(sampler);
    await sampling;
    if (pending > 0) {
      const deadline = new AbortController();
      const timeout = sleep(options.settleTimeoutMs, undefined, { signal: deadline.signal }).catch(() => undefined);
      await Promise.race([allSettled, timeout]);
      deadline.abort();
    }
    const elapsedS = (performance.now() - runStart) / 1000;
    delay.disable();
    await sample();
    // The last sample once the idle keep-alive connections have closed (the server closes them
    // after 5 s): their sockets and buffers are transient, what a leak leaves is not.
    await sleep(options.idleBeforeEndMs);
    await sample();

    const stats = await server.stats();
    const checks = sessions.map((session) => {
      const { record } = session;
      return checkSession(
        {
          id: record.id,
          client: record.client,
          planned: options.requestsPerSession,
          sent: record.sent,
          succeeded: record.succeeded,
          firstFailure: record.firstFailure,
          refreshCalls: record.refreshCalls,
          overlappingRefreshCalls: record.overlappingRefreshCalls,
          lastRequestAt: record.lastRequestAt,
          finalExpiresAt: record.heldTokenExpiresAt(),
        },
        stats.sessions[record.id],
      );
    });
    const { refreshRequests, refreshes, refreshFailures, reuseDetections } = stats.server;
    const { apiRequests, apiSucceeded, unauthorized, expiredTokens } = stats.server;
    return {
      sessions: options.sessions,
      requestsPerSession: options.requestsPerSession,
      durationS: options.durationMs / 1000,
      accessTtlS: options.accessTtl,
      maxBurst: options.maxBurst,
      seed: options.seed,
      elapsedS: round(elapsedS, 1),
      // Nanoseconds in the histograms; the resolution (10 ms) is included in each figure.
      eventLoopDelay: {
        clientP99Ms: round(delay.percentile(99) / 1e6, 0),
        clientMaxMs: round(delay.max / 1e6, 0),
        serverP99Ms: round(stats.eventLoopDelay.p99Ms, 0),
        serverMaxMs: round(stats.eventLoopDelay.maxMs, 0),
      },
      rows: loadRows(checks),
      server: {
        refreshRequests,
        refreshes,
        refreshFailures,
        reuseDetections,
        apiRequests,
        apiSucceeded,
        unauthorized,
        expiredTokens,
      },
      heap: heapFigures(samples, options.durationMs / 1000, options.heapToleranceMB),
      failures: checks
        .filter((check) => check.lost > 0)
        .slice(0, 3)
        .map((check) => `${check.id} (${check.client}): ${check.firstFailure ?? 'never settled'}`),
    };
  } finally {
    for (const session of sessions) session.stop();
    await server.close();
  }
}

/**
 * Before the heap's first sample: a burst from every session, and another once the login's tokens
 * have expired (a refresh each), so that the start figure already has the code compiled and the
 * connection pools filled, as the end figure does. Not counted; it must not lose a request either.
 */
async function warmUp(sessions: readonly LoadSession[], options: LoadOptions): Promise<void> {
  const burst = (): Promise<unknown> =>
    Promise.all(
      sessions.flatMap((session) =>
        Array.from({ length: options.maxBurst }, (_, index) => session.request(`/api/items/${index + 1}`)),
      ),
    );
  await burst();
  await sleep(options.accessTtl * 1000 + 100);
  await burst();
  const lost = sessions.filter((session) => session.record.succeeded !== session.record.sent);
  if (lost.length > 0) {
    const [first] = lost;
    throw new Error(
      `load: ${lost.length} sessions lost warm-up requests, ${first?.record.id}: ${first?.record.firstFailure ?? 'no answer'}`,
    );
  }
}
