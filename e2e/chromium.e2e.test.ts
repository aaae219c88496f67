import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { collectPageErrors, launchChromium, saveScreenshot } from './support/browser.js';

// The ground the other browser tests stand on: Debian's Chromium starts headless here, loads a page
// from loopback, runs its script and reports its console errors to the test.
let browser: Browser;
let server: Server;
let origin: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    response.setHeader('content-type', 'text/html; charset=utf-8');
    response.end(
      request.url === '/broken'
        ? '<script>console.error("boom")</script>'
        : '<title>e2e</title><p id="out"></p><script>document.getElementById("out").textContent = String(6 * 7)</script>',
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

it("runs a loopback page's script in Debian's Chromium and sees its console errors", async () => {
  const page = await browser.newPage();
  const errors = collectPageErrors(page);
  await page.goto(`${origin}/`);
  expect(await page.textContent('#out')).toBe('42');
  await saveScreenshot(page, 'chromium-smoke');
  expect(errors).toEqual([]);

  await page.goto(`${origin}/broken`);
  await expect.poll(() => errors).toEqual(['boom']);
  await page.close();
});
