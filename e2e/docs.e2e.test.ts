import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { authMachine } from '@authmachine/core';
import { staticFiles } from '@authmachine/example-server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labelOf, mermaidIdOf, statePathsOf, transitionsOf } from '../docs/scripts/machineDiagram.js';
import { collectPageErrors, launchChromium, saveScreenshot } from './support/browser.js';

// The built docs site in Chromium. `.ci/run` builds it with `pnpm docs:build` first; a run without
// that build makes it here.
const DIST = join(import.meta.dirname, '..', 'docs', '.vitepress', 'dist');

let browser: Browser;
let server: Server;
let origin: string;

beforeAll(async () => {
  if (!existsSync(join(DIST, 'index.html'))) execFileSync('pnpm', ['docs:build'], { stdio: 'inherit' });
  const serve = staticFiles(DIST);
  server = createServer((request, response) => void serve(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

async function highlightedState(page: Page): Promise<string | null> {
  return page.getAttribute('[data-testid="machine-diagram"] svg', 'data-current-state');
}

async function expectState(page: Page, statePath: string): Promise<void> {
  await expect.poll(() => highlightedState(page), { timeout: 10_000 }).toBe(statePath);
  // The state's own box in the SVG carries the highlight (and its parent's, for a nested state),
  // nothing else: Mermaid names a state's group `<diagram>-state-<id>-<n>`.
  const highlighted = await page.$$eval('[data-testid="machine-diagram"] svg g.am-current', (nodes) =>
    nodes.map((node) => /-state-(.+)-\d+$/.exec(node.id)?.[1]).sort(),
  );
  const [top = statePath] = statePath.split('.');
  expect(highlighted).toEqual([...new Set([top, mermaidIdOf(statePath)])].sort());
}

/** Text without any whitespace: Mermaid wraps long labels over several lines. */
function squeezed(text: string): string {
  return text.replace(/\s+/g, '');
}

describe('docs site in Chromium', () => {
  it('every page of the sidebar loads without console errors', async () => {
    const page = await browser.newPage();
    const errors = collectPageErrors(page);
    const failedLoads: string[] = [];
    page.on('response', (response) => {
      if (response.status() >= 400) failedLoads.push(`${response.status()} ${response.url()}`);
    });
    await page.goto(`${origin}/why.html`);
    const links = await page.$$eval('.VPSidebar a[href]', (anchors) =>
      [...new Set(anchors.map((anchor) => (anchor as HTMLAnchorElement).pathname))].sort(),
    );
    expect(links.length).toBeGreaterThanOrEqual(12);
    for (const link of links) {
      const response = await page.goto(`${origin}${link}`);
      expect(response?.status(), link).toBe(200);
      await page.waitForLoadState('networkidle');
      expect(await page.textContent('h1'), link).toBeTruthy();
    }
    expect(failedLoads).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the machine page draws every state of authMachine and the simulator highlights where it is', async () => {
    const page = await browser.newPage();
    const errors = collectPageErrors(page);
    await page.goto(`${origin}/machine.html`);
    await page.waitForSelector('[data-testid="machine-diagram"] svg');

    // The state names come from the machine itself, not from a list in this test.
    const diagramText = (await page.textContent('[data-testid="machine-diagram"] svg')) ?? '';
    const stateNames = statePathsOf(authMachine).map((path) => path.split('.').at(-1) ?? path);
    expect(stateNames).toContain('refreshScheduled');
    for (const name of stateNames) expect(diagramText, name).toContain(name);
    // And every transition, with its event and guard: the built page is the machine as it is now.
    const transitions = transitionsOf(authMachine);
    expect(transitions.map((transition) => transition.event)).toContain('TOKEN_REJECTED');
    for (const transition of transitions) expect(squeezed(diagramText)).toContain(squeezed(labelOf(transition)));

    await expectState(page, 'anonymous');
    await page.click('[data-action="login"]');
    await expectState(page, 'authenticated.refreshNotScheduled');
    await saveScreenshot(page, 'docs-machine-authenticated');

    // A request with an expired token: one refresh call, which waits for the reader's answer.
    await page.selectOption('[data-action="refresh-answer"]', 'ask');
    await page.click('[data-action="expire"]');
    await page.click('[data-action="request"]');
    await expectState(page, 'refreshing.calling');
    expect(await page.textContent('[data-testid="refresh-calls"]')).toBe('1');
    await saveScreenshot(page, 'docs-machine-refreshing');

    await page.click('[data-action="answer-ok"]');
    await expectState(page, 'authenticated.refreshNotScheduled');
    await expect
      .poll(() => page.textContent('[data-testid="event-log"]'))
      .toMatch(/request #1: 200, answered with access-3/);

    await page.click('[data-action="logout"]');
    await expectState(page, 'anonymous');
    await saveScreenshot(page, 'docs-machine-logged-out');
    expect(await page.textContent('[data-testid="refresh-calls"]')).toBe('1');

    // A failing refresh endpoint: one retry after a backoff, then the tokens are kept.
    await page.click('[data-action="login"]');
    await expectState(page, 'authenticated.refreshNotScheduled');
    await page.selectOption('[data-action="refresh-answer"]', 'failing');
    await page.click('[data-action="expire"]');
    await page.click('[data-action="request"]');
    await expectState(page, 'refreshing.backingOff');
    await expectState(page, 'authenticated.refreshNotScheduled');
    await expect
      .poll(() => page.textContent('[data-testid="event-log"]'))
      .toMatch(/request #2: failed, TokenRefreshError/);
    expect(await page.textContent('[data-testid="refresh-calls"]')).toBe('3');
    await saveScreenshot(page, 'docs-machine-refresh-failed');
    expect(errors).toEqual([]);
    await page.close();
  });
});
