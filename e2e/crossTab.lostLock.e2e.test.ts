import { type RunningAuthServer, startAuthServer } from '@authmachine/example-server';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, launchChromium } from './support/browser.js';
import { crossTabPage } from './support/crossTabPage.js';

// A tab that stops while it holds the refresh lock: none of its tasks run, its locks stay held, its
// network requests go on. CDP Debugger.pause does that (a debugger pause, and the same as a frozen
// background tab or a long task for everything the session sees). Page.setWebLifecycleState
// 'frozen' does not here: headless Chromium keeps a visible page running (tried: its timers kept
// ticking, no freeze event), and headless pages are never hidden. Two pages of one browser context
// against the reference server, which rotates refresh tokens and revokes the family on reuse.
const ACCESS_TTL_S = 2;
const REFRESH_TIMEOUT = 2_000;
const LOCK_TIMEOUT = 500;
const TAB = `?refreshTimeout=${REFRESH_TIMEOUT}&refreshRetries=0&lockTimeout=${LOCK_TIMEOUT}`;
// A tab whose own refresh timer does not run out while it sleeps.
const PATIENT_TAB = `?refreshTimeout=30000&refreshRetries=0&lockTimeout=${LOCK_TIMEOUT}`;
// A tab that sleeps longer than its refreshTimeout, with retries left: the timeout ends an attempt,
// not the call (see refreshCall.ts), so the answer it slept through is still read when it wakes.
const RETRYING_TAB = `?refreshTimeout=${REFRESH_TIMEOUT}&refreshRetries=2&lockTimeout=${LOCK_TIMEOUT}`;

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

type App = {
  login(): Promise<void>;
  burst(n: number): Promise<number[]>;
  burstSettled(n: number): Promise<Array<number | string>>;
  holdRefreshLock(): Promise<void>;
  state(): { status: string; accessToken: string | null };
};
const app = (page: Page) => ({
  login: () => page.evaluate(() => (window as never as { app: App }).app.login()),
  burst: (n: number) => page.evaluate((size) => (window as never as { app: App }).app.burst(size), n),
  burstSettled: (n: number) => page.evaluate((size) => (window as never as { app: App }).app.burstSettled(size), n),
  holdRefreshLock: () => page.evaluate(() => (window as never as { app: App }).app.holdRefreshLock()),
  state: () => page.evaluate(() => (window as never as { app: App }).app.state()),
});
const untilStatus = (page: Page, status: string, timeout = 5_000) =>
  page.waitForFunction((wanted) => document.getElementById('status')?.textContent === wanted, status, { timeout });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function twoTabs(server: RunningAuthServer, queryA: string, queryB: string) {
  const context: BrowserContext = await browser.newContext();
  const errors: string[] = [];
  const open = async (query: string) => {
    const page = await context.newPage();
    errors.push(...collectPageErrors(page));
    await page.goto(`${server.url}/crossTab.html${query}`);
    await untilStatus(page, 'anonymous');
    return page;
  };
  const a = await open(queryA);
  const b = await open(queryB);
  await app(a).login();
  await untilStatus(b, 'authenticated');
  const cdp = await context.newCDPSession(a);
  await cdp.send('Debugger.enable');
  // Paused at the next script it runs: its lock grant, its fetch's answer, a message, a timer.
  const freezeA = () => cdp.send('Debugger.pause');
  const wakeA = () => cdp.send('Debugger.resume');
  return { context, a, b, errors, freezeA, wakeA };
}

describe('crossTab in Chromium: a tab frozen while it holds the refresh lock', () => {
  it('frozen before it sent anything: the other tab takes the lock over and its requests succeed within refreshTimeout; the woken tab takes those tokens', async () => {
    const server = await startAuthServer({ accessTtl: ACCESS_TTL_S, fallback: crossTabPage });
    try {
      const { context, a, b, errors, freezeA, wakeA } = await twoTabs(server, TAB, TAB);
      await app(a).holdRefreshLock();
      await freezeA();
      await sleep(ACCESS_TTL_S * 1000 + 300);
      server.resetStats();

      const started = Date.now();
      const fromB = await app(b).burst(5);
      const took = Date.now() - started;
      console.log(`lock holder frozen before its call: the other tab's burst took ${took} ms`);
      expect(fromB).toEqual(Array(5).fill(200));
      expect(took).toBeLessThan(REFRESH_TIMEOUT);
      expect(server.stats()).toMatchObject({ refreshRequests: 1, refreshes: 1, reuseDetections: 0 });

      await wakeA();
      expect(await app(a).burst(3)).toEqual(Array(3).fill(200));
      const [stateA, stateB] = [await app(a).state(), await app(b).state()];
      expect(stateA).toMatchObject({ status: 'authenticated', accessToken: stateB.accessToken });
      expect(stateB.status).toBe('authenticated');
      // One refresh, B's.
      expectOneRotationWithoutReuse(server.stats());
      expect(errors).toEqual([]);
      await context.close();
    } finally {
      await server.close();
    }
  });

  it.each([
    ['its own timer still running', PATIENT_TAB],
    ['longer than its own refreshTimeout, retries left', RETRYING_TAB],
  ])(
    'frozen mid-call (%s): the other tab never sends the token it sent, its requests settle within refreshTimeout; the woken tab brings the rotation and both tabs go on with it, zero reuse',
    async (_, queryA) => {
      // Each refresh waits 1.5 s on the server before it rotates: tab A's call is on the server when it freezes.
      const server = await startAuthServer({ accessTtl: ACCESS_TTL_S, refreshDelay: 1_500, fallback: crossTabPage });
      try {
        const { context, a, b, errors, freezeA, wakeA } = await twoTabs(server, queryA, TAB);
        await sleep(ACCESS_TTL_S * 1000 + 300);
        server.resetStats();

        const fromA = app(a).burst(3);
        await expect.poll(() => server.stats().refreshRequests).toBe(1);
        await freezeA();
        const frozenAt = Date.now();

        // B's token expired too. The only refresh token it holds is the one A's call carries: sending
        // it again would be a reuse (the server revokes the session). B's requests fail instead.
        const started = Date.now();
        const fromB = await app(b).burstSettled(5);
        const took = Date.now() - started;
        console.log(`lock holder frozen mid-call: the other tab's burst settled in ${took} ms: ${fromB.join(',')}`);
        expect(fromB).toEqual(Array(5).fill('TokenRefreshError'));
        expect(took).toBeLessThan(REFRESH_TIMEOUT + 1_000);
        // The server rotated for A meanwhile (its connection stayed open); B sent nothing.
        await expect.poll(() => server.stats().refreshes).toBe(1);
        expect(server.stats()).toMatchObject({ refreshRequests: 1, reuseDetections: 0 });

        // Asleep longer than B's (and the retrying tab's own) refreshTimeout.
        await sleep(frozenAt + REFRESH_TIMEOUT + 500 - Date.now());
        await wakeA();
        expect(await fromA).toEqual(Array(3).fill(200));
        await expect.poll(async () => (await app(b).state()).accessToken).toBe((await app(a).state()).accessToken);
        expect(await app(b).burst(5)).toEqual(Array(5).fill(200));
        const [stateA, stateB] = [await app(a).state(), await app(b).state()];
        expect([stateA.status, stateB.status]).toEqual(['authenticated', 'authenticated']);
        expect(stateA.accessToken).toBe(stateB.accessToken);
        const stats = server.stats();
        console.log(
          `after waking: server refreshRequests=${stats.refreshRequests} refreshes=${stats.refreshes} reuseDetections=${stats.reuseDetections}`,
        );
        // One rotation, A's.
        expectOneRotationWithoutReuse(stats);
        expect(errors).toEqual([]);
        await context.close();
      } finally {
        await server.close();
      }
    },
  );
});

/**
 * One rotation, never a reuse or a refusal. The tokens live 2 s: on a slow machine the checks after
 * the rotation can outlast the new token, and the next request then refreshes it once more,
 * legitimately; so a second refresh is allowed, each one answered.
 */
function expectOneRotationWithoutReuse(stats: { refreshRequests: number; refreshes: number }): void {
  expect(stats).toMatchObject({ refreshFailures: 0, reuseDetections: 0 });
  expect(stats.refreshes).toBe(stats.refreshRequests);
  expect(stats.refreshRequests).toBeGreaterThanOrEqual(1);
  expect(stats.refreshRequests).toBeLessThanOrEqual(2);
}
