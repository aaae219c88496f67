import { setTimeout as sleep } from 'node:timers/promises';
import { type FallbackHandler, type RunningAuthServer, startAuthServer } from '@authmachine/example-server';
import axios from 'axios';
import { burstKinds, burstTime, crossesExpiry } from './burstPlan.js';
import type { BurstOutcome } from './demoClient.js';
import { describeDemoClient } from './demoHttp.js';
import { createDemoLog } from './demoLog.js';
import type { DemoOptions } from './demoOptions.js';
import { type DemoFigures, formatSummary, problemsOf, summaryRows } from './demoSummary.js';
import { createDemoTabs } from './demoTabs.js';

export interface RunDemoOptions extends DemoOptions {
  /** Where lines go; default `console.log`. */
  print?: (line: string) => void;
  /** ANSI colours; default off. */
  color?: boolean;
  /**
   * Serves what the auth server has no route for. The hook for `--serve`: the React example's
   * built files go here, so that the app and its API share one origin.
   */
  app?: FallbackHandler;
}

export interface DemoResult {
  exitCode: 0 | 1;
  /** Why the exit code is 1; empty otherwise. */
  problems: string[];
  /** Null when the run broke off before the summary. */
  figures: DemoFigures | null;
  /** With `serve`, the still running server (close it when done); otherwise null, it is closed. */
  server: RunningAuthServer | null;
}

const USER = { username: 'ada', password: 'lovelace' };

/**
 * The demo: the example server in-process, a scripted client through @authmachine/core and
 * @authmachine/axios or @authmachine/fetch, live progress, and a summary checked against what
 * must happen.
 */
export async function runDemo(options: RunDemoOptions): Promise<DemoResult> {
  const { client, requests, ttl, bursts, tabs: tabCount, print = console.log, color = false } = options;
  const log = createDemoLog(print, color);
  const ttlMs = ttl * 1000;
  const server = await startAuthServer({
    accessTtl: ttl,
    port: options.port,
    allowedOrigins: options.origins,
    ...(options.app ? { fallback: options.app } : {}),
  });
  const tabs = createDemoTabs(server.url, log, tabCount, client);
  const requestsText = tabCount === 1 ? 'requests' : `requests from each of ${tabCount} tabs`;
  const done = async (result: Omit<DemoResult, 'server'>): Promise<DemoResult> => {
    tabs.stop();
    if (options.serve) return { ...result, server };
    await server.close();
    return { ...result, server: null };
  };

  try {
    log.line(
      `authmachine demo: ${bursts} bursts of ${requests} concurrent ${requestsText}, access tokens live ${ttl} s`,
    );
    log.line(`client: ${describeDemoClient(client)}`);
    if (tabCount > 1) {
      log.line(
        `${tabCount} tabs simulated in one process: each its own session and ${client === 'fetch' ? 'auth fetch' : 'axios instance'}, with crossTab sharing a BroadcastChannel and an in-process lock`,
      );
    }
    log.line(
      `auth server on ${server.url}; no proactive timer (refreshLeeway: false): a request that finds the token expired, or gets a 401, refreshes it`,
    );
    log.line('');
    await tabs.login(USER.username, USER.password);
    log.event(`logged in as ${USER.username}${tabCount > 1 ? `: every tab has the session` : ''}`);

    let expiriesPlanned = 0;
    let expiriesCrossed = 0;
    for (const [index, kind] of burstKinds(bursts).entries()) {
      const { expiresAt } = tabs.first.session.getSnapshot();
      if (expiresAt === null) throw new Error('The session has no token expiry: the server sent no expiresIn.');
      await sleepUntil(burstTime(kind, expiresAt, ttlMs, Date.now()));
      if (crossesExpiry(kind)) expiriesPlanned += 1;
      if (Date.now() >= expiresAt) expiriesCrossed += 1;
      log.event(`burst ${index + 1}/${bursts} (${kind}): ${requests} ${requestsText}`);
      logBurst(await tabs.burst(requests));
    }
    const sentBeforeRevoke = tabs.counters().sent;
    const succeededBeforeRevoke = tabs.counters().succeeded;

    const revoked = await axios.post<{ revoked: number }>(
      `${server.url}/admin/revoke`,
      { username: USER.username },
      { headers: { 'X-Admin-Key': server.adminKey } },
    );
    log.event(`admin revoked ${USER.username}'s sessions (${revoked.data.revoked}): the next request ends the session`);
    log.event(`burst after the revoke: ${requests} ${requestsText}`);
    const afterRevoke = await tabs.burst(requests);
    logBurst(afterRevoke);

    const stats = await axios.get(`${server.url}/stats`);
    const figures: DemoFigures = {
      client: tabs.counters(),
      server: stats.data,
      tabs: tabCount,
      expiriesPlanned,
      expiriesCrossed,
      sentBeforeRevoke,
      succeededBeforeRevoke,
      sentAfterRevoke: afterRevoke.sent,
      statusAtEnd: [...new Set(tabs.statuses())].join(', '),
    };
    const rows = summaryRows(figures);
    log.line('');
    for (const line of formatSummary(rows, (met, text) => (met ? log.good(text) : log.bad(text)))) log.line(line);
    log.line('');
    const extra = expiriesCrossed - expiriesPlanned;
    if (extra > 0) {
      log.line(
        `Note: ${extra} more expir${extra === 1 ? 'y' : 'ies'} than planned: a burst outlived its token (a busy machine).`,
      );
    }
    const problems = problemsOf(rows);
    if (problems.length === 0) log.line(log.good('The demo behaved as expected.'));
    else for (const problem of problems) log.line(log.bad(`Unexpected: ${problem}.`));
    return await done({ exitCode: problems.length === 0 ? 0 : 1, problems, figures });
  } catch (error) {
    const problem = `the run broke off: ${error instanceof Error ? error.message : String(error)}`;
    log.line(log.bad(`Unexpected: ${problem}.`));
    return await done({ exitCode: 1, problems: [problem], figures: null });
  }

  function logBurst(outcome: BurstOutcome): void {
    const { sent, succeeded, sessionExpired, otherFailures, refreshCalls } = tabs.counters();
    const failures = [
      outcome.sessionExpired > 0 ? `${outcome.sessionExpired} SessionExpiredError` : '',
      outcome.otherFailures > 0 ? log.bad(`${outcome.otherFailures} other (${outcome.firstOtherFailure})`) : '',
    ].filter(Boolean);
    log.event(
      `  ${outcome.succeeded}/${outcome.sent} ok${failures.length > 0 ? `, ${failures.join(', ')}` : ''}` +
        log.dim(
          `   | total: sent ${sent}, ok ${succeeded}, failed ${sessionExpired + otherFailures}, refresh calls ${refreshCalls}`,
        ),
    );
  }
}

async function sleepUntil(epochMs: number): Promise<void> {
  // Timers may fire a millisecond early by Date.now(): wait until the clock really is there.
  while (Date.now() < epochMs) await sleep(Math.max(1, epochMs - Date.now()));
}
