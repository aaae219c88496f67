import { type AuthStatus, inProcessLocks } from '@authmachine/core';
import {
  type BurstOutcome,
  type ClientCounters,
  createDemoClient,
  type DemoClient,
  zeroCounters,
} from './demoClient.js';
import type { DemoClientKind } from './demoHttp.js';
import type { DemoLog } from './demoLog.js';

/** The demo's client: one app tab, or several that share one session (`--tabs N`). */
export interface DemoTabs {
  readonly count: number;
  /** The tab that logs in; every tab holds the same tokens. */
  readonly first: DemoClient;
  /** Logs in in the first tab and waits until every tab has the session. */
  login(username: string, password: string): Promise<void>;
  /** Every tab sends `size` concurrent requests at the same moment; the outcomes summed. */
  burst(size: number): Promise<BurstOutcome>;
  /** Every tab's counters, summed. */
  counters(): ClientCounters;
  statuses(): AuthStatus[];
  stop(): void;
}

const SYNC_TIMEOUT_MS = 2_000;

/**
 * N tabs simulated in one process: each its own session and HTTP client, as each browser tab
 * has, sharing a real `BroadcastChannel` (Node's works between objects of one process) and an
 * in-process lock that behaves like `navigator.locks`. One tab runs without `crossTab`.
 */
export function createDemoTabs(baseURL: string, log: DemoLog, count: number, client: DemoClientKind): DemoTabs {
  // A fresh channel name per run: two demos in one process never hear each other.
  const crossTab = { name: `demo-${crypto.randomUUID()}`, locks: inProcessLocks() };
  const tabs =
    count === 1
      ? [createDemoClient(baseURL, log, { client })]
      : Array.from({ length: count }, (_, index) =>
          createDemoClient(baseURL, log, { client, tab: index + 1, crossTab }),
        );
  const first = tabs[0] as DemoClient;

  return {
    count,
    first,
    async login(username, password) {
      await first.login(username, password);
      await Promise.all(tabs.map((tab) => untilAuthenticated(tab)));
    },
    async burst(size) {
      return sumOutcomes(await Promise.all(tabs.map((tab) => tab.burst(size))));
    },
    counters() {
      const total = zeroCounters();
      for (const tab of tabs) {
        for (const key of Object.keys(total) as (keyof ClientCounters)[]) total[key] += tab.counters[key];
      }
      return total;
    },
    statuses: () => tabs.map((tab) => tab.session.getSnapshot().status),
    stop() {
      for (const tab of tabs) tab.stop();
    },
  };
}

function sumOutcomes(outcomes: readonly BurstOutcome[]): BurstOutcome {
  return outcomes.reduce((sum, outcome) => ({
    sent: sum.sent + outcome.sent,
    succeeded: sum.succeeded + outcome.succeeded,
    sessionExpired: sum.sessionExpired + outcome.sessionExpired,
    otherFailures: sum.otherFailures + outcome.otherFailures,
    firstOtherFailure: sum.firstOtherFailure ?? outcome.firstOtherFailure,
  }));
}

/** The other tabs adopt the login over the channel; a tab that does not within 2 s is a failure. */
function untilAuthenticated(tab: DemoClient): Promise<void> {
  if (tab.session.getSnapshot().status === 'authenticated') return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`a tab did not receive the login within ${SYNC_TIMEOUT_MS} ms`));
    }, SYNC_TIMEOUT_MS);
    const unsubscribe = tab.session.subscribe((state) => {
      if (state.status !== 'authenticated') return;
      clearTimeout(timer);
      unsubscribe();
      resolve();
    });
  });
}
