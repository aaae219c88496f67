import { type RunningAuthServer, startAuthServer } from '@authmachine/example-server';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, launchChromium } from './support/browser.js';
import { crossTabPage } from './support/crossTabPage.js';

// Two pages of one browser context are two tabs of the app, each with its own crossTab session
// (memory storage), against the reference server with rotating refresh tokens and reuse detection.
const ACCESS_TTL_S = 2;

let server: RunningAuthServer;
let browser: Browser;

beforeAll(async () => {
  server = await startAuthServer({ accessTtl: ACCESS_TTL_S, fallback: crossTabPage });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function twoTabs(): Promise<{ context: BrowserContext; a: Page; b: Page; errors: string[] }> {
  const context = await browser.newContext();
  const errors: string[] = [];
  const open = async () => {
    const page = await context.newPage();
    errors.push(...collectPageErrors(page));
    await page.goto(`${server.url}/crossTab.html`);
    await page.waitForFunction(() => document.getElementById('status')?.textContent === 'anonymous');
    return page;
  };
  const a = await open();
  const b = await open();
  return { context, a, b, errors };
}

const statusOf = (page: Page) =>
  page.evaluate(() => (window as never as { app: { state(): { status: string } } }).app.state().status);

describe('crossTab in Chromium: two tabs, one session', () => {
  it('both tabs burst requests right after expiry: one refresh on the server, no reuse, both keep working', async () => {
    const { context, a, b, errors } = await twoTabs();
    expect(await a.evaluate(() => 'locks' in navigator)).toBe(true);
    await a.evaluate(() => (window as never as { app: { login(): Promise<void> } }).app.login());
    await b.waitForFunction(() => document.getElementById('status')?.textContent === 'authenticated');
    server.resetStats();

    await new Promise((resolve) => setTimeout(resolve, ACCESS_TTL_S * 1000 + 300));
    const burst = (page: Page) =>
      page.evaluate(() => (window as never as { app: { burst(n: number): Promise<number[]> } }).app.burst(10));
    const [fromA, fromB] = await Promise.all([burst(a), burst(b)]);

    const stats = server.stats();
    console.log(
      `two-tab burst after expiry: server refreshes=${stats.refreshes} reuseDetections=${stats.reuseDetections} refreshFailures=${stats.refreshFailures}`,
    );
    expect(fromA).toEqual(Array(10).fill(200));
    expect(fromB).toEqual(Array(10).fill(200));
    expect(stats.refreshes).toBe(1);
    expect(stats.reuseDetections).toBe(0);
    expect(stats.refreshFailures).toBe(0);
    expect([await statusOf(a), await statusOf(b)]).toEqual(['authenticated', 'authenticated']);
    // And again: still one refresh for both tabs, with the rotated token.
    await new Promise((resolve) => setTimeout(resolve, ACCESS_TTL_S * 1000 + 300));
    await Promise.all([burst(a), burst(b)]);
    expect(server.stats()).toMatchObject({ refreshes: 2, reuseDetections: 0 });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a logout in one tab shows the other anonymous within a second', async () => {
    const { context, a, b, errors } = await twoTabs();
    await a.evaluate(() => (window as never as { app: { login(): Promise<void> } }).app.login());
    await b.waitForFunction(() => document.getElementById('status')?.textContent === 'authenticated');
    const started = Date.now();
    await a.evaluate(() => (window as never as { app: { logout(): Promise<void> } }).app.logout());
    await b.waitForFunction(() => document.getElementById('status')?.textContent === 'anonymous', undefined, {
      timeout: 1000,
    });
    console.log(`logout reached the other tab in ${Date.now() - started} ms`);
    expect(errors).toEqual([]);
    await context.close();
  });
});
