import { attachAuth } from '@authmachine/axios';
import { AuthError, createAuthSession } from '@authmachine/core';
import { API_ORIGIN, FakeAuthApi } from '@authmachine/test-kit';
import axios, { CanceledError } from 'axios';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  expectNoTokenIn,
  gate,
  interceptorCounts,
  type ProbedClient,
  probedClient,
  reasonOf,
  sleep,
  stateOf,
  until,
  untilRejectedWith401,
} from './support/adapterProbes.js';

let fake = new FakeAuthApi();
const server = setupServer();
let client: ProbedClient | undefined;
const releases: Array<() => void> = [];

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());
afterEach(() => {
  for (const release of releases.splice(0)) release();
  client?.detach();
  client?.session.stop();
  client = undefined;
});

async function start(queueTimeout?: number): Promise<ProbedClient> {
  fake = new FakeAuthApi();
  server.resetHandlers(...fake.handlers);
  client = await probedClient(fake, queueTimeout === undefined ? {} : { attach: { queueTimeout } });
  return client;
}

/** Holds the fake's refresh endpoint until the returned function is called (or the test ends). */
function holdRefresh(): () => void {
  const held = gate();
  fake.holdRefreshUntil(held.promise);
  releases.push(held.release);
  return held.release;
}

/** A refresh is running and its call is held at the server: requests made now wait before sending. */
async function refreshHeld({ session }: ProbedClient): Promise<{ release: () => void; refreshed: Promise<string> }> {
  const release = holdRefresh();
  const refreshed = session.refresh();
  // A test that ends before the refresh does must not leave its rejection (SESSION_STOPPED) unhandled.
  refreshed.catch(() => undefined);
  await until(() => expect(fake.refreshCalls).toHaveLength(1));
  expect(session.getSnapshot().status).toBe('refreshing');
  return { release, refreshed };
}

/** The error a request rejected with, and how long after the call it did (a lower bound on its wait). */
async function timedRejection(request: Promise<unknown>): Promise<{ error: unknown; waited: number }> {
  const startedAt = performance.now();
  const error = await reasonOf(request);
  return { error, waited: performance.now() - startedAt };
}

function seenFor(path: string): Array<string | null> {
  return fake.apiRequests.filter((request) => request.path === path).map((request) => request.authorization);
}

describe('aborting a request that waits before it is sent (during a refresh)', () => {
  it('only that request rejects, at once, with CanceledError; the others go out with the new token', async () => {
    const c = await start();
    const { release, refreshed } = await refreshHeld(c);
    const controller = new AbortController();

    const first = c.api.get('/api/first');
    const aborted = c.api.get('/api/aborted', { signal: controller.signal });
    const last = c.api.get('/api/last');
    expect(await stateOf(aborted)).toBe('pending');
    controller.abort();

    // Rejected while the refresh is still held: it did not wait for the queue to move.
    expect(await stateOf(aborted)).toBe('rejected');
    expect(c.session.getSnapshot().status).toBe('refreshing');
    expect(await stateOf(first)).toBe('pending');
    const error = await reasonOf(aborted);
    expect(axios.isCancel(error)).toBe(true);
    expect(error).toBeInstanceOf(CanceledError);
    expectNoTokenIn(error);

    release();
    await expect(refreshed).resolves.toBe('access-2');
    const responses = await Promise.all([first, last]);
    expect(responses.map((response) => response.status)).toEqual([200, 200]);
    expect(seenFor('/api/first')).toEqual(['Bearer access-2']);
    expect(seenFor('/api/last')).toEqual(['Bearer access-2']);
    expect(seenFor('/api/aborted')).toEqual([]);
    expect(fake.refreshCalls).toHaveLength(1);
  });

  it('an already-aborted signal rejects at once: nothing is sent, the refresh and the others go on', async () => {
    const c = await start();
    const { release } = await refreshHeld(c);

    const other = c.api.get('/api/other');
    const aborted = c.api.get('/api/aborted', { signal: AbortSignal.abort() });

    expect(await stateOf(aborted)).toBe('rejected');
    expect(axios.isCancel(await reasonOf(aborted))).toBe(true);
    expect(c.session.getSnapshot().status).toBe('refreshing');

    release();
    expect((await other).status).toBe(200);
    expect(seenFor('/api/other')).toEqual(['Bearer access-2']);
    expect(seenFor('/api/aborted')).toEqual([]);
  });
});

describe('aborting a request that waits after its own 401', () => {
  it('only that request rejects, at once, with CanceledError; its retry is never sent; the others are retried', async () => {
    const c = await start();
    const release = holdRefresh();
    fake.expireAccessToken();
    const controller = new AbortController();

    const first = c.api.get('/api/first');
    const aborted = c.api.get('/api/aborted', { signal: controller.signal });
    const last = c.api.get('/api/last');
    for (const path of ['/api/first', '/api/aborted', '/api/last']) await untilRejectedWith401(c, path);
    expect(c.session.getSnapshot().status).toBe('refreshing');
    expect(await stateOf(aborted)).toBe('pending');
    controller.abort();

    expect(await stateOf(aborted)).toBe('rejected');
    expect(c.session.getSnapshot().status).toBe('refreshing');
    const error = await reasonOf(aborted);
    expect(axios.isCancel(error)).toBe(true);
    expect(error).toBeInstanceOf(CanceledError);
    expectNoTokenIn(error);

    release();
    const responses = await Promise.all([first, last]);
    expect(responses.map((response) => response.status)).toEqual([200, 200]);
    expect(seenFor('/api/first')).toEqual(['Bearer access-1', 'Bearer access-2']);
    expect(seenFor('/api/last')).toEqual(['Bearer access-1', 'Bearer access-2']);
    expect(seenFor('/api/aborted')).toEqual(['Bearer access-1']);
    expect(fake.refreshCalls).toHaveLength(1);
  });
});

describe('queueTimeout', () => {
  it('a request that waited longer rejects with AuthError QUEUE_TIMEOUT, each by its own clock; the refresh and the others go on', async () => {
    const queueTimeout = 150;
    const c = await start(queueTimeout);
    const { release, refreshed } = await refreshHeld(c);

    const early = timedRejection(c.api.get('/api/early'));
    await sleep(40);
    const late = timedRejection(c.api.get('/api/late'));

    for (const { error, waited } of await Promise.all([early, late])) {
      expect(error).toBeInstanceOf(AuthError);
      expect(error).toMatchObject({ code: 'QUEUE_TIMEOUT' });
      expect(axios.isCancel(error)).toBe(false);
      expectNoTokenIn(error);
      // A lower bound, true however busy the machine: each waited its full time by its own clock (a
      // timer shared by the queue would have cut the later one short, 40 ms early).
      expect(waited).toBeGreaterThanOrEqual(queueTimeout - 2);
    }
    expect(c.session.getSnapshot().status).toBe('refreshing');

    // One that has not waited that long yet is served when the refresh lands.
    const patient = c.api.get('/api/patient');
    release();
    await expect(refreshed).resolves.toBe('access-2');
    expect((await patient).status).toBe(200);
    expect(seenFor('/api/patient')).toEqual(['Bearer access-2']);
    expect(seenFor('/api/early')).toEqual([]);
    expect(seenFor('/api/late')).toEqual([]);
  });

  it('also bounds the wait after a 401: that request rejects with QUEUE_TIMEOUT and is not retried', async () => {
    const queueTimeout = 60;
    const c = await start(queueTimeout);
    const release = holdRefresh();
    fake.expireAccessToken();

    const { error, waited } = await timedRejection(c.api.get('/api/slow-refresh'));

    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ code: 'QUEUE_TIMEOUT' });
    expectNoTokenIn(error);
    expect(waited).toBeGreaterThanOrEqual(queueTimeout - 2);
    expect(c.session.getSnapshot().status).toBe('refreshing');
    // Sent once, answered 401: the timeout struck while it waited for the refresh, not before sending.
    expect(seenFor('/api/slow-refresh')).toEqual(['Bearer access-1']);

    release();
    await until(() =>
      expect(c.session.getSnapshot()).toMatchObject({ status: 'authenticated', accessToken: 'access-2' }),
    );
    expect(seenFor('/api/slow-refresh')).toEqual(['Bearer access-1']);
  });

  it('does not limit the HTTP call itself: a slow answer to a request that never waited is not cut', async () => {
    const c = await start(30);
    fake.holdApiResponsesUntil(2);

    const first = c.api.get('/api/first');
    await sleep(60);
    const second = c.api.get('/api/second');

    expect((await Promise.all([first, second])).map((response) => response.status)).toEqual([200, 200]);
  });

  it.each([
    ['zero', 0],
    ['negative', -1],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['a string', '100' as unknown as number],
  ])('an invalid queueTimeout (%s) → AuthError INVALID_OPTIONS, nothing attached', (_, queueTimeout) => {
    const api = axios.create({ baseURL: API_ORIGIN });
    const session = createAuthSession({ refresh: async () => ({ accessToken: 'never-used' }) });

    let thrown: unknown;
    try {
      attachAuth(api, session, { queueTimeout });
    } catch (error) {
      thrown = error;
    } finally {
      session.stop();
    }

    expect(thrown).toBeInstanceOf(AuthError);
    expect(thrown).toMatchObject({ code: 'INVALID_OPTIONS', message: expect.stringContaining('queueTimeout') });
    expect(interceptorCounts(api)).toEqual({ request: 0, response: 0 });
  });
});
