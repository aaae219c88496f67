import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { collectPageErrors } from './browser.js';

/** A page of the React example, and the console errors it logged. */
export interface AppPage {
  page: Page;
  errors: string[];
}

/** A page in a fresh context of its own (`browser`), or beside the other tabs of `context`. */
export async function openApp(opener: Browser | BrowserContext, url: string): Promise<AppPage> {
  const page = await opener.newPage();
  const errors = collectPageErrors(page);
  await page.goto(url);
  return { page, errors };
}

/**
 * Chromium logs every 4xx answer to a fetch/XHR as a console error ("Failed to load resource: the
 * server responded with a status of 401 (Unauthorized)"), whatever the app does with it. Here the
 * 401s of expired or revoked access tokens, and the 400 `invalid_grant` of a refresh after a
 * revoke, are the scenario itself: only those exact lines are expected. Anything else (a React
 * error, a CORS failure, an uncaught rejection, another status) fails the test.
 */
export function unexpectedErrors(errors: readonly string[]): string[] {
  return errors.filter((line) => !/^Failed to load resource: the server responded with a status of 40[01] /.test(line));
}

export function statusOf(page: Page): Promise<string | null> {
  return page.getAttribute('[data-testid="status"]', 'data-status');
}

export async function waitForStatus(page: Page, status: string): Promise<void> {
  await page.waitForSelector(`[data-testid="status"][data-status="${status}"]`);
}

/** Logs in as ada from the login form (shown when anonymous, and when the session expired). */
export async function logIn(page: Page): Promise<void> {
  await page.fill('input[name="password"]', 'lovelace');
  await page.click('button[type="submit"]');
  await waitForStatus(page, 'authenticated');
  await expect.poll(() => page.textContent('[data-testid="me"]')).toBe('Logged in as ada');
}

/**
 * Waits until the page's access token has expired: the app shows its expiry (`data-expires-at`,
 * computed from the server's `expiresIn` when the token arrived, so never before the server's own).
 * The only real wait of these tests, and no longer than the token's lifetime.
 */
export async function waitForTokenExpiry(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const expiresAt = document.querySelector('[data-testid="token-expiry"]')?.getAttribute('data-expires-at');
    return expiresAt != null && Date.now() > Number(expiresAt);
  });
}

export interface BurstOutcome {
  ok: number;
  failed: number;
  text: string;
}

/** Clicks "Burst 20 requests" and reads the result the app shows once all 20 settled. */
export async function burst(page: Page): Promise<BurstOutcome> {
  const shown = await page.$('[data-testid="burst-result"]');
  const previous = Number((await shown?.getAttribute('data-run')) ?? 0);
  await page.click('text=Burst 20 requests');
  const result = await page.waitForSelector(`[data-testid="burst-result"][data-run="${previous + 1}"]`);
  return {
    ok: Number(await result.getAttribute('data-ok')),
    failed: Number(await result.getAttribute('data-failed')),
    text: (await result.textContent()) ?? '',
  };
}
