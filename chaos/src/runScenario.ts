import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type AuthStatus, inProcessLocks } from '@authmachine/core';
import { startAuthServer } from '@authmachine/example-server';
import { type ChaosTab, createChaosTab, HTTP_TIMEOUT_MS } from './chaosTab.js';
import { describeOutcome } from './describeOutcome.js';
import { startForeignOrigin } from './foreignOrigin.js';
import { finalAgrees } from './invariants.js';
import type { RunRecord } from './runRecord.js';
import type { ChaosScenario, ChaosStep } from './scenario.js';
import { createFamilyRegistry } from './tokenFamilies.js';

/** Statuses a tab passes through on its own; the others it stays in until something happens. */
const BUSY: ReadonlySet<AuthStatus> = new Set(['restoring', 'authenticating', 'refreshing']);

/** Ms after which a message posted on the tabs' channel has been delivered, on loopback and a busy machine. */
const CHANNEL_QUIET_MS = 150;

/** The longest a refresh may take, every retry and backoff included (backoff: 0.5–1 s, 1–2 s...). */
export function refreshBudget(scenario: ChaosScenario): number {
  let backoff = 0;
  for (let attempt = 1; attempt <= scenario.refreshRetries; attempt += 1) backoff += 1_000 * 2 ** (attempt - 1);
  return (scenario.refreshRetries + 1) * scenario.refreshTimeout + backoff;
}

/** By when a request must settle: it may wait once before sending and once after its 401, and is sent twice. */
export function requestDeadline(scenario: ChaosScenario): number {
  return 2 * scenario.queueTimeout + 2 * HTTP_TIMEOUT_MS + 1_000;
}

/**
 * Runs one scenario against a fresh reference server on a free loopback port, with its own tabs,
 * and returns what happened. Everything it started is stopped before it returns, failure or not.
 */
export interface RunOptions {
  /**
   * Let a logout in one tab cross, on the channel, a login just made in another (once a bug: the tab
   * that logged out took the login, the others dropped it; guarded by
   * session.crossTab.sessionOrder.test.ts). Off: after a login the tabs' channel goes quiet first.
   */
  loginLogoutRaces?: boolean;
  /**
   * Keep the logins made, in a scenario of several tabs, while the clock reads earlier than it did
   * before (once a bug: the other tabs dropped such a login as older news; guarded by
   * session.crossTab.sessionOrder.test.ts). Off: those logins are skipped.
   */
  clockBackLogins?: boolean;
}

export async function runScenario(
  scenario: ChaosScenario,
  { loginLogoutRaces = false, clockBackLogins = false }: RunOptions = {},
): Promise<RunRecord> {
  const record: RunRecord = {
    scenario,
    sent: [],
    refreshCalls: [],
    outcomes: [],
    logouts: [],
    foreignAuthorization: [],
    storageChecks: [],
    finals: [],
    resting: [],
    unsettledTabs: [],
    stats: undefined as never,
    theft: scenario.steps.some((step) => step.type === 'theft'),
  };
  let faultsOn = true;
  const server = await startAuthServer({
    accessTtl: scenario.accessTtl,
    refreshFault: ({ count }) => (faultsOn ? (scenario.faults[count - 1] ?? undefined) : undefined),
  });
  const foreign = await startForeignOrigin(record.foreignAuthorization);
  let clockOffset = 0;
  /** The latest the sessions' clock has read at a step: every token so far arrived no later. */
  let clockHighWater = 0;
  const families = createFamilyRegistry();
  const crossTab = scenario.tabs.length > 1 ? { name: `chaos-${randomUUID()}`, locks: inProcessLocks() } : undefined;
  const tabs = scenario.tabs.map((client, index) =>
    createChaosTab({
      index,
      client,
      baseURL: server.url,
      scenario,
      now: () => Date.now() + clockOffset,
      crossTab,
      families,
      record,
    }),
  );
  const inFlight: Promise<void>[] = [];
  let nextItem = 0;

  /** Runs a call, noting how and when it settles; resolves at the latest a little after its deadline. */
  const track = (tab: number, label: string, budgetMs: number, call: () => Promise<unknown>): Promise<void> => {
    const startedAt = performance.now();
    const outcome = {
      tab,
      label,
      startedAt,
      deadline: startedAt + budgetMs,
      settledAt: null as number | null,
      result: 'pending',
    };
    record.outcomes.push(outcome);
    const settled = call().then(
      (value) => {
        outcome.result = describeOutcome(value);
      },
      (error: unknown) => {
        outcome.result = describeOutcome(error);
      },
    );
    const noted = settled.finally(() => {
      outcome.settledAt = performance.now();
    });
    return Promise.race([noted, sleep(budgetMs + 250)]).then(() => undefined);
  };

  const tabAt = (index: number): ChaosTab => tabs[index] as ChaosTab;

  async function runStep(step: ChaosStep): Promise<void> {
    switch (step.type) {
      case 'burst': {
        const tab = tabAt(step.tab);
        const calls = Array.from({ length: step.size }, (_, index) => {
          const foreignCall = index < step.foreign;
          nextItem = (nextItem % 1000) + 1;
          const url = foreignCall ? `${foreign.url}/data/${nextItem}` : `/api/items/${nextItem}`;
          let budget = requestDeadline(scenario);
          let signal: AbortSignal | undefined;
          if (step.aborted.includes(index)) {
            const abort = new AbortController();
            setTimeout(() => abort.abort(), step.abortAfterMs);
            signal = abort.signal;
            // An aborted request settles at once, wherever it was.
            budget = Math.min(budget, step.abortAfterMs + 1_000);
          }
          return track(step.tab, `${foreignCall ? 'foreign' : 'api'} GET`, budget, () => tab.get(url, signal));
        });
        const all = Promise.all(calls).then(() => undefined);
        if (step.awaited) await all;
        else inFlight.push(all);
        return;
      }
      case 'wait':
        await sleep(step.ms);
        return;
      case 'login': {
        if (!clockBackLogins && tabs.length > 1 && Date.now() + clockOffset < clockHighWater) return;
        const tab = tabAt(step.tab);
        await track(step.tab, 'login', HTTP_TIMEOUT_MS + 1_000, async () => {
          const tokens = await tab.loginRequest();
          families.issued(tokens.accessToken, tokens.refreshToken);
          await tab.session.login(tokens);
        });
        if (!loginLogoutRaces && tabs.length > 1) await sleep(CHANNEL_QUIET_MS);
        return;
      }
      case 'logout': {
        const tab = tabAt(step.tab);
        const family = families.ofAccessToken(tab.session.actor.getSnapshot().context.accessToken);
        await track(step.tab, 'logout', 1_000, async () => {
          await tab.session.logout();
          record.logouts.push({ tab: step.tab, resolvedAt: performance.now(), family });
        });
        return;
      }
      case 'forceRefresh':
        // As an app does it: in the background, while the next steps go on.
        inFlight.push(
          track(step.tab, 'refresh()', refreshBudget(scenario) + 1_500, () => tabAt(step.tab).session.refresh()),
        );
        return;
      case 'clockJump':
        clockOffset += step.ms;
        return;
      case 'revoke':
        server.revokeUser('ada');
        return;
      case 'theft': {
        const refreshToken = tabAt(0).session.actor.getSnapshot().context.refreshToken;
        if (refreshToken === null) return;
        // The thief's answer is of no interest: what matters is that the server rotated the token.
        await fetch(`${server.url}/auth/refresh`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ refreshToken }),
          signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
        })
          .then((response) => response.arrayBuffer())
          .catch(() => undefined);
        return;
      }
    }
  }

  function checkStorage(afterStep: number): void {
    for (const tab of tabs) {
      const status = tab.session.getSnapshot().status;
      if (status === 'restoring' || status === 'authenticating') continue;
      const { accessToken, refreshToken } = tab.session.actor.getSnapshot().context;
      const stored = tab.stored();
      record.storageChecks.push({
        tab: tab.index,
        afterStep,
        status,
        stored: stored && { accessToken: stored.accessToken, refreshToken: stored.refreshToken ?? null },
        held: { accessToken, refreshToken },
      });
    }
  }

  /** Waits until no tab is restoring, logging in or refreshing; notes the tabs that never stop. */
  async function settle(limitMs: number): Promise<void> {
    const until = performance.now() + limitMs;
    const busy = (): boolean => tabs.some((tab) => BUSY.has(tab.session.getSnapshot().status));
    do {
      while (busy() && performance.now() < until) await sleep(20);
      // The tabs' last news (new tokens, a session ended) is still on the channel: let it land,
      // and wait again if it set a tab refreshing.
      if (tabs.length > 1) await sleep(CHANNEL_QUIET_MS);
    } while (busy() && performance.now() < until);
    // Storage writes are queued behind a microtask chain: let them land.
    await new Promise((resolve) => setImmediate(resolve));
    record.unsettledTabs = tabs.filter((tab) => BUSY.has(tab.session.getSnapshot().status)).map((tab) => tab.index);
  }

  try {
    await settle(1_000);
    const steps: ChaosStep[] = [{ type: 'login', tab: 0 }, ...scenario.steps];
    for (const [index, step] of steps.entries()) {
      clockHighWater = Math.max(clockHighWater, Date.now() + clockOffset);
      await runStep(step);
      await new Promise((resolve) => setImmediate(resolve));
      checkStorage(index);
    }
    await Promise.all(inFlight);
    // From here on the server behaves: every tab must come to rest and agree with it.
    faultsOn = false;
    await settle(refreshBudget(scenario) + 2_000);
    for (const tab of tabs) {
      // A proactive refresh may change the state right after a probe (a stolen token found out, a
      // session ended in another tab): then the next probe must see it. A disagreement that lasts counts.
      for (let probeNumber = 0; probeNumber < 3; probeNumber += 1) {
        let probe = 'pending';
        await track(tab.index, 'final probe', requestDeadline(scenario), async () => {
          try {
            probe = describeOutcome(await tab.get('/api/me'));
          } catch (error) {
            probe = describeOutcome(error);
          }
        });
        await settle(refreshBudget(scenario) + 2_000);
        const status = restingStatus(tab.session.getSnapshot().status);
        const verdict = await serverVerdict(server.url, tab.session.getAccessToken());
        const final = { tab: tab.index, status, probe, serverVerdict: verdict };
        if (finalAgrees(final) || probeNumber === 2) {
          record.finals.push(final);
          break;
        }
      }
    }
    // With a proactive timer a tab refreshes every few hundred ms: the news of the last rotation
    // may be on the channel at any moment. A disagreement that lasts is what counts.
    for (let look = 0; look < 5; look += 1) {
      await settle(refreshBudget(scenario) + 2_000);
      record.resting = tabs.map((tab) => ({
        tab: tab.index,
        status: restingStatus(tab.session.getSnapshot().status),
        accessToken: tab.session.getAccessToken(),
      }));
      if (new Set(record.resting.map(({ status, accessToken }) => `${status} ${accessToken}`)).size === 1) break;
    }
    checkStorage(steps.length);
    record.stats = server.stats();
    return record;
  } finally {
    for (const tab of tabs) tab.close();
    await server.close();
    await foreign.close();
  }
}

/** `refreshing` is `authenticated` for whoever looks from outside: the tokens are still good. */
function restingStatus(status: AuthStatus): AuthStatus {
  return status === 'refreshing' ? 'authenticated' : status;
}

/**
 * What the server says of the token a tab holds: `accepted`, `expired` (genuine, its family maybe
 * alive: the tab will refresh it), or the server's reason (`revoked`...). Null: the tab holds none.
 */
async function serverVerdict(baseURL: string, token: string | null): Promise<string | null> {
  if (token === null) return null;
  const response = await fetch(`${baseURL}/api/me`, { headers: { Authorization: `Bearer ${token}` } });
  await response.arrayBuffer();
  if (response.status === 200) return 'accepted';
  const challenge = response.headers.get('www-authenticate') ?? '';
  if (challenge.includes('expired')) return 'expired';
  return /error_description="([^"]*)"/.exec(challenge)?.[1] ?? `HTTP ${response.status}`;
}
