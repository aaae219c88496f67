import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { authMachine } from '@authmachine/core';
import { staticFiles } from '@authmachine/example-server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labelOf, statePathsOf, transitionsOf } from '../docs/scripts/machineDiagram.js';
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

/** The machine page at this viewport, once its diagram is drawn, with its console errors collected. */
async function openMachinePage(width: number, height: number): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width, height } });
  const errors = collectPageErrors(page);
  await page.goto(`${origin}/machine.html`);
  await page.waitForSelector('[data-testid="machine-diagram"] svg g.am-state');
  return { page, errors };
}

async function highlightedState(page: Page): Promise<string | null> {
  return page.getAttribute('[data-testid="machine-diagram"] svg', 'data-current-state');
}

async function expectState(page: Page, statePath: string): Promise<void> {
  await expect.poll(() => highlightedState(page), { timeout: 10_000 }).toBe(statePath);
  // The state's own box is filled and its parent's outlined, nothing else.
  const boxes = (selector: string): Promise<string[]> =>
    page.$$eval(`[data-testid="machine-diagram"] ${selector}`, (nodes) =>
      nodes.map((node) => node.getAttribute('data-state') ?? ''),
    );
  expect(await boxes('g.am-current')).toEqual([statePath]);
  const parents = statePath.split('.').slice(0, -1);
  expect(await boxes('g.am-current-parent')).toEqual(parents.map((_, index) => parents.slice(0, index + 1).join('.')));
}

/** The labels of the transitions drawn bold: the ones the machine just took. */
async function takenTransitions(page: Page): Promise<string[]> {
  return page.$$eval('[data-testid="machine-diagram"] g.am-taken', (groups) =>
    groups.map((group) => [...group.querySelectorAll('text')].map((text) => text.textContent?.trim() ?? '').join(' ')),
  );
}

/** Text without any whitespace: long labels wrap over several lines on a narrow screen. */
function squeezed(text: string): string {
  return text.replace(/\s+/g, '');
}

const stormRefreshes = (page: Page): Promise<string | null> => page.textContent('[data-testid="storm-refreshes"]');

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

  for (const [width, height] of [
    [1280, 900],
    [390, 844],
  ] as const) {
    it(`at ${width} px the whole machine fits the column, every label inside the screen and at least 12 px`, async () => {
      const { page, errors } = await openMachinePage(width, height);
      await expect.poll(() => highlightedState(page)).toBe('anonymous');

      const measured = await page.evaluate(() => {
        const svg = document.querySelector('[data-testid="machine-diagram"] svg') as SVGSVGElement;
        const column = document.querySelector('.vp-doc') as HTMLElement;
        const box = (element: Element): { left: number; right: number; width: number } => {
          const rect = element.getBoundingClientRect();
          return { left: rect.left, right: rect.right, width: rect.width };
        };
        const style = getComputedStyle(column);
        const texts = [...svg.querySelectorAll('text')].map((text) => ({
          text: text.textContent ?? '',
          ...box(text),
          // The size on screen: the font size times the SVG's own scale.
          fontSize:
            Number.parseFloat(getComputedStyle(text).fontSize) *
            (svg.getBoundingClientRect().width / svg.viewBox.baseVal.width),
        }));
        return {
          svg: box(svg),
          column: {
            left: column.getBoundingClientRect().left + Number.parseFloat(style.paddingLeft),
            right: column.getBoundingClientRect().right - Number.parseFloat(style.paddingRight),
          },
          viewport: window.innerWidth,
          pageScrollWidth: document.documentElement.scrollWidth,
          texts,
        };
      });
      expect(measured.svg.left).toBeGreaterThanOrEqual(measured.column.left - 0.5);
      expect(measured.svg.right).toBeLessThanOrEqual(measured.column.right + 0.5);
      // No sideways scrolling, of the page or of the diagram.
      expect(measured.pageScrollWidth).toBeLessThanOrEqual(measured.viewport);
      const stateNames = statePathsOf(authMachine).map((path) => path.split('.').at(-1) ?? path);
      expect(stateNames).toContain('backingOff');
      for (const name of stateNames) {
        const label = measured.texts.find((text) => text.text.trim() === name);
        expect(label, name).toBeDefined();
        expect(label?.left, name).toBeGreaterThanOrEqual(0);
        expect(label?.right, name).toBeLessThanOrEqual(measured.viewport);
      }
      for (const text of measured.texts) {
        expect(text.fontSize, text.text).toBeGreaterThanOrEqual(12);
        expect(text.right, text.text).toBeLessThanOrEqual(measured.svg.right + 0.5);
      }
      // Every transition, with its event and guard: the built page is the machine as it is now.
      const transitions = transitionsOf(authMachine);
      expect(transitions.map(labelOf)).toContain('error: refreshTokens [canRetryRefresh && isOnline]');
      const diagramText = squeezed(measured.texts.map((text) => text.text).join(' '));
      for (const transition of transitions) expect(diagramText).toContain(squeezed(labelOf(transition)));
      // refreshing holds calling and backingOff.
      const nested = await page.evaluate(() => {
        const rect = (path: string): DOMRect | undefined =>
          document.querySelector(`[data-state="${path}"] > rect`)?.getBoundingClientRect();
        const outer = rect('refreshing');
        return ['refreshing.calling', 'refreshing.backingOff'].map((path) => {
          const inner = rect(path);
          return Boolean(
            outer &&
              inner &&
              inner.left >= outer.left &&
              inner.right <= outer.right &&
              inner.top >= outer.top &&
              inner.bottom <= outer.bottom,
          );
        });
      });
      expect(nested).toEqual([true, true]);
      await saveScreenshot(page, `docs-machine-${width}`);
      expect(errors).toEqual([]);
      await page.close();
    });
  }

  it('the simulator highlights the state and the transition just taken, and lists each request', async () => {
    const { page, errors } = await openMachinePage(1280, 900);

    await expectState(page, 'anonymous');
    await page.click('[data-action="login"]');
    await expectState(page, 'authenticated.refreshNotScheduled');
    // LOGIN from any state, then the eventless step that finds no proactive timer.
    expect(await takenTransitions(page)).toEqual(['LOGIN', 'always']);

    // A request with an expired token: one refresh call, which waits for the reader's answer.
    await page.selectOption('[data-action="refresh-answer"]', 'ask');
    await page.click('[data-action="expire"]');
    await page.click('[data-action="request"]');
    await expectState(page, 'refreshing.calling');
    expect(await takenTransitions(page)).toEqual(['TOKEN_REJECTED [isCurrentToken && hasRefreshToken]']);
    expect(await page.textContent('[data-testid="refresh-calls"]')).toBe('1');
    await expect.poll(() => page.getAttribute('[data-request="1"]', 'data-phase')).toBe('waiting');
    expect(squeezed((await page.textContent('[data-request="1"]')) ?? '')).toContain(
      squeezed('sent with access-2 → 401'),
    );
    await saveScreenshot(page, 'docs-machine-refreshing');

    await page.click('[data-action="answer-ok"]');
    await expectState(page, 'authenticated.refreshNotScheduled');
    await expect.poll(() => page.getAttribute('[data-request="1"]', 'data-phase')).toBe('ok');
    expect(squeezed((await page.textContent('[data-request="1"]')) ?? '')).toContain(
      squeezed('retried with access-3 → 200'),
    );
    await expect
      .poll(() => page.textContent('[data-testid="event-log"]'))
      .toMatch(/refreshing\.calling → authenticated\.refreshNotScheduled\s+on done: refreshTokens/);

    await page.click('[data-action="logout"]');
    await expectState(page, 'anonymous');
    expect(await takenTransitions(page)).toEqual(['LOGOUT']);

    // A failing refresh endpoint: one retry after a backoff, then the tokens are kept.
    await page.click('[data-action="login"]');
    await expectState(page, 'authenticated.refreshNotScheduled');
    await page.selectOption('[data-action="refresh-answer"]', 'failing');
    await page.click('[data-action="expire"]');
    await page.click('[data-action="request"]');
    await expectState(page, 'refreshing.backingOff');
    expect(await takenTransitions(page)).toEqual(['error: refreshTokens [canRetryRefresh && isOnline]']);
    await expectState(page, 'authenticated.refreshNotScheduled');
    await expect.poll(() => page.getAttribute('[data-request="2"]', 'data-phase')).toBe('failed');
    expect(await page.textContent('[data-request="2"]')).toContain('TokenRefreshError (REFRESH_FAILED)');
    expect(await page.textContent('[data-testid="refresh-calls"]')).toBe('3');
    await saveScreenshot(page, 'docs-machine-refresh-failed');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a storm of 50 requests shows one refresh call and 50 retries, through axios and through fetch', async () => {
    const { page, errors } = await openMachinePage(390, 844);
    await expectState(page, 'anonymous');
    await page.click('[data-action="login"]');
    await expectState(page, 'authenticated.refreshNotScheduled');

    for (const adapter of ['axios', 'fetch']) {
      await page.selectOption('[data-action="adapter"]', adapter);
      await page.click('[data-action="storm"]');
      await expect.poll(() => page.textContent('[data-testid="storm-ok"]'), { timeout: 15_000 }).toBe('50');
      expect(await stormRefreshes(page), adapter).toBe('1');
      expect(await page.textContent('[data-testid="storm-retried"]'), adapter).toBe('50');
      const phases = await page.$$eval('[data-testid="requests"] li', (items) =>
        items.map((item) => `${item.getAttribute('data-phase')} ${item.querySelector('.am-adapter')?.textContent}`),
      );
      expect(phases).toEqual(Array.from({ length: 50 }, () => `ok ${adapter}`));
      // Each request carried the expired token, got its 401, and was retried with the new one.
      const first = squeezed((await page.textContent('[data-testid="requests"] li')) ?? '');
      expect(first).toMatch(/sentwithaccess-\d+→401retriedwithaccess-\d+→200ok/);
      await saveScreenshot(page, `docs-machine-storm-${adapter}-390`);
    }
    expect(errors).toEqual([]);
    await page.close();
  });
});
