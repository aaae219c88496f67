import { buildReactApp } from '@authmachine/example-react-app/build';
import {
  type AuthServerStats,
  type RunningAuthServer,
  startAuthServer,
  staticFiles,
} from '@authmachine/example-server';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppServer, serveApp } from './support/appServer.js';
import { launchChromium, saveScreenshot } from './support/browser.js';
import {
  burst,
  logIn,
  openApp,
  statusOf,
  unexpectedErrors,
  waitForStatus,
  waitForTokenExpiry,
} from './support/reactAppPage.js';

// The React example, built from source with Vite, in real Chromium against the reference server
// (real JWTs, rotating refresh tokens with reuse detection). The app is served from its own
// loopback port and calls the server cross-origin (CORS), as with a static host in production;
// the server also serves it itself, same-origin, as `pnpm demo --serve` does.
const ACCESS_TTL_SECONDS = 1;

let browser: Browser;
let server: RunningAuthServer;
let app: AppServer;
let appFolder: string;

beforeAll(async () => {
  appFolder = await buildReactApp();
  app = await serveApp(appFolder);
  server = await startAuthServer({
    accessTtl: ACCESS_TTL_SECONDS,
    allowedOrigins: [app.origin],
    fallback: staticFiles(appFolder),
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await app?.close();
});

type Origin = 'cross-origin' | 'same-origin';

function appUrl(query: Record<string, string>, origin: Origin = 'cross-origin'): string {
  const params = new URLSearchParams(query);
  if (origin === 'cross-origin') params.set('server', server.url);
  return `${origin === 'cross-origin' ? app.origin : server.url}/?${params}`;
}

/** What the server counted since an earlier reading. */
function countedSince(before: AuthServerStats): AuthServerStats {
  const counted = server.stats();
  for (const name of Object.keys(counted) as (keyof AuthServerStats)[]) counted[name] -= before[name];
  return counted;
}

async function revokeOverHttp(username: string): Promise<{ username: string; revoked: number }> {
  const response = await fetch(`${server.url}/admin/revoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-admin-key': server.adminKey },
    body: JSON.stringify({ username }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { username: string; revoked: number };
}

// The same app over either adapter (`?client=`): axios is the default, so its page gets no parameter.
describe.each(['axios', 'fetch'] as const)('React example in Chromium, %s client', (client) => {
  const query: Record<string, string> = client === 'fetch' ? { client } : {};
  it.each<Origin>(['cross-origin', 'same-origin'])(
    '%s: log in, wait past the access TTL, burst 20 requests: one refresh on the server, all 20 shown',
    async (origin) => {
      // No proactive timer (`proactive=off`), so that the burst is what finds the expired token.
      const { page, errors } = await openApp(browser, appUrl({ ...query, proactive: 'off' }, origin));
      expect(await page.getAttribute('[data-testid="api-client"]', 'data-client')).toBe(client);
      await logIn(page);
      const before = server.stats();

      await waitForTokenExpiry(page);
      const result = await burst(page);

      const counted = countedSince(before);
      const allItems = Array.from({ length: 20 }, (_, index) => index + 1).join(', ');
      expect(result).toEqual({ ok: 20, failed: 0, text: `Burst #1: 20/20 loaded: items ${allItems}` });
      // The session knows the token's expiry: the burst waits for one refresh and none of the 20
      // carries the dead token (the server sees no expired token, answers no 401).
      expect(counted).toMatchObject({
        expiredTokens: 0,
        refreshes: 1,
        refreshFailures: 0,
        reuseDetections: 0,
        unauthorized: 0,
      });
      // Cross-origin, the browser's CORS preflights are not counted: 20 successes either way.
      expect(counted.apiSucceeded).toBe(20);
      expect(await page.getAttribute('[data-testid="refreshes"]', 'data-count')).toBe('1');
      expect(await statusOf(page)).toBe('authenticated');
      console.info(
        `${client} ${origin} burst after expiry: ${result.ok}/20 shown, ${counted.unauthorized} 401s, ` +
          `${counted.refreshes} refresh, ${counted.reuseDetections} reuse detections (server)`,
      );
      await saveScreenshot(page, `react-app-burst-after-expiry-${client}-${origin}`);
      expect(unexpectedErrors(errors)).toEqual([]);
      await page.close();
    },
  );
});

describe('React example in Chromium', () => {
  it('the server revokes the session: the next requests end it, the app shows the expired path', async () => {
    const { page, errors } = await openApp(browser, appUrl({ proactive: 'off' }));
    await logIn(page);
    const before = server.stats();

    // Every session of ada ends: this page's, and those that earlier tests' pages left open.
    const { revoked } = await revokeOverHttp('ada');
    expect(revoked).toBeGreaterThanOrEqual(1);
    await page.click('text=Burst 20 requests');

    await waitForStatus(page, 'expired');
    expect(await page.textContent('[data-testid="expired"]')).toBe('Your session expired, please log in again.');
    expect(await page.isVisible('button[type="submit"]')).toBe(true);
    // 20 revoked tokens met, one refresh tried and refused: no loop, no reuse of a rotated token.
    expect(countedSince(before)).toMatchObject({
      adminRevocations: revoked,
      unauthorized: 20,
      refreshes: 0,
      refreshFailures: 1,
      reuseDetections: 0,
    });
    await saveScreenshot(page, 'react-app-session-expired');

    // ...and logging in again from there works, and the message goes.
    await logIn(page);
    expect(await page.$('[data-testid="expired"]')).toBeNull();
    expect(unexpectedErrors(errors)).toEqual([]);
    await page.close();
  });

  it('reload with localStorage (?storage=local): the session is restored, same user, no new login', async () => {
    // proactive=off: a proactive refresh in flight at the reload would rotate the refresh token the
    // old page then never stores (see the report on rotating tokens and reloads).
    const { page, errors } = await openApp(browser, appUrl({ storage: 'local', proactive: 'off' }));
    await logIn(page);
    const before = server.stats();

    await page.reload();

    await waitForStatus(page, 'authenticated');
    await expect.poll(() => page.textContent('[data-testid="me"]')).toBe('Logged in as ada');
    expect(countedSince(before)).toMatchObject({ logins: 0, reuseDetections: 0, refreshFailures: 0 });
    expect(await page.evaluate(() => Object.keys(window.localStorage))).toEqual(['authmachine.tokens']);
    await saveScreenshot(page, 'react-app-reload-local-storage');
    expect(unexpectedErrors(errors)).toEqual([]);
    await page.evaluate(() => window.localStorage.clear());
    await page.close();
  });

  it('reload with memory storage (the default): the session is gone, the app is anonymous', async () => {
    const { page, errors } = await openApp(browser, appUrl({}));
    await logIn(page);

    await page.reload();

    await waitForStatus(page, 'anonymous');
    expect(await page.isVisible('input[name="password"]')).toBe(true);
    expect(await page.$('[data-testid="expired"]')).toBeNull();
    expect(await page.evaluate(() => window.localStorage.length)).toBe(0);
    await saveScreenshot(page, 'react-app-reload-memory-storage');
    expect(unexpectedErrors(errors)).toEqual([]);
    await page.close();
  });

  it('log out: the server ends the session, the app is anonymous without the expired message', async () => {
    const { page, errors } = await openApp(browser, appUrl({}));
    await logIn(page);
    const before = server.stats();

    await page.click('text=Log out');

    await waitForStatus(page, 'anonymous');
    expect(await page.$('[data-testid="expired"]')).toBeNull();
    // The revocation runs after the local logout, which never waits on it.
    await expect.poll(() => countedSince(before)).toMatchObject({ logouts: 1, reuseDetections: 0 });
    expect(unexpectedErrors(errors)).toEqual([]);
    await page.close();
  });

  it('?crossTab=on, two tabs: the login reaches the other tab, a burst from both after expiry makes one refresh, a logout ends both', async () => {
    // Its own server, serving the app same-origin, with tokens that outlive a two-tab burst: 100
    // requests share Chromium's six connections per host, which can take longer than a 1 s token.
    const shared = await startAuthServer({ accessTtl: 3, fallback: staticFiles(appFolder) });
    const context = await browser.newContext();
    try {
      const url = `${shared.url}/?crossTab=on&proactive=off`;
      const a = await openApp(context, url);
      const b = await openApp(context, url);
      await waitForStatus(b.page, 'anonymous');
      expect(await b.page.isVisible('[data-testid="cross-tab"]')).toBe(true);

      await logIn(a.page);
      // Tab B never logged in: it took tab A's tokens over the BroadcastChannel, and its axios uses them.
      await waitForStatus(b.page, 'authenticated');
      await expect.poll(() => b.page.textContent('[data-testid="me"]')).toBe('Logged in as ada');
      shared.resetStats();

      await Promise.all([waitForTokenExpiry(a.page), waitForTokenExpiry(b.page)]);
      const [fromA, fromB] = await Promise.all([burst(a.page), burst(b.page)]);

      const counted = shared.stats();
      console.info(
        `two tabs of the React app burst after expiry: ${fromA.ok + fromB.ok}/40 shown, server refreshes=${counted.refreshes} reuseDetections=${counted.reuseDetections}`,
      );
      expect([fromA.ok, fromB.ok]).toEqual([20, 20]);
      expect(counted).toMatchObject({ expiredTokens: 0, refreshes: 1, refreshFailures: 0, reuseDetections: 0 });
      expect(await a.page.getAttribute('[data-testid="refreshes"]', 'data-count')).toBe('1');
      expect(await b.page.getAttribute('[data-testid="refreshes"]', 'data-count')).toBe('1');
      await saveScreenshot(b.page, 'react-app-cross-tab-second-tab');

      await b.page.click('text=Log out');
      await waitForStatus(a.page, 'anonymous');
      expect(await a.page.$('[data-testid="expired"]')).toBeNull();
      await expect.poll(() => shared.stats()).toMatchObject({ logouts: 1, reuseDetections: 0 });
      expect(unexpectedErrors(a.errors)).toEqual([]);
      expect(unexpectedErrors(b.errors)).toEqual([]);
    } finally {
      await context.close();
      await shared.close();
    }
  });
});
