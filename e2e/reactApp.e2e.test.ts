import { buildReactApp } from '@authmachine/example-react-app/build';
import { type RunningAuthServer, startAuthServer, staticFiles } from '@authmachine/example-server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, launchChromium, saveScreenshot } from './support/browser.js';

// The React example in real Chromium against the reference server (real JWTs, rotating refresh
// tokens with reuse detection), which also serves the built app, so the app's API is same-origin.
const ACCESS_TTL_SECONDS = 1;

let browser: Browser;
let server: RunningAuthServer;

beforeAll(async () => {
  const appFolder = await buildReactApp();
  server = await startAuthServer({ accessTtl: ACCESS_TTL_SECONDS, fallback: staticFiles(appFolder) });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

// Chromium reports every 4xx response as a console error ("Failed to load resource: ... 401"):
// the 401s of expired tokens are the scenario itself, so only those lines are expected.
function unexpected(errors: string[]): string[] {
  return errors.filter((line) => !/Failed to load resource: the server responded with a status of 40[01]/.test(line));
}

async function openApp(query: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors = collectPageErrors(page);
  await page.goto(`${server.url}/?${query}`);
  return { page, errors };
}

async function logIn(page: Page): Promise<void> {
  await page.waitForSelector('[data-testid="status"][data-status="anonymous"]');
  await page.fill('input[name="password"]', 'lovelace');
  await page.click('button[type="submit"]');
  await page.waitForSelector('[data-testid="status"][data-status="authenticated"]');
  await expect.poll(() => page.textContent('[data-testid="me"]')).toBe('Logged in as ada');
}

async function burst(page: Page): Promise<{ ok: number; failed: number }> {
  await page.evaluate(() => document.querySelector('[data-testid="burst-result"]')?.remove());
  await page.click('text=Burst 20 requests');
  const result = await page.waitForSelector('[data-testid="burst-result"]');
  return { ok: Number(await result.getAttribute('data-ok')), failed: Number(await result.getAttribute('data-failed')) };
}

describe('React example in Chromium', () => {
  it('log in, wait past the access TTL, burst 20 requests: one refresh on the server, all 20 shown', async () => {
    // Refresh only on 401, so that the burst is what finds the expired token.
    const { page, errors } = await openApp('proactive=off');
    await logIn(page);
    const before = server.stats();

    await page.waitForTimeout(ACCESS_TTL_SECONDS * 1000 + 300);
    const result = await burst(page);

    const after = server.stats();
    expect(result).toEqual({ ok: 20, failed: 0 });
    expect(after.refreshes - before.refreshes).toBe(1);
    expect(after.reuseDetections).toBe(0);
    expect(after.unauthorized - before.unauthorized).toBe(20);
    expect(after.apiSucceeded - before.apiSucceeded).toBe(20);
    expect(await page.textContent('[data-testid="burst-result"]')).toContain('items 1, 2, 3');
    await saveScreenshot(page, 'react-app-burst-after-expiry');
    expect(unexpected(errors)).toEqual([]);
    await page.close();
  });

  it('the server revokes the session: the next request ends it and the app shows the expired path', async () => {
    const { page, errors } = await openApp('proactive=off');
    await logIn(page);

    server.revokeUser('ada');
    await page.click('text=Burst 20 requests');

    await page.waitForSelector('[data-testid="status"][data-status="expired"]');
    expect(await page.textContent('[data-testid="expired"]')).toBe('Your session expired, please log in again.');
    expect(await page.isVisible('button[type="submit"]')).toBe(true);
    await saveScreenshot(page, 'react-app-session-expired');
    expect(unexpected(errors)).toEqual([]);
    await page.close();
  });

  it('reload with localStorage: the session is restored, same user, no new login', async () => {
    const { page, errors } = await openApp('storage=local');
    await logIn(page);
    const loginsBefore = server.stats().logins;

    await page.reload();

    await page.waitForSelector('[data-testid="status"][data-status="authenticated"]');
    await expect.poll(() => page.textContent('[data-testid="me"]')).toBe('Logged in as ada');
    expect(server.stats().logins).toBe(loginsBefore);
    await saveScreenshot(page, 'react-app-reload-local-storage');
    expect(unexpected(errors)).toEqual([]);
    await page.evaluate(() => window.localStorage.clear());
    await page.close();
  });

  it('reload with memory storage (the default): the session is gone, the app is anonymous', async () => {
    const { page, errors } = await openApp('');
    await logIn(page);

    await page.reload();

    await page.waitForSelector('[data-testid="status"][data-status="anonymous"]');
    expect(await page.isVisible('input[name="password"]')).toBe(true);
    expect(await page.$('[data-testid="expired"]')).toBeNull();
    await saveScreenshot(page, 'react-app-reload-memory-storage');
    expect(unexpected(errors)).toEqual([]);
    await page.close();
  });
});
